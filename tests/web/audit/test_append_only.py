"""The database itself refuses to change or remove audit records (migration 0002's triggers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction

from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry
from tests.web.audit.tampering import build_chain, triggers_off

REFUSALS: dict[str, Callable[[], object]] = {
    "orm-update": lambda: AuditEntry.objects.filter(seq=2).update(actor="mallory"),
    "orm-save": lambda: AuditEntry.objects.get(seq=2).save(),
    "orm-delete-one": lambda: AuditEntry.objects.get(seq=2).delete(),
    "orm-delete-all": lambda: AuditEntry.objects.all().delete(),
    "sql-update": lambda: _sql("UPDATE audit_auditentry SET justification = 'none' WHERE seq = 2"),
    "sql-delete": lambda: _sql("DELETE FROM audit_auditentry WHERE seq = 3"),
}


def _sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.fixture
def chain(db: None) -> None:  # noqa: ARG001  # needs the database
    build_chain(3)


@pytest.mark.usefixtures("chain")
@pytest.mark.parametrize("change", REFUSALS)
def test_it_refuses_to_update_or_delete_an_audit_record_at_the_database_level(change: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        REFUSALS[change]()
    assert AuditEntry.objects.count() == 3
    assert verify().ok


@pytest.mark.usefixtures("chain")
def test_it_refuses_to_truncate_the_audit_table_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE is refused row by row")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == 3


@pytest.mark.usefixtures("chain")
def test_it_still_accepts_new_records() -> None:
    build_chain(2)
    assert AuditEntry.objects.count() == 5
    assert verify().ok


@pytest.mark.usefixtures("chain")
def test_it_puts_the_triggers_back_after_a_simulated_attack() -> None:
    with triggers_off():
        AuditEntry.objects.filter(seq=3).update(actor="mallory")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(actor="mallory")
