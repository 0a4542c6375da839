"""Retention (2AP Art 14(5)): the personal data of cases past their review date are erased, in batches.

Each batch is one transaction: its cases lose their personal data (title, facts, offences,
identifiers, persons, attachments, request data, transition notes, idempotency keys), the personal texts of
the audit records about them (justifications, notes) are deleted, and one erasure record per
case is appended, all together or not at all. A run stopped at any point (crash, SIGKILL,
Ctrl-C) therefore loses nothing: the batches committed are complete, the one under way is rolled
back, and the next run erases what is left. The write lock is released between batches, with a
short pause so that waiting writers get in. On SQLite, deleted content is overwritten
(``PRAGMA secure_delete``, set for every connection in settings.py) and the write-ahead log is
checkpointed and truncated once the run is over, so no copy of the erased data stays in the
database files (ADR 0013).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import QuerySet

from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.audit.personal import erase_texts
from cyberspex.web.cases.models import Attachment, Case, Deadline, Request, Transition

K = TypeVar("K", bound=Hashable)
ERASED = "[erased]"
JUSTIFICATION = "retention review date passed (2AP Art 14(5))"
KEPT_IN_REQUEST_DATA = ("form", "issuing_state", "recipient_state")
CHECKPOINT_TRIES = 20
MAX_BATCH = 5000  # keeps each statement's list of ids well within the databases' parameter limits


@dataclass(frozen=True)
class Batch:
    """One committed batch, as reported while the run goes on."""

    number: int
    erased: list[int]  # the case ids erased in this batch
    done: int  # cases erased so far in this run
    total: int  # cases that were due when the run started
    seconds: float  # how long the batch's transaction held the write lock


@dataclass(frozen=True)
class RetentionReport:
    erased: list[int]
    batches: int
    longest_batch_seconds: float
    wal: str  # what happened to SQLite's write-ahead log; "" on other databases


def due(now: datetime) -> QuerySet[Case]:
    return Case.objects.filter(retention_review_date__lte=now.date(), erased_at__isnull=True)


def retention_run(
    *,
    actor: User,
    now: datetime,
    batch_size: int | None = None,
    pause_seconds: float | None = None,
    on_batch: Callable[[Batch], None] | None = None,
) -> RetentionReport:
    """Erase every case whose review date has passed, ``batch_size`` cases per transaction."""
    size = settings.RETENTION_BATCH_SIZE if batch_size is None else batch_size
    pause = settings.RETENTION_PAUSE_MS / 1000 if pause_seconds is None else pause_seconds
    if not 1 <= size <= MAX_BATCH:
        raise ValueError(f"the batch size must be 1 to {MAX_BATCH}, not {size}")
    total = due(now).count()
    erased: list[int] = []
    longest, number = 0.0, 0
    while True:
        started = time.monotonic()
        batch = _erase_batch(actor, now, size)
        seconds = time.monotonic() - started
        if not batch:
            break
        number += 1
        erased += batch
        longest = max(longest, seconds)
        if on_batch is not None:
            on_batch(Batch(number, batch, len(erased), max(total, len(erased)), seconds))
        if len(batch) < size:
            break
        time.sleep(pause)  # let writers waiting for the lock in before the next batch
    return RetentionReport(erased, number, longest, checkpoint_wal() if erased else "")


def _erase_batch(actor: User, now: datetime, size: int) -> list[int]:
    with transaction.atomic():
        cases = list(due(now).select_for_update().select_related("organisation").order_by("pk")[:size])
        if not cases:
            return []
        ids = [c.pk for c in cases]
        erased = {"title": ERASED, "summary_of_facts": ERASED, "identifiers": [], "persons": [], "erased_at": now}
        Case.objects.filter(pk__in=ids).update(**erased)
        # Few distinct values: one UPDATE for each (much cheaper than an UPDATE … CASE per row).
        for count, pks in _grouped({c.pk: len(c.offences) for c in cases}).items():
            Case.objects.filter(pk__in=pks).update(offences=[{"description": ERASED}] * count)
        requests = list(Request.objects.filter(case__in=ids).order_by("pk").only("pk", "case_id", "data"))
        kept = {
            r.pk: json.dumps({k: v for k, v in r.data.items() if k in KEPT_IN_REQUEST_DATA}, sort_keys=True) for r in requests
        }
        for data, pks in _grouped(kept).items():
            Request.objects.filter(pk__in=pks).update(data=json.loads(data), idempotency_key="")
        Transition.objects.filter(request__in=requests).exclude(note="").update(note=ERASED)
        Deadline.objects.filter(request__in=requests, done_at__isnull=True).update(done_at=now)
        Deadline.objects.filter(request__in=requests, done_by__isnull=False).update(done_reason=ERASED)
        Attachment.objects.filter(case__in=ids).delete()  # files hold personal data: gone with the case
        erase_texts(object_type="case", object_ids=[str(pk) for pk in ids])
        erase_texts(object_type="request", object_ids=[str(r.pk) for r in requests])
        by_case = _grouped({r.pk: r.case_id for r in requests})
        for case in cases:
            append(
                at=now,
                actor=actor.get_username(),
                organisation=case.organisation.name,  # so that the organisation's auditors see it
                event=Event.ERASE,
                object_type="case",
                object_id=str(case.pk),
                justification=JUSTIFICATION,
                details={"covers": {"request": by_case.get(case.pk, [])}},
            )
        return ids


def _grouped(values: dict[int, K]) -> dict[K, list[int]]:
    """The keys of ``values`` grouped by value."""
    groups: dict[K, list[int]] = {}
    for key, value in values.items():
        groups.setdefault(value, []).append(key)
    return groups


def checkpoint_wal() -> str:
    """On SQLite, copy the write-ahead log into the database and truncate it to zero bytes, so
    that the pages that held erased data are gone from it; retried while readers hold it."""
    if connection.vendor != "sqlite":
        return ""
    if connection.in_atomic_block:
        return "write-ahead log not checkpointed: the run was inside a transaction"
    for attempt in range(CHECKPOINT_TRIES):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, frames, _copied = cursor.fetchone()
        if frames == -1:
            return "the database is not in write-ahead-log mode: nothing to checkpoint"
        if not busy:
            return "write-ahead log checkpointed and truncated"
        time.sleep(0.05 * (attempt + 1))
    return f"write-ahead log not truncated: {frames} frame(s) still in use by readers; run `cyberspex retention run` again"
