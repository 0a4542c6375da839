"""Running the same call from several threads at once, against committed data.

PostgreSQL runs the threads' transactions truly in parallel (SQLite serialises writers with
its IMMEDIATE transactions), so these tests prove what they claim on PostgreSQL and are skipped
on SQLite. The test database is emptied by Django's flush after each test; the append-only
audit table is emptied first with its triggers briefly off, as the flush would be refused.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

append_only = importlib.import_module("cyberspex.web.audit.migrations.0002_append_only")


def empty_audit_trail() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("DELETE FROM audit_auditentry")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
            return
        cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
        cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        cursor.execute("DELETE FROM audit_auditentry")
        for statement in append_only.SQLITE:
            cursor.execute(statement)


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:  # noqa: ARG001  # no transaction around the test
    """Each statement of the test commits, as in production; the data are emptied after the test."""
    yield
    empty_audit_trail()


@pytest.fixture
def parallel(committed: None) -> None:  # noqa: ARG001  # threads need committed data
    """Committed data on PostgreSQL; skipped on SQLite, whose writers never run in parallel."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's IMMEDIATE transactions serialise writers, so there is no race to prove")


def at_once(calls: list[Callable[[], Any]], timeout: float = 60) -> list[Any]:
    """Start every call at the same moment, each in its own thread and database connection;
    return what each returned or raised, in order."""
    results: list[Any] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait(timeout)
            results[index] = call()
        except Exception as error:  # reported to the test as the call's result
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
