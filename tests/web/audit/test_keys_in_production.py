"""In production the platform does not start without its audit keys; the worker signs checkpoints.

Each command runs in a process of its own, as an operator runs it, on a SQLite database in a
folder of the test's own.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.web.audit.processes import CHAIN_KEY, cyberspex, environment, write_records


def test_the_commands_that_write_refuse_to_start_in_production_without_the_chain_key(tmp_path: Path) -> None:
    env = environment(tmp_path, keys=False)
    for command in (["serve", "--port", "8999"], ["worker", "--once"], ["retention", "run"], ["restore", "none.sqlite3"]):
        done = cyberspex(env, *command)
        assert done.status == 2, done
        assert "AUDIT_CHAIN_KEY" in done.err
        assert "does not run in production without the audit keys" in done.err
        assert "Traceback" not in done.err
        assert len(done.err.strip().splitlines()) == 1


def test_the_worker_refuses_to_start_without_the_checkpoint_key_unless_checkpoints_are_off(tmp_path: Path) -> None:
    env = environment(tmp_path, keys=False, AUDIT_CHAIN_KEY=CHAIN_KEY)
    done = cyberspex(env, "worker", "--once")
    assert (done.status, "AUDIT_CHECKPOINT_KEY not set (or AUDIT_CHECKPOINT_INTERVAL=0)" in done.err) == (2, True), done
    done = cyberspex(env | {"AUDIT_CHECKPOINT_INTERVAL": "0"}, "worker", "--once")
    assert (done.status, done.out.strip()) == (0, "sent 0 reminder(s)"), done


def test_a_demo_or_a_debug_run_needs_no_key(tmp_path: Path) -> None:
    done = cyberspex(environment(tmp_path, keys=False, DEBUG="True"), "worker", "--once")
    assert (done.status, done.out.strip()) == (0, "sent 0 reminder(s)"), done


def test_an_existing_unkeyed_chain_is_sealed_at_the_first_start_with_a_key_and_then_checkpointed(tmp_path: Path) -> None:
    write_records(environment(tmp_path, keys=False), 3)  # the platform before this release
    env = environment(tmp_path)
    first = cyberspex(env, "worker", "--once")
    assert first.status == 0, first
    assert first.out.splitlines() == [
        "audit chain sealed with the current key from record 4",
        "sent 0 reminder(s); checkpoint of record 4 signed",
    ]
    log = [json.loads(line) for line in (tmp_path / "checkpoints" / "checkpoints.jsonl").read_text().splitlines()]
    assert [point["seq"] for point in log] == [4]
    again = cyberspex(env, "worker", "--once")
    assert again.out.strip() == "sent 0 reminder(s)"  # nothing new to seal or vouch for
    verified = cyberspex(env, "audit", "verify")
    assert verified.status == 0, verified
    assert verified.out.splitlines()[-1] == "audit trail intact: 4 record(s) verified"
    assert verified.out.startswith("checked against the latest checkpoint: record 4, signed ")
    web_server = cyberspex({k: v for k, v in env.items() if k != "AUDIT_CHECKPOINT_KEY"}, "audit", "verify")
    assert web_server.status == 0, web_server  # the chain key alone verifies the chain, and says what it could not check
    assert web_server.out.splitlines()[0].endswith(": AUDIT_CHECKPOINT_KEY is not set")


def test_verifying_a_keyed_chain_without_the_key_is_a_one_line_error(tmp_path: Path) -> None:
    env = environment(tmp_path)
    write_records(env, 2)
    done = cyberspex(environment(tmp_path, keys=False), "audit", "verify")
    assert done.status == 2, done
    assert "sealed with a key" in done.err
    assert "set AUDIT_CHAIN_KEY" in done.err
    assert "Traceback" not in done.err


def test_a_record_appended_to_the_database_by_hand_is_named_by_audit_verify(tmp_path: Path) -> None:
    env = environment(tmp_path)
    write_records(env, 2)
    with sqlite3.connect(tmp_path / "cyberspex.sqlite3") as connection:  # the attacker: plain SQL, a well-formed record, no key
        head_hash = connection.execute("SELECT hash FROM audit_auditentry ORDER BY seq DESC LIMIT 1").fetchone()[0]
        connection.execute(
            "INSERT INTO audit_auditentry (seq, at, actor, organisation, event, object_type, object_id, justification, "
            "details, previous_hash, hash, key_id) VALUES (3, '2026-11-28 09:00:00', 'mallory', '', 'view', '', '', '', "
            "'{}', ?, ?, NULL)",
            (head_hash, "a" * 64),
        )
    done = cyberspex(env, "audit", "verify")
    assert done.status == 1, done
    assert done.out.strip().endswith(
        "audit trail broken at record 3: the record is not sealed with a key although earlier records are "
        "(2 record(s) verified before it)"
    )


def test_a_checkpoint_file_that_is_not_a_checkpoint_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "checkpoint.json"
    bad.write_text('{"seq": "x", "hash": "0", "signature": ""}')
    done = cyberspex(environment(tmp_path), "audit", "verify", "--checkpoint", str(bad))
    assert (done.status, "is not a checkpoint" in done.err, "Traceback" in done.err) == (2, True, False), done


def test_a_chain_key_that_is_too_short_is_a_one_line_error(tmp_path: Path) -> None:
    done = cyberspex(environment(tmp_path, AUDIT_CHAIN_KEY="short"), "worker", "--once")
    assert (done.status, "at least 32 characters" in done.err, "Traceback" in done.err) == (2, True, False), done
