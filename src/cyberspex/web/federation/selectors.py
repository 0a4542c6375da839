"""Reads of the federation tables: the outbox as operators list it, its backlog for /healthz,
the stuck messages and failed file transfers an administrator is shown, this instance's keys and
its peers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import F, Q

from cyberspex.web.federation.files_models import FileTransfer, TransferState
from cyberspex.web.federation.models import UNDELIVERED, InstanceKey, OutboxMessage, OutboxState, Peer

# One query on the partial index "outbox_undelivered", its condition (models.UNDELIVERED) written out
# the same way so that SQLite and PostgreSQL use it (tested): /healthz runs it on every probe, and
# benchmarks use /healthz as their baseline.
BACKLOG_SQL = "SELECT COUNT(*), MIN(created_at) FROM federation_outboxmessage WHERE state IN ('pending', 'failed')"


def backlog(now: datetime) -> dict[str, float | int | None]:
    """How many messages are undelivered, and the age in seconds of the oldest (None: none)."""
    with connection.cursor() as cursor:
        cursor.execute(BACKLOG_SQL)
        count, oldest = cursor.fetchone()
    if isinstance(oldest, str):  # SQLite gives the text back through a raw cursor
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=now.tzinfo)
    age = round((now - oldest).total_seconds(), 1) if oldest is not None else None
    return {"backlog": int(count), "oldest_undelivered_seconds": age}


def outbox(*, undelivered_only: bool = False, limit: int = 200) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.select_related("peer").order_by("-created_at")
    if undelivered_only:
        rows = rows.exclude(state=OutboxState.DELIVERED)
    return list(rows[:limit])


# A message is "stuck" when an operator should look at it: refused for good (failed), or still
# pending after this many attempts, or this long after it was written (a few back-off steps:
# FEDERATION_RETRY_BASE_SECONDS 10 doubles past an hour at the ninth attempt).
STUCK_ATTEMPTS = 5
STUCK_AGE = timedelta(hours=1)


def stuck(now: datetime, *, limit: int = 100) -> list[OutboxMessage]:
    """The undelivered messages an operator should look at, oldest first (failed, or pending with
    more than STUCK_ATTEMPTS attempts or older than STUCK_AGE)."""
    late = Q(state=OutboxState.PENDING) & (Q(attempts__gt=STUCK_ATTEMPTS) | Q(created_at__lte=now - STUCK_AGE))
    rows = OutboxMessage.objects.filter(state__in=UNDELIVERED).filter(Q(state=OutboxState.FAILED) | late)
    return list(rows.select_related("peer").order_by("created_at")[:limit])


def transfers(*, undelivered_only: bool = False, limit: int = 200) -> list[FileTransfer]:
    """The files sent (or to send) with messages, the newest first (``outbox files``)."""
    rows = FileTransfer.objects.select_related("message__peer").order_by("-created_at", "-pk")
    if undelivered_only:
        rows = rows.exclude(state=TransferState.SENT)
    return list(rows[:limit])


def failed_transfers(*, limit: int = 100) -> list[FileTransfer]:
    """The files the peer refused for good (or whose sealed copy no longer opens), oldest first."""
    rows = FileTransfer.objects.filter(state=TransferState.FAILED).select_related("message__peer")
    return list(rows.order_by("created_at", "pk")[:limit])


def cancelled(*, limit: int = 100) -> list[OutboxMessage]:
    """The messages cancelled when their peer was removed, the newest first: a peer added again
    may have them sent (``peers add --requeue``, ``outbox retry``)."""
    rows = OutboxMessage.objects.filter(state=OutboxState.CANCELLED).select_related("peer").order_by("-created_at")
    return list(rows[:limit])


def instance_keys() -> list[InstanceKey]:
    """Every key this instance has had, the newest first (none before the first is made on first use)."""
    return list(InstanceKey.objects.order_by("-created_at"))


def peers() -> list[Peer]:
    """Every peer ever trusted, the trusted ones first, then by id (a removed one is kept)."""
    return list(Peer.objects.order_by(F("removed_at").asc(nulls_first=True), "instance_id"))
