"""The outbox and its worker (federation/outbox.py), with a transport played by the test: a
message is enqueued only inside a transaction, delivered until the peer's signed receipt is
recorded, retried with capped exponential back-off, held back behind an earlier message of its
request, and re-queued by an operator."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from joserfc import jws

from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.errors import ApplicationError
from cyberspex.web.federation import outbox, selectors, trust
from cyberspex.web.federation.models import UNDELIVERED, OutboxMessage, OutboxState, Peer
from cyberspex.web.federation.transport import TransportError
from tests.web.federation.remote import Remote
from tests.web.helpers import NOW

pytestmark = pytest.mark.django_db


class Played:
    """A transport whose peer answers as ``answer`` says (a receipt, or a TransportError)."""

    def __init__(self, answer: Callable[[bytes], bytes]) -> None:
        self.answer = answer
        self.sent: list[bytes] = []

    def send(self, envelope: bytes, peer: Peer) -> bytes:  # noqa: ARG002
        self.sent.append(envelope)
        return self.answer(envelope)


def _down(_: bytes) -> bytes:
    raise TransportError("the peer cannot be reached: connection refused", retryable=True)


def _refusing(_: bytes) -> bytes:
    raise TransportError("the peer refused the message: HTTP 404 unknown_organisation", retryable=False, status=404)


def _enqueue(request: str = "R-1", kind: str = "order", at: datetime = NOW) -> OutboxMessage:
    with transaction.atomic():
        return outbox.enqueue(
            peer=Peer.objects.get(), organisation="7", kind=kind, payload={"kind": kind}, now=at, request=request
        )


def _run(transport: Played, at: datetime = NOW, jitter: float = 0.0) -> outbox.Pass:
    return outbox.deliver_due(transport, clock=lambda: at, jitter=lambda: jitter)


@pytest.mark.usefixtures("remote")
def test_a_message_for_an_organisation_the_peer_does_not_host_is_not_enqueued() -> None:
    with pytest.raises(ApplicationError, match="hosts no organisation '8'"), transaction.atomic():
        outbox.enqueue(peer=Peer.objects.get(), organisation="8", kind="order", payload={}, now=NOW)


def test_the_worker_delivers_a_message_and_records_the_peers_signed_receipt(remote: Remote) -> None:
    message = _enqueue()
    transport = Played(lambda sent: remote.receipt(sent, received_at=NOW + timedelta(seconds=1)))
    assert _run(transport).delivered == 1
    message.refresh_from_db()
    assert (message.state, message.attempts, message.received_at) == (OutboxState.DELIVERED, 1, NOW + timedelta(seconds=1))
    assert message.receipt is not None
    assert message.receipt["receiver"] == "remote.example"
    assert AuditEntry.objects.get(details__action="federation_message_delivered").object_id == str(message.pk)
    assert _run(transport).delivered == 0
    assert len(transport.sent) == 1


@pytest.mark.parametrize(
    "forged",
    [
        {"message": "00000000-0000-0000-0000-000000000000"},
        {"sha256": "0" * 64},
        {"receiver": "elsewhere.example"},
    ],
)
def test_a_receipt_that_is_not_for_the_message_is_not_recorded(remote: Remote, forged: dict[str, str]) -> None:
    message = _enqueue()
    assert _run(Played(lambda sent: remote.receipt(sent, **forged))).failed == 1
    message.refresh_from_db()
    assert (message.state, message.receipt) == (OutboxState.FAILED, None)
    assert "not for this message" in message.last_error


@pytest.mark.usefixtures("remote")
def test_a_receipt_signed_by_another_key_is_not_recorded() -> None:
    message = _enqueue()
    assert _run(Played(lambda sent: Remote().receipt(sent))).failed == 1
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED
    assert "does not verify" in message.last_error


@override_settings(FEDERATION_RETRY_BASE_SECONDS=10, FEDERATION_RETRY_CAP_SECONDS=300)
@pytest.mark.usefixtures("remote")
def test_a_failure_that_may_pass_is_retried_with_exponential_back_off_jittered_and_capped() -> None:
    message = _enqueue()
    at = NOW
    waits = []
    for _ in range(7):
        _run(Played(_down), at=at, jitter=1.0)
        message.refresh_from_db()
        waits.append((message.next_attempt_at - at).total_seconds())
        at = message.next_attempt_at
    assert waits == [10, 20, 40, 80, 160, 300, 300]
    assert (message.state, message.attempts) == (OutboxState.PENDING, 7)
    assert "connection refused" in message.last_error
    assert outbox.backoff(1, 0.0) == timedelta(seconds=5)  # the jitter takes up to half off


@pytest.mark.usefixtures("remote")
def test_a_message_is_not_sent_before_its_next_attempt() -> None:
    _enqueue()
    _run(Played(_down), jitter=1.0)
    transport = Played(_down)
    assert _run(transport, at=NOW + timedelta(seconds=9)).retrying == 0
    assert transport.sent == []


def test_a_refusal_that_will_not_pass_waits_for_an_operator_who_re_queues_it(remote: Remote) -> None:
    message = _enqueue()
    assert _run(Played(_refusing)).failed == 1
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED
    assert "unknown_organisation" in message.last_error
    assert _run(Played(_refusing), at=NOW + timedelta(days=1)).failed == 0  # not sent again by itself
    outbox.retry(str(message.pk), now=NOW + timedelta(days=1))
    assert AuditEntry.objects.filter(details__action="federation_message_requeued").count() == 1
    assert _run(Played(remote.receipt), at=NOW + timedelta(days=1)).delivered == 1
    with pytest.raises(ApplicationError, match="is delivered"):
        outbox.retry(str(message.pk), now=NOW + timedelta(days=1))


def _content(sent: bytes) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(jws.extract_compact(sent).payload)
    return content


def test_messages_of_one_request_reach_the_peer_in_order(remote: Remote) -> None:
    first, second = _enqueue(kind="order"), _enqueue(kind="withdrawal")
    other = _enqueue(request="R-2", kind="order")
    assert (first.sequence, second.sequence, other.sequence) == (1, 2, 1)

    def down_for_r1(sent: bytes) -> bytes:
        return _down(sent) if _content(sent)["request"] == "R-1" else remote.receipt(sent)

    transport = Played(down_for_r1)
    done = _run(transport)
    assert (done.delivered, done.retrying) == (1, 1)  # R-2's order went; R-1's withdrawal waits behind R-1's order
    assert sorted((_content(s)["request"], _content(s)["kind"]) for s in transport.sent) == [("R-1", "order"), ("R-2", "order")]
    second.refresh_from_db()
    assert (second.state, second.attempts) == (OutboxState.PENDING, 0)
    later = Played(remote.receipt)
    assert _run(later, at=NOW + timedelta(hours=1)).delivered == 2
    assert [_content(s)["kind"] for s in later.sent] == ["order", "withdrawal"]


@pytest.mark.usefixtures("remote")
def test_a_message_claimed_by_a_worker_is_not_claimed_by_another_until_its_lease_ends() -> None:
    _enqueue()
    assert len(outbox.claim(NOW)) == 1
    assert outbox.claim(NOW + timedelta(seconds=60)) == []
    assert len(outbox.claim(NOW + timedelta(seconds=121))) == 1


def test_messages_to_a_removed_peer_are_not_sent(remote: Remote) -> None:
    _enqueue()
    trust.remove(remote.instance_id, now=NOW)
    transport = Played(remote.receipt)
    assert _run(transport).delivered == 0
    assert transport.sent == []


def test_the_backlog_counts_the_undelivered_messages_and_the_age_of_the_oldest(remote: Remote) -> None:
    assert selectors.backlog(NOW) == {"backlog": 0, "oldest_undelivered_seconds": None}
    _enqueue(at=NOW - timedelta(minutes=5))
    _enqueue(request="R-2", at=NOW - timedelta(minutes=1))
    _run(Played(remote.receipt), at=NOW)
    _enqueue(request="R-3", at=NOW - timedelta(seconds=30))
    _run(Played(_refusing), at=NOW)
    assert selectors.backlog(NOW) == {"backlog": 1, "oldest_undelivered_seconds": 30.0}


def test_the_backlog_query_counts_the_states_the_model_calls_undelivered() -> None:
    assert all(f"'{state.value}'" in selectors.BACKLOG_SQL for state in UNDELIVERED)
    assert set(OutboxState) - set(UNDELIVERED) == {OutboxState.DELIVERED, OutboxState.CANCELLED}
