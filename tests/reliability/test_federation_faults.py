"""Faults between two real instances on loopback (tests/web/federation/instances.py): the receiving
instance killed with SIGKILL while a batch is being delivered and started again on the same data
directory, and the network cut by stopping the receiving instance for a while. In both, A's worker
(`cyberspex federation deliver`) goes on by itself: every message is stored exactly once on B and
every outbox row on A is delivered with B's receipt (0 lost, 0 duplicated). Back-off is shortened
(1 s, capped at 2 s) so that each test takes well under a minute.

The same message delivered twice, a tampered envelope and a removed peer are in
tests/web/federation/test_two_instances.py (and, four deliveries at once on PostgreSQL,
tests/web/federation/test_at_once.py)."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from tests.web.federation.instances import Instance, enqueue, trusting_pair

BATCH = 50
SHORT_BACKOFF = {"FEDERATION_RETRY_BASE_SECONDS": "1", "FEDERATION_RETRY_CAP_SECONDS": "2"}


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds:g} s: {what}"
        time.sleep(0.02)


def _stored(b: Instance) -> int:
    return int(b.rows("SELECT COUNT(*) FROM federation_inboxmessage")[0][0])


def _undelivered(a: Instance) -> int:
    return int(a.rows("SELECT COUNT(*) FROM federation_outboxmessage WHERE state != 'delivered'")[0][0])


def _assert_each_stored_once_with_its_receipt(a: Instance, b: Instance, ids: list[str]) -> None:
    stored = [uuid.UUID(i).hex for (i,) in b.rows("SELECT message_id FROM federation_inboxmessage")]
    assert sorted(stored) == sorted(uuid.UUID(i).hex for i in ids)  # none lost, none twice
    sent = a.rows("SELECT id, state, receipt, received_at FROM federation_outboxmessage")
    assert len(sent) == len(ids)
    for message_id, state, receipt, received_at in sent:
        facts = json.loads(receipt)
        assert (state, facts["message"], facts["receiver"]) == ("delivered", str(uuid.UUID(message_id)), "b.example")
        assert received_at is not None
    # B answered each message with one receipt, recorded once on A (one audit record per delivery).
    received = b.rows("SELECT COUNT(*) FROM audit_auditentry WHERE details LIKE '%federation_message_received%'")
    delivered = a.rows("SELECT COUNT(*) FROM audit_auditentry WHERE details LIKE '%federation_message_delivered%'")
    assert received == delivered == [(len(ids),)]


def _stop(worker: subprocess.Popen[str]) -> str:
    worker.terminate()
    _out, errors = worker.communicate(timeout=30)
    return errors


def test_the_receiver_killed_mid_batch_and_restarted_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    with trusting_pair(tmp_path, a=SHORT_BACKOFF) as (a, b):
        ids = enqueue(a, b, "order", count=BATCH, request="")  # independent messages: any order
        worker = a.worker("--interval", "0.2")
        try:
            _wait_for(lambda: _stored(b) >= 3, "B stores the first messages")
            b.served.kill()  # master and worker, mid-delivery
            at_kill = _stored(b)
            assert 0 < at_kill < BATCH, "the kill came after the whole batch: nothing was interrupted"
            time.sleep(1.5)  # A's worker meets a closed port meanwhile, and backs off
            b.served.start()  # the same data directory and port
            _wait_for(lambda: _undelivered(a) == 0, "A's worker delivers the rest")
        finally:
            errors = _stop(worker)
    assert "the peer cannot be reached" in errors, errors[-2000:]
    _assert_each_stored_once_with_its_receipt(a, b, ids)


def test_a_peer_out_of_reach_gets_its_messages_with_back_off_once_it_is_back(tmp_path: Path) -> None:
    with trusting_pair(tmp_path, a=SHORT_BACKOFF) as (a, b):
        b.served.stop()  # the network cut: nothing answers at B's address
        ids = enqueue(a, b, "order", count=5)  # one request: delivered in order
        assert a.cli("federation", "deliver", "--once") == "delivered 0 message(s); 1 to retry later; 0 refused for good"
        # Only the first of the request was tried; the others wait behind it.
        rows = a.rows("SELECT id, state, attempts, last_error, next_attempt_at > created_at FROM federation_outboxmessage")
        first = next(r for r in rows if r[0] == uuid.UUID(ids[0]).hex)
        assert first[1:3] == ("pending", 1)
        assert first[3]
        assert first[4] == 1  # backed off
        assert {r[2] for r in rows if r is not first} == {0}
        time.sleep(1)
        assert a.cli("federation", "deliver", "--once").startswith("delivered 0 message(s); 1 to retry later")
        [(attempts,)] = a.rows("SELECT attempts FROM federation_outboxmessage WHERE id = ?", uuid.UUID(ids[0]).hex)
        assert attempts == 2
        assert a.health()["outbox"]["backlog"] == len(ids)

        b.served.start()
        time.sleep(2)  # the back-off (at most the 2 s cap) passes
        assert (
            a.cli("federation", "deliver", "--once") == f"delivered {len(ids)} message(s); 0 to retry later; 0 refused for good"
        )
        order = [k for (k,) in b.rows("SELECT envelope FROM federation_inboxmessage ORDER BY id")]
        assert [json.loads(e)["payload"]["n"] for e in order] == list(range(len(ids)))
        assert a.health()["outbox"] == {"backlog": 0, "oldest_undelivered_seconds": None}
    _assert_each_stored_once_with_its_receipt(a, b, ids)
