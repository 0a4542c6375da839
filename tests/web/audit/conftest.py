"""Fixtures for the audit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import DjangoDbBlocker


@pytest.fixture
def autocommit(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:  # noqa: ARG001  # the test database
    """The test database in autocommit mode: no transaction around the test, and no flush after it.

    Whatever such a test commits, it must remove itself (the audit table refuses DELETE: see
    ``tampering.triggers_off``).
    """
    with django_db_blocker.unblock():
        yield
