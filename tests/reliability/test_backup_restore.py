"""`cyberspex backup` and `cyberspex restore`, round trip on SQLite and on PostgreSQL.

Every command runs in a process of its own, as an operator runs it, with the audit keys set.
Exit statuses: 0 done; 1 the audit trail of the backup does not verify (or contradicts the
latest checkpoint): refused; 2 a usage error; 3 the restore would go back past the latest
checkpoint or the current database: refused without --allow-rollback. A refused restore
changes nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.web.audit.processes import (
    Done,
    cyberspex,
    environment,
    postgres_reachable,
    postgres_server,
    scratch_database,
    write_records,
    writer_process,
)

# Names of this process's own, so that test runs sharing one PostgreSQL server do not collide.
PG_DATABASES = (f"cyberspex_backup_{os.getpid()}", f"cyberspex_backup_copy_{os.getpid()}")
WRITES = 200  # records the writer appends, one transaction each, while backups are taken


@dataclass
class Platform:
    """One installation (data folder and database), and where to restore it elsewhere."""

    kind: str
    env: dict[str, str]
    data_dir: Path
    elsewhere: Callable[[str], dict[str, str]]  # a second installation, by the name of its data folder
    tamper: Callable[[int], None]  # changes the actor of record N in the live database, as an attacker with DDL rights

    def run(self, *args: str) -> Done:
        return cyberspex(self.env, *args)


def records(env: dict[str, str]) -> int:
    """The number of records `cyberspex audit verify` finds intact (it must find the trail intact)."""
    done = cyberspex(env, "audit", "verify")
    assert done.status == 0, done
    last = done.out.splitlines()[-1]
    assert last.startswith("audit trail intact: "), done
    return int(last.split(": ")[1].split()[0])


def _sqlite_tamper(database: Path) -> Callable[[int], None]:
    def tamper(seq: int) -> None:
        with sqlite3.connect(database) as connection:
            connection.execute("DROP TRIGGER audit_no_update")
            connection.execute("UPDATE audit_auditentry SET actor = 'mallory' WHERE seq = ?", (seq,))
            connection.execute(
                "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditentry "
                "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
            )

    return tamper


def _postgres_tamper(url: str) -> Callable[[int], None]:
    def tamper(seq: int) -> None:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            connection.execute("UPDATE audit_auditentry SET actor = 'mallory' WHERE seq = %s", (seq,))
            connection.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")

    return tamper


@pytest.fixture(params=["sqlite", "postgresql"])
def platform(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Platform]:
    live = tmp_path / "live"
    if request.param == "sqlite":
        yield Platform(
            "sqlite",
            environment(live),
            live,
            lambda name: environment(tmp_path / name),
            _sqlite_tamper(live / "cyberspex.sqlite3"),
        )
        return
    server = postgres_server()
    unreachable = postgres_reachable(server)
    if unreachable:
        pytest.skip(unreachable)
    with scratch_database(server, PG_DATABASES[0]) as url, scratch_database(server, PG_DATABASES[1]) as other:
        yield Platform(
            "postgresql",
            environment(live, database_url=url),
            live,
            lambda name: environment(tmp_path / name, database_url=other),
            _postgres_tamper(url),
        )


def _checkpoint_seqs(platform: Platform) -> list[int]:
    log = platform.data_dir / "checkpoints" / "checkpoints.jsonl"
    return [json.loads(line)["seq"] for line in log.read_text().splitlines()]


def test_a_backup_restores_and_a_restore_behind_the_latest_checkpoint_needs_allow_rollback(
    platform: Platform, tmp_path: Path
) -> None:
    write_records(platform.env, 4)
    assert platform.run("worker", "--once").status == 0  # the worker signs a checkpoint of record 4
    made = platform.run("backup", str(tmp_path / "backup"))
    assert made.status == 0, made
    assert (tmp_path / "backup").stat().st_mode & 0o777 == 0o600  # personal data: the platform's user only
    where = "backup" if platform.kind == "sqlite" else "database"
    assert made.out.splitlines()[1] == f"audit trail intact: 4 record(s) verified in the {where}; last record 4"

    done = platform.run("restore", str(tmp_path / "backup"))
    assert done.status == 0, done
    assert "latest checkpoint: record 4, signed " in done.out
    assert "audit trail intact: 4 record(s) verified after the restore; the restore is record 5" in done.out
    assert records(platform.env) == 5

    write_records(platform.env, 2)
    recorded = platform.run("audit", "checkpoint", "--record")  # the worker would, an interval after the last one
    assert recorded.out.startswith("checkpoint of record 7 appended to "), recorded
    refused = platform.run("restore", str(tmp_path / "backup"))
    assert refused.status == 3, refused
    assert refused.out.strip() == (
        "restore refused: the latest checkpoint vouches for record 7, the backup ends at record 4; "
        "the current database holds 7 record(s), the backup 4: restoring would lose or replace audit records. "
        "Nothing was changed; to restore anyway, pass --allow-rollback"
    )
    assert records(platform.env) == 7  # nothing changed

    allowed = platform.run("restore", str(tmp_path / "backup"), "--allow-rollback")
    assert allowed.status == 0, allowed
    assert "(allowed by --allow-rollback)" in allowed.out
    assert records(platform.env) == 5  # the four of the backup and the record of this restore
    assert _checkpoint_seqs(platform) == [4, 5, 7, 5]  # the latest vouches for the restored state


def test_a_backup_whose_audit_trail_is_broken_is_refused_and_nothing_changes(platform: Platform, tmp_path: Path) -> None:
    write_records(platform.env, 3)
    assert platform.run("backup", str(tmp_path / "good")).status == 0
    platform.tamper(2)
    broken = platform.run("backup", str(tmp_path / "broken"))
    assert broken.status == 1, broken  # written, and the damage reported
    assert "warning: in the " in broken.out
    assert "audit trail is broken at record 2: the record's content does not match its hash (edited)" in broken.out
    refused = platform.run("restore", str(tmp_path / "broken"))
    assert refused.status == 1, refused
    assert refused.out.startswith("restore refused: the audit trail is broken at record 2")
    repaired = platform.run("restore", str(tmp_path / "good"))  # the good backup repairs the database
    assert repaired.status == 0, repaired
    assert records(platform.env) == 4


def test_a_restore_behind_the_current_database_is_refused_and_bad_files_are_usage_errors(
    platform: Platform, tmp_path: Path
) -> None:
    write_records(platform.env, 2)
    assert platform.run("backup", str(tmp_path / "old")).status == 0
    again = platform.run("backup", str(tmp_path / "old"))
    assert (again.status, "exists already" in again.err) == (2, True)
    write_records(platform.env, 2)
    refused = platform.run("restore", str(tmp_path / "old"))  # no checkpoint: the worker never ran
    assert refused.status == 3, refused
    assert "the current database holds 4 record(s), the backup 2" in refused.out
    (tmp_path / "notes.txt").write_text("not a backup\n")
    for file, problem in (("notes.txt", "is not a "), ("missing", "no backup file")):
        done = platform.run("restore", str(tmp_path / file))
        assert (done.status, problem in done.err, "Traceback" in done.err) == (2, True, False), done


def test_a_backup_taken_while_the_platform_writes_restores_to_a_consistent_verifiable_state(
    platform: Platform, tmp_path: Path
) -> None:
    write_records(platform.env, 1)  # migrated, one record
    writer = writer_process(platform.env, WRITES)
    backups = []
    try:
        for n in range(2):
            backup = tmp_path / f"during-{n}"
            made = platform.run("backup", str(backup))
            assert made.status == 0, made
            backups.append(backup)
    finally:
        _, err = writer.communicate(timeout=300)
    assert writer.returncode == 0, err
    assert records(platform.env) == 1 + WRITES
    restored = []
    for n, backup in enumerate(backups):
        elsewhere = platform.elsewhere(f"elsewhere-{n}")
        done = cyberspex(elsewhere, "restore", str(backup), "--allow-rollback")  # PostgreSQL: one database, restored twice
        assert done.status == 0, done
        restored.append(records(elsewhere))
    # Each backup is a snapshot between two commits: 1 to 1 + WRITES records, and the record of the restore.
    assert all(2 <= count <= 2 + WRITES for count in restored), restored
