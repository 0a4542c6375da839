"""Several delivery workers at once (PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED``): each due
message is claimed by one worker only, and a worker takes other messages instead of waiting for
the rows another one holds."""

from __future__ import annotations

import pytest
from django.db import transaction

from cyberspex.web.federation import outbox, trust
from cyberspex.web.federation.models import Peer
from tests.web.concurrency import at_once, committed, parallel  # noqa: F401  # the fixtures
from tests.web.federation.remote import Remote
from tests.web.helpers import NOW


@pytest.mark.usefixtures("parallel")
def test_workers_claiming_at_once_never_claim_the_same_message() -> None:
    trust.add(Remote().document(), now=NOW)
    with transaction.atomic():
        peer = Peer.objects.get()
        for number in range(30):
            outbox.enqueue(peer=peer, organisation="7", kind="order", payload={"n": number}, now=NOW)
    claims = at_once([lambda: outbox.claim(NOW, limit=12) for _ in range(3)])
    assert not [c for c in claims if isinstance(c, Exception)], claims
    claimed = [message.pk for claim in claims for message in claim]
    assert len(claimed) == len(set(claimed)) == 30
    assert outbox.claim(NOW) == []  # all leased
