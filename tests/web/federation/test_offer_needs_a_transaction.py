"""A file is offered in the transaction that enqueues its message (federation/files.py): outside
one, offer refuses (before it touches the database, so this test runs without one)."""

from __future__ import annotations

import pytest
from django.db import connection

from cyberspex.web.federation import files
from cyberspex.web.federation.models import OutboxMessage
from tests.web.helpers import NOW


def test_a_file_is_offered_only_inside_the_transaction_that_enqueues_its_message() -> None:
    assert not connection.in_atomic_block
    source = files.Source("mail.mbox", 1, "0" * 64, "produced/1/a.sealed", "produced_file:produced/1/a.sealed")
    with pytest.raises(RuntimeError, match="in the transaction that enqueues its message"):
        files.offer(message=OutboxMessage(), source=source, now=NOW)
