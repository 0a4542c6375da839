"""Replacing an audit record through an insert is refused like an update or a delete.

On SQLite, ``INSERT OR REPLACE`` (and ``REPLACE INTO``) resolves a conflict by deleting the
record in the way, and that implicit delete does not fire the delete trigger: migration
0004's BEFORE INSERT trigger refuses the insert first. On PostgreSQL, the equivalent
``INSERT ... ON CONFLICT DO UPDATE`` is an update, which the update trigger refuses.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry
from tests.web.audit.tampering import build_chain

COLUMNS = "id, seq, at, actor, organisation, event, object_type, object_id, justification, details, previous_hash, hash"


def _copy_of(seq: int, *, actor: str) -> list[object]:
    entry = AuditEntry.objects.get(seq=seq)
    return [
        entry.pk,
        entry.seq,
        entry.at,
        actor,
        entry.organisation,
        entry.event,
        entry.object_type,
        entry.object_id,
        entry.justification,
        '{"n": -1}',
        entry.previous_hash,
        entry.hash,
    ]


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def chain(db: None) -> None:  # noqa: ARG001  # needs the database
    build_chain(3)


@pytest.mark.usefixtures("chain")
@pytest.mark.parametrize("verb", ["INSERT OR REPLACE INTO", "REPLACE INTO"])
def test_sqlite_refuses_to_replace_an_audit_record_through_an_insert(verb: str) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's conflict resolution; PostgreSQL is tested below")
    placeholders = ", ".join(["%s"] * 12)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(f"{verb} audit_auditentry ({COLUMNS}) VALUES ({placeholders})", _copy_of(2, actor="mallory"))
    assert AuditEntry.objects.get(seq=2).actor != "mallory"
    assert (AuditEntry.objects.count(), verify().ok) == (3, True)


@pytest.mark.usefixtures("chain")
def test_sqlite_refuses_an_insert_that_would_take_the_number_of_an_existing_record() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    row = _copy_of(2, actor="mallory")
    row[0], row[-1] = None, "f" * 64  # a new row id and hash, the seq of record 2: REPLACE would delete record 2
    placeholders = ", ".join(["%s"] * 12)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(f"INSERT OR REPLACE INTO audit_auditentry ({COLUMNS}) VALUES ({placeholders})", row)  # noqa: S608
    assert (AuditEntry.objects.count(), verify().ok) == (3, True)


@pytest.mark.usefixtures("chain")
def test_postgresql_refuses_an_upsert_of_an_audit_record() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's INSERT ... ON CONFLICT")
    placeholders = ", ".join(["%s"] * 12)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(
            f"INSERT INTO audit_auditentry ({COLUMNS}) VALUES ({placeholders}) "  # noqa: S608
            "ON CONFLICT (seq) DO UPDATE SET actor = EXCLUDED.actor",
            _copy_of(2, actor="mallory"),
        )
    assert AuditEntry.objects.get(seq=2).actor != "mallory"
