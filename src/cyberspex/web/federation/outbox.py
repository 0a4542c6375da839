"""The outbox: a message to a peer is written in the transaction of the change it reports
(:func:`enqueue`), then delivered by the worker (:func:`deliver_due`) until the peer's signed
receipt is recorded. Several workers may run at once: each claims due rows for a lease
(``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite, whose writers are serialised, the
lease alone). The messages of one request reach a peer in order: one is not sent while an earlier
one of the same request to the same peer is undelivered. A failure that may pass is retried with
exponential back-off, jittered and capped; a refusal that will not pass waits for an operator
(`cyberspex outbox retry ID`)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q

from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.federation import envelope, handlers, trail
from cyberspex.web.federation.models import HOLDS_BACK, OutboxMessage, OutboxState, Peer
from cyberspex.web.federation.transport import Transport, TransportError

if TYPE_CHECKING:
    from cyberspex.web.federation.files_models import FileTransfer

CLAIM_BATCH = 50
JITTER = secrets.SystemRandom().random
MAX_ERROR = 1000


def enqueue(
    *, peer: Peer, organisation: str, kind: str, payload: dict[str, Any], now: datetime, request: str = ""
) -> OutboxMessage:
    """Write a message for ``organisation`` at ``peer``; call it inside the transaction of the
    change the message reports, so that the change is never made without its message."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a message is enqueued in the transaction of the change it reports")
    if peer.removed_at is not None:
        raise ApplicationError(f"the peer {peer.instance_id!r} is not trusted", status=422, field="peer")
    if organisation not in {o["id"] for o in peer.organisations}:
        raise ApplicationError(
            f"the peer {peer.instance_id!r} hosts no organisation {organisation!r}", status=422, field="organisation"
        )
    sequence = 0
    if request:
        last = OutboxMessage.objects.filter(peer=peer, request=request).aggregate(last=Max("sequence"))["last"]
        sequence = (last or 0) + 1
    return OutboxMessage.objects.create(
        peer=peer,
        organisation=organisation,
        kind=kind,
        request=request,
        sequence=sequence,
        payload=payload,
        created_at=now,
        next_attempt_at=now,
    )


def backoff(attempts: int, jitter: float) -> timedelta:
    """The wait after the ``attempts``-th failure: the base doubled each time, capped, then
    scaled by 0.5 to 1 (``jitter`` in [0, 1)) so that messages failing together do not come back together."""
    base, cap = settings.FEDERATION_RETRY_BASE_SECONDS, settings.FEDERATION_RETRY_CAP_SECONDS
    seconds = min(cap, base * 2 ** min(max(attempts - 1, 0), 40))
    return timedelta(seconds=seconds * (0.5 + jitter / 2))


