"""Several processes appending to the audit chain at once, as the workers of one installation do.

Each writer appends its records one transaction at a time through ``chain.append``. However the
writers interleave, the chain comes out gap-free, strictly ordered and verifiable
(`cyberspex audit verify`), and an edited record is still found. On PostgreSQL the writers truly
run in parallel (the chain's lock orders them); SQLite serialises them with its IMMEDIATE
transactions.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.web.audit.processes import (
    cyberspex,
    environment,
    postgres_reachable,
    postgres_server,
    scratch_database,
    write_records,
    writer_process,
)

WRITERS = 4
EACH = 40  # records per writer
DATABASE = f"audit_concurrent_{os.getpid()}"  # this process's own, on a shared server


def _edit_sqlite(path: Path, seq: int) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TRIGGER audit_no_update")
        connection.execute("UPDATE audit_auditentry SET actor = 'mallory' WHERE seq = ?", (seq,))


def _edit_postgres(url: str, seq: int) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        connection.execute("UPDATE audit_auditentry SET actor = 'mallory' WHERE seq = %s", (seq,))
        connection.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")


@pytest.fixture(params=["sqlite", "postgresql"])
def installation(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[dict[str, str], str, Path]]:
    """The environment of an installation, its kind, and its data folder."""
    if request.param == "sqlite":
        yield environment(tmp_path), "sqlite", tmp_path
        return
    server = postgres_server()
    unreachable = postgres_reachable(server)
    if unreachable:
        pytest.skip(unreachable)
    with scratch_database(server, DATABASE) as url:
        yield environment(tmp_path, database_url=url), url, tmp_path


def test_writers_appending_at_once_leave_a_gap_free_chain_that_verifies_and_an_edit_is_still_found(
    installation: tuple[dict[str, str], str, Path],
) -> None:
    env, where, data_dir = installation
    write_records(env, 1, "seed")  # migrates the database and starts the chain
    writers = [writer_process(env, EACH, f"writer-{n}") for n in range(WRITERS)]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err

    done = cyberspex(env, "audit", "verify")
    assert done.status == 0, done
    assert done.out.splitlines()[-1] == f"audit trail intact: {1 + WRITERS * EACH} record(s) verified", done

    if where == "sqlite":
        _edit_sqlite(data_dir / "cyberspex.sqlite3", 1 + WRITERS * EACH // 2)
    else:
        _edit_postgres(where, 1 + WRITERS * EACH // 2)
    edited = cyberspex(env, "audit", "verify")
    assert edited.status == 1, edited
    assert f"record {1 + WRITERS * EACH // 2}" in edited.out + edited.err, edited
