"""Reads of the federation tables: the outbox as operators list it, and its backlog for /healthz."""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from cyberspex.web.federation.models import OutboxMessage, OutboxState

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