def claim(now: datetime, *, limit: int = CLAIM_BATCH, skip: frozenset[uuid.UUID] = frozenset()) -> list[OutboxMessage]:
    """Due messages no other worker holds and no earlier message of their request holds back;
    leased to this worker for FEDERATION_LEASE_SECONDS."""
    earlier = OutboxMessage.objects.filter(
        peer=OuterRef("peer"), request=OuterRef("request"), sequence__lt=OuterRef("sequence"), state__in=HOLDS_BACK
    )
    due = (
        OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now, peer__removed_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .exclude(pk__in=skip)
        .filter(~Exists(earlier))
        .select_related("peer")
        .order_by("next_attempt_at", "created_at", "sequence")
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        rows = list(due[:limit])
        OutboxMessage.objects.filter(pk__in=[m.pk for m in rows]).update(
            claimed_until=now + timedelta(seconds=settings.FEDERATION_LEASE_SECONDS)
        )
    return rows


@dataclass
class Pass:
    """What one pass of the worker did."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"delivered {self.delivered} message(s); {self.retrying} to retry later; {self.failed} refused for good"


def deliver_due(transport: Transport, *, clock: Callable[[], datetime], jitter: Callable[[], float] = JITTER) -> Pass:
    """One pass: deliver every message due now, batch after batch, each at most once."""
    done = Pass()
    seen: set[uuid.UUID] = set()
    while batch := claim(clock(), skip=frozenset(seen)):
        for message in batch:
            seen.add(message.pk)
            _deliver(message, transport, clock(), jitter(), done)
    return done


def _deliver(message: OutboxMessage, transport: Transport, now: datetime, jitter: float, done: Pass) -> None:
    sent = envelope.content(message, now)
    try:
        body = transport.send(envelope.seal_envelope(message, now), message.peer)
        facts = envelope.verify_receipt(body, message, envelope.content_sha256(sent), now)
    except TransportError as error:
        _failed(message, str(error), retryable=error.retryable, now=now, jitter=jitter, done=done)
        return
    except envelope.Malformed as error:
        _failed(message, str(error), retryable=False, now=now, jitter=jitter, done=done)
        return
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxState.DELIVERED,
            attempts=message.attempts + 1,
            claimed_until=None,
            last_error="",
            receipt=facts,
            received_at=datetime.fromisoformat(facts["received_at"]),
        )
        handlers.delivered(message, datetime.fromisoformat(facts["received_at"]))
        trail.record(
            now,
            Event.DISCLOSE,
            "federation_message",
            str(message.pk),
            {
                "action": "federation_message_delivered",
                "peer": message.peer.instance_id,
                "organisation": message.organisation,
                "kind": message.kind,
                "request": message.request,
                "sha256": facts["sha256"],
                "received_at": facts["received_at"],
            },
        )
    done.delivered += 1


def _failed(message: OutboxMessage, error: str, *, retryable: bool, now: datetime, jitter: float, done: Pass) -> None:
    attempts = message.attempts + 1
    changes: dict[str, Any] = {"attempts": attempts, "claimed_until": None, "last_error": error[:MAX_ERROR]}
    if retryable:
        changes["next_attempt_at"] = now + backoff(attempts, jitter)
        done.retrying += 1
    else:
        changes["state"] = OutboxState.FAILED
        done.failed += 1
    # A message cancelled meanwhile (its peer removed while it was being sent) stays cancelled.
    OutboxMessage.objects.filter(pk=message.pk).exclude(state=OutboxState.CANCELLED).update(**changes)
    done.errors.append(f"{message.pk}: {error}"[:MAX_ERROR])


@transaction.atomic
def retry(message_id: str, *, now: datetime, actor: str = trail.INSTANCE) -> OutboxMessage:
    """`cyberspex outbox retry ID` (or the administrator's "Retry now"): send an undelivered message
    again now; a cancelled one too, once its peer is trusted again."""
    try:
        key = uuid.UUID(message_id)
    except ValueError:
        raise NotFound(f"outbox message {message_id!r}") from None
    message = OutboxMessage.objects.select_for_update(of=("self",)).select_related("peer").filter(pk=key).first()
    if message is None:
        raise NotFound(f"outbox message {message_id!r}")
    if message.state == OutboxState.DELIVERED:
        raise ApplicationError(f"the message {message_id} is delivered: its receipt is recorded", status=409)
    if message.peer.removed_at is not None:
        raise ApplicationError(
            f"the peer {message.peer.instance_id!r} is not trusted: add its identity document again first", status=409
        )
    requeue(message, OutboxState.PENDING, now=now, actor=actor, object_type="federation_message")
    return message


def requeue(
    row: OutboxMessage | FileTransfer, pending: str, *, now: datetime, actor: str, object_type: str, **details: object
) -> None:
    """Put a message or a file transfer back to be sent on the worker's next pass; audited
    (``<object_type>_requeued``, with the state it was in and its attempts)."""
    previous = row.state
    row.state, row.next_attempt_at, row.claimed_until = pending, now, None
    row.save(update_fields=["state", "next_attempt_at", "claimed_until"])
    facts = {"action": f"{object_type}_requeued", "was": previous, "attempts": row.attempts, **details}
    trail.record(now, Event.CHANGE, object_type, str(row.pk), facts, actor=actor)
