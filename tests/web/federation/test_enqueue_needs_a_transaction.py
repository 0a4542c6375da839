"""A message is written in the transaction of the change it reports: outside one, enqueue refuses
(before it touches the database, so this test runs without one)."""

from __future__ import annotations

import pytest
from django.db import connection

from cyberspex.web.federation import outbox
from cyberspex.web.federation.models import Peer
from tests.web.helpers import NOW


def test_a_message_is_enqueued_only_inside_the_transaction_of_the_change_it_reports() -> None:
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match="in the transaction"):
        outbox.enqueue(peer=Peer(instance_id="remote.example"), organisation="7", kind="order", payload={}, now=NOW)
