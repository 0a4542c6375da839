"""Two real instances on loopback, each served by `cyberspex serve` with its own SQLite data
directory, trust each other through their identity documents (`peers add`); a message enqueued on
A is delivered by `federation deliver --once`, stored once on B, and A records B's signed receipt.
The same message delivered again is stored once; a tampered envelope and a message from a peer B
removed are refused, and nothing of them is stored; a message to a peer A removed is not sent.
The instances themselves: tests/web/federation/instances.py; the fault tests (a peer killed or
stopped during delivery): tests/reliability/test_federation_faults.py."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.web.federation.instances import enqueue, trusting_pair

# On A, after the first delivery: B's receipt verified with B's keys; the same message sent again
# (as after a lost receipt) and B's answer; a tampered envelope sent and B's refusal.
AGAIN_AND_TAMPERED = """
import base64
from django.utils import timezone
from cyberspex.web.exchange.signing import canonical
from cyberspex.web.federation import envelope, keys
from cyberspex.web.federation.models import OutboxMessage
from cyberspex.web.federation.transport import HttpsTransport, TransportError
m = OutboxMessage.objects.get(pk="{first}")
header, raw = keys.verify_compact(m.receipt["jws"], m.peer.keys, m.received_at)
again = HttpsTransport().send(envelope.seal_envelope(m, timezone.now()), m.peer)
protected, _payload, signature = envelope.seal_envelope(m, timezone.now()).decode().split(".")
changed = {{**envelope.content(m, timezone.now()), "payload": {{"order": "forged"}}}}
forged = base64.urlsafe_b64encode(canonical(changed)).rstrip(b"=").decode()
try:
    HttpsTransport().send(f"{{protected}}.{{forged}}.{{signature}}".encode(), m.peer)
    tampered = "accepted"
except TransportError as error:
    tampered = [error.status, error.retryable, str(error)]
result = [m.state, m.attempts, json.loads(raw), again.decode() == m.receipt["jws"], tampered]
"""


def test_two_instances_exchange_a_signed_message_stored_once_and_refuse_tampering_and_a_removed_peer(
    tmp_path: Path,
) -> None:
    with trusting_pair(tmp_path) as (a, b):
        # A enqueues, its worker delivers: B stores it, A records B's signed receipt.
        [first] = enqueue(a, b, "order")
        assert a.health()["outbox"]["backlog"] == 1
        assert a.cli("federation", "deliver", "--once") == "delivered 1 message(s); 0 to retry later; 0 refused for good"
        assert b.inbox() == [(uuid.UUID(first).hex, "order", {"order": "order", "n": 0})]
        assert a.health()["outbox"] == {"backlog": 0, "oldest_undelivered_seconds": None}
        state, attempts, receipt, same_receipt, tampered = a.python(AGAIN_AND_TAMPERED.format(first=first))
        assert (state, attempts) == ("delivered", 1)
        assert (receipt["message"], receipt["receiver"], receipt["sender"]) == (first, "b.example", "a.example")
        # The same message delivered again: the same receipt, stored once.
        assert same_receipt is True
        # A tampered envelope: refused (401) for good, nothing stored.
        assert tampered[:2] == [401, False]
        assert "signature" in tampered[2]
        assert len(b.inbox()) == 1

        # B removes A: A's next message is refused (403) and waits in A's outbox, counted by /healthz.
        assert b.cli("peers", "remove", "a.example").startswith("a.example is no longer trusted")
        [second] = enqueue(a, b, "withdrawal")
        assert a.cli("federation", "deliver", "--once") == "delivered 0 message(s); 0 to retry later; 1 refused for good"
        assert len(b.inbox()) == 1
        [(state, error)] = a.rows("SELECT state, last_error FROM federation_outboxmessage WHERE id = ?", uuid.UUID(second).hex)
        assert state == "failed"
        assert "HTTP 403 unknown_peer" in error
        assert a.health()["outbox"]["backlog"] == 1
        refusals = b.rows("SELECT details FROM audit_auditentry WHERE details LIKE '%federation_message_refused%' ORDER BY seq")
        # One record a minute for the refusals of one address: the second is recorded only if it
        # came in the next minute (otherwise it is counted, for the address's next record).
        records = [json.loads(d)["refusal"] for (d,) in refusals]
        assert records in (["signature"], ["signature", "unknown_peer"])


def test_a_message_to_a_peer_the_sender_removed_is_neither_sent_nor_enqueued(tmp_path: Path) -> None:
    with trusting_pair(tmp_path) as (a, b):
        [waiting] = enqueue(a, b, "order")
        removal = a.cli("peers", "remove", "b.example")
        assert removal.startswith("b.example is no longer trusted")
        assert removal.endswith("1 message(s) not delivered to it are cancelled")
        # The message written before the removal is not sent, but cancelled: B sees no request at all.
        assert a.cli("federation", "deliver", "--once") == "delivered 0 message(s); 0 to retry later; 0 refused for good"
        [(state, attempts)] = a.rows("SELECT state, attempts FROM federation_outboxmessage WHERE id = ?", uuid.UUID(waiting).hex)
        assert (state, attempts) == ("cancelled", 0)
        assert a.health()["outbox"]["backlog"] == 0  # not a backlog: /healthz does not alert
        assert b.inbox() == []
        assert b.rows("SELECT COUNT(*) FROM audit_auditentry WHERE details LIKE '%federation_message%'") == [(0,)]
        # And no new message is written for it.
        refused = a.python("""
            from django.db import transaction
            from django.utils import timezone
            from cyberspex.web.errors import ApplicationError
            from cyberspex.web.federation import outbox
            from cyberspex.web.federation.models import Peer
            peer = Peer.objects.get(instance_id="b.example")
            try:
                with transaction.atomic():
                    outbox.enqueue(peer=peer, organisation="1", kind="order", payload={}, now=timezone.now())
                result = "enqueued"
            except ApplicationError as error:
                result = error.message
        """)
        assert refused == "the peer 'b.example' is not trusted"
