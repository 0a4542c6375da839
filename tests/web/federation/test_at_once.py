"""At once, on PostgreSQL (skipped on SQLite, whose writers never run in parallel): several
delivery workers (``SELECT … FOR UPDATE SKIP LOCKED``) claim each due message once; the same
message arriving several times at once is stored once and answered with one receipt."""

from __future__ import annotations

import pytest
from django.db import transaction

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.federation import inbox, outbox, trust
from cyberspex.web.federation.models import InboxMessage, Peer
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


@pytest.mark.usefixtures("parallel")
def test_the_same_message_received_twice_at_once_is_stored_once_with_one_receipt() -> None:
    remote = Remote()
    trust.add(remote.document(), now=NOW)
    organisation = Organisation.objects.create(name="Provider here", kind="provider", country="IE")
    body = remote.envelope(remote.envelope_content(organisation=str(organisation.pk)))
    answers = at_once([lambda: inbox.receive(body, now=NOW) for _ in range(4)])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert len({a.receipt for a in answers}) == 1
    assert sorted(a.again for a in answers) == [False, True, True, True]
    assert InboxMessage.objects.count() == 1
