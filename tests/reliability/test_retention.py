"""`cyberspex retention run` on a SQLite file, as an operator runs it: in batches, one transaction
each, so that other writers keep writing; killed mid-way it loses nothing and the next run
finishes the job; afterwards no byte of the erased personal data is left in the database file
or its write-ahead log."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from tests.reliability.retention_load import KEPT

SENTINEL = "Qmwnb-Sentinel-5308"
ROOT = Path(__file__).resolve().parents[2]
BATCH = 50


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "RETENTION_"))}
    return {
        **keep,
        "CYBERSPEX_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "reliability-tests",
        "AUDIT_CHAIN_KEY": "reliability-tests-audit-chain-key-0123456789",  # production refuses to run without one
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }


def _seed(env: dict[str, str], count: int) -> None:
    command = [sys.executable, "-m", "tests.reliability.retention_load", "seed", str(count), SENTINEL]
    subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=600)


def _retention(env: dict[str, str], *options: str) -> list[str]:
    command = [sys.executable, "-m", "cyberspex", "retention", "run", *options]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=600)
    return done.stdout.splitlines()


@contextmanager
def _database(env: dict[str, str]) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(Path(env["CYBERSPEX_DATA_DIR"]) / "cyberspex.sqlite3")) as database:
        yield database


def _one(database: sqlite3.Connection, sql: str) -> int:
    value: int = database.execute(sql, {"s": f"%{SENTINEL}%"}).fetchone()[0]  # :s is the sentinel's LIKE pattern
    return value


def _state(env: dict[str, str]) -> dict[str, int]:
    """What is erased, and every way in which a case could be half-erased."""
    with _database(env) as db:
        return {
            "erased": _one(db, "SELECT count(*) FROM cases_case WHERE erased_at IS NOT NULL"),
            "erasure records": _one(db, "SELECT count(*) FROM audit_auditentry WHERE event = 'erase'"),
            "cases erased twice": _one(
                db,
                "SELECT count(*) FROM (SELECT object_id FROM audit_auditentry WHERE event = 'erase' "
                "GROUP BY object_id HAVING count(*) > 1)",
            ),
            "erased without a record": _one(
                db,
                "SELECT count(*) FROM cases_case c WHERE erased_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                "audit_auditentry e WHERE e.event = 'erase' AND e.object_id = CAST(c.id AS TEXT))",
            ),
            "erased but personal data left": _one(
                db,
                "SELECT count(*) FROM cases_case c WHERE erased_at IS NOT NULL AND (c.title LIKE "
                ":s OR c.persons LIKE :s OR EXISTS (SELECT 1 FROM cases_request r LEFT JOIN "
                "cases_transition t ON t.request_id = r.id WHERE r.case_id = c.id AND (r.data LIKE "
                ":s OR t.note LIKE :s)) OR EXISTS (SELECT 1 FROM audit_auditentry e JOIN "
                "audit_audittext x ON x.entry_id = e.id WHERE e.object_type = 'case' AND e.object_id = "
                "CAST(c.id AS TEXT) AND x.text LIKE :s))",
            ),
            "not erased but personal data gone": _one(
                db,
                "SELECT count(*) FROM cases_case c WHERE erased_at IS NULL AND (c.title NOT LIKE :s OR "
                "NOT EXISTS (SELECT 1 FROM audit_auditentry e JOIN audit_audittext x ON x.entry_id = e.id "
                "WHERE e.object_id = CAST(c.id AS TEXT) AND x.text LIKE :s))",
            ),
        }


CONSISTENT = {
    "cases erased twice": 0,
    "erased without a record": 0,
    "erased but personal data left": 0,
    "not erased but personal data gone": 0,
}


def _verify(env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "cyberspex", "audit", "verify"]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=600).stdout


def test_a_run_killed_mid_way_loses_nothing_and_the_next_run_finishes_the_job(env: dict[str, str]) -> None:
    due = 600
    _seed(env, due)
    command = [sys.executable, "-m", "cyberspex", "retention", "run", "--batch-size", str(BATCH)]
    run = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert run.stdout is not None
    for line in run.stdout:
        if line.startswith("batch 4:"):
            run.send_signal(signal.SIGKILL)  # in the middle of the fifth batch, or between batches
            break
    assert run.wait(timeout=60) == -signal.SIGKILL

    killed = _state(env)
    assert killed | CONSISTENT == killed  # no case half-erased, none without its record
    assert killed["erased"] == killed["erasure records"]
    assert killed["erased"] % BATCH == 0
    assert BATCH * 4 <= killed["erased"] < due

    lines = _retention(env, "--batch-size", str(BATCH))
    assert lines[0].startswith(f"batch 1: erased {BATCH} case(s), {BATCH} of {due - killed['erased']} ")
    assert lines[-1].startswith(f"erased {due - killed['erased']} case(s) past their retention review date")
    assert _state(env) == {"erased": due, "erasure records": due, **CONSISTENT}
    assert _verify(env).startswith("audit trail intact")
    assert _retention(env) == ["erased 0 case(s) past their retention review date"]


def test_after_a_run_no_byte_of_the_erased_data_is_left_in_the_file_or_its_log(env: dict[str, str]) -> None:
    _seed(env, 300)
    folder = Path(env["CYBERSPEX_DATA_DIR"])
    files = {"database": folder / "cyberspex.sqlite3", "write-ahead log": folder / "cyberspex.sqlite3-wal"}
    lines = _retention(env, "--batch-size", "100")
    assert lines[-1].endswith("; write-ahead log checkpointed and truncated")
    assert not files["write-ahead log"].exists() or files["write-ahead log"].stat().st_size == 0
    with _database(env) as db:
        kept = {row[0] for row in db.execute("SELECT reference FROM cases_case WHERE erased_at IS NULL")}
    assert len(kept) == KEPT
    raw = files["database"].read_bytes()  # free pages and cells included
    assert raw.count(SENTINEL.encode()) == _occurrences_in_kept_cases(env) == KEPT * 7  # the cases not yet due only


def _occurrences_in_kept_cases(env: dict[str, str]) -> int:
    """How often the sentinel is stored for the cases not yet due (each such value is one record cell)."""
    with _database(env) as db:
        rows = db.execute(
            "SELECT c.title, c.summary_of_facts, c.offences, c.identifiers, c.persons, r.data, t.note FROM cases_case c "
            "JOIN cases_request r ON r.case_id = c.id JOIN cases_transition t ON t.request_id = r.id WHERE c.erased_at IS NULL"
        ).fetchall()
        texts = db.execute(
            "SELECT x.text FROM audit_audittext x JOIN audit_auditentry e ON x.entry_id = e.id WHERE e.event = 'view'"
        ).fetchall()
    cells = [str(v) for row in rows for v in row] + [row[0] for row in texts]
    return sum(cell.count(SENTINEL) for cell in cells)


def test_other_writers_keep_writing_while_a_run_erases_thousands_of_cases(env: dict[str, str], tmp_path: Path) -> None:
    _seed(env, 2000)
    stop = tmp_path / "stop"
    command = [sys.executable, "-m", "tests.reliability.retention_load", "write", str(stop)]
    writer = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        lines = _retention(env)  # the default batch size
    finally:
        stop.touch()
        out, _ = writer.communicate(timeout=60)
    figures = json.loads(out)
    assert lines[-1].startswith("erased 2000 case(s)")
    assert figures["locked"] == 0, figures
    assert figures["writes"] > 0


@pytest.mark.parametrize("size", ["0", "5001", "many"])
def test_a_batch_size_out_of_range_is_refused_in_one_line_before_anything_is_touched(env: dict[str, str], size: str) -> None:
    command = [sys.executable, "-m", "cyberspex", "retention", "run", "--batch-size", size]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--batch-size" in done.stderr
    assert not (Path(env["CYBERSPEX_DATA_DIR"]) / "cyberspex.sqlite3").exists()
