"""Two transactions appending at the same time, on PostgreSQL (SQLite serialises writers itself)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from cyberspex.web.audit.chain import append, verify
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.audit.tampering import triggers_off
from tests.web.helpers import NOW


def _append(actor: str) -> None:
    append(at=NOW, actor=actor, organisation="Parquet de Paris", event=Event.VIEW)


def _in_thread(body: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            body()
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()  # this thread's connection: the test database is dropped at the end

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _wait_for_a_lock_wait(timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(query)
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.01)
    return False


@pytest.mark.usefixtures("autocommit")
def test_it_appends_two_records_written_at_the_same_time_one_after_the_other() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's IMMEDIATE transactions serialise writers")
    errors: list[BaseException] = []
    first_in, release = threading.Event(), threading.Event()

    def first() -> None:
        with transaction.atomic():
            _append("first")
            first_in.set()
            release.wait(10)

    def second() -> None:
        first_in.wait(10)
        with transaction.atomic():
            _append("second")

    try:
        with transaction.atomic():
            _append("seed")  # a head row for both to lock
        threads = [_in_thread(first, errors), _in_thread(second, errors)]
        waiting = _wait_for_a_lock_wait()  # the second is blocked behind the first
        release.set()
        for thread in threads:
            thread.join(10)
        assert waiting
        assert errors == []
        assert (verify().ok, AuditEntry.objects.count()) == (True, 3)
    finally:
        release.set()
        with transaction.atomic(), triggers_off():
            AuditEntry.objects.all().delete()
