"""An attacker with write access to the database: the append-only triggers switched off, then
records edited, removed, inserted, reordered or cut off. Used by the tampering tests."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from cyberspex.web.audit.chain import GENESIS, _fields, append, entry_hash
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.helpers import NOW

SHIFT = 10**9  # far above any seq, so that moving records never collides on the unique seq
EVENTS = [Event.VIEW, Event.CREATE, Event.TRANSITION, Event.EXPORT, Event.APPROVE]
_MIGRATION = importlib.import_module("cyberspex.web.audit.migrations.0002_append_only")


def build_chain(length: int) -> None:
    """``length`` genuine records, appended through the real code path."""
    with transaction.atomic():
        for n in range(1, length + 1):
            append(
                at=NOW + timedelta(seconds=n),
                actor=f"user-{n % 7}",
                organisation="Parquet de Paris, section J3",
                event=EVENTS[n % len(EVENTS)],
                object_type="case",
                object_id=str(n % 11),
                justification=f"justification {n}" if n % 3 else "",
                details={"n": n},
            )


def _execute(*statements: str) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def triggers_off() -> Iterator[None]:
    """Switch the append-only triggers off, as an attacker with DDL rights could, and back on after."""
    if connection.vendor == "postgresql":
        _execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
    else:
        _execute("DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            _execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            _execute(*_MIGRATION.SQLITE)


def _rows(**lookup: Any) -> Any:
    return AuditEntry.objects.filter(**lookup)


def edit(seq: int, **fields: Any) -> None:
    """Change a record's content and leave its hash."""
    assert _rows(seq=seq).update(**fields) == 1


def edit_and_rehash(seq: int, **fields: Any) -> None:
    """Change a record's content and recompute its own hash (not the next record's link)."""
    entry = AuditEntry.objects.get(seq=seq)
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.hash = entry_hash(entry.previous_hash, _fields(entry))
    entry.save()


def delete(seq: int) -> None:
    assert _rows(seq=seq).delete()[0] == 1


def truncate(keep: int) -> None:
    """Cut the chain after record ``keep``."""
    _rows(seq__gt=keep).delete()


def insert_before(seq: int, *, linked: bool = True) -> None:
    """Insert a forged record at ``seq``, renumbering the records from ``seq`` on.

    ``linked``: the forged record links correctly to its predecessor and carries its true hash,
    so it is indistinguishable from a genuine one; otherwise its hashes are made up.
    """
    _rows(seq__gte=seq).update(seq=F("seq") + SHIFT)
    _rows(seq__gte=SHIFT).update(seq=F("seq") - SHIFT + 1)
    previous = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    forged = AuditEntry(seq=seq, at=NOW, actor="mallory", organisation="", event=Event.VIEW, details={})
    forged.previous_hash = previous if linked else "f" * 64
    forged.hash = entry_hash(forged.previous_hash, _fields(forged)) if linked else "e" * 64
    forged.save()


def swap(first: int, second: int) -> None:
    """Exchange the places of two records."""
    _rows(seq=first).update(seq=SHIFT)
    _rows(seq=second).update(seq=first)
    _rows(seq=SHIFT).update(seq=second)


def rehash_from(seq: int) -> None:
    """Recompute every hash and link from ``seq`` on: a consistent forgery of the whole tail."""
    previous = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        entry.previous_hash = previous
        entry.hash = entry_hash(previous, _fields(entry))
        entry.save(update_fields=["previous_hash", "hash"])
        previous = entry.hash
