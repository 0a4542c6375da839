"""The instance administrator's Federation page (federation/administration.py): the instance's
identity and keys, the peers (added from an uploaded identity document with the same refusals as
`peers add`, removed after a confirmation), the stuck messages with "Retry now", and the short
list of stuck messages on the administrator's dashboard. Each change is audited with the
administrator as its actor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.federation import identity
from cyberspex.web.federation.files_models import TransferState
from cyberspex.web.federation.models import OutboxMessage, OutboxState, Peer
from tests.web.conftest import Org
from tests.web.federation.factories import failed_transfer, message, refused, trusted_peer
from tests.web.federation.remote import Remote
from tests.web.helpers import NOW, verified_session

PAGE = "/administration/federation/"
ADD = "/administration/federation/peers/add/"


@pytest.fixture
def administrator(fr: Org, clock: time_machine.Coordinates) -> Client:  # noqa: ARG001  # the stopped clock
    client = Client()
    verified_session(client, fr[Role.ADMINISTRATOR])
    return client


def _upload(text: str, **fields: Any) -> dict[str, Any]:
    return {"document": SimpleUploadedFile("peer.json", text.encode(), content_type="application/json"), **fields}


def _actions() -> list[tuple[str, str]]:
    return [(e.actor, e.details["action"]) for e in AuditEntry.objects.order_by("seq") if "action" in e.details]


@override_settings(CYBERSPEX_INSTANCE_ID="here.example", CYBERSPEX_BASE_URL="https://here.example")
def test_the_page_shows_the_instance_its_keys_and_its_peers_with_their_organisations(administrator: Client) -> None:
    identity.document(NOW)  # makes the first key
    trusted_peer("peer.example")
    page = administrator.get(PAGE).content.decode()
    assert "<code>here.example</code>" in page
    assert "<code>https://here.example</code>" in page
    assert "peer.example" in page
    assert "Peer provider (provider, IE)" in page
    assert "peer.example-1" in page
    assert "instance-" in page  # this instance's key id


def test_the_administrator_trusts_a_peer_from_its_identity_document_and_it_is_audited_as_theirs(
    administrator: Client, fr: Org
) -> None:
    answer = administrator.post(ADD, _upload(Remote().document()))
    assert answer.status_code == 302
    assert Peer.objects.get().instance_id == "remote.example"
    assert _actions() == [(fr[Role.ADMINISTRATOR].username, "peer_added")]
    assert "remote.example is trusted." in administrator.get(PAGE).content.decode()


def test_a_new_key_set_is_refused_next_to_the_file_unless_replace_is_ticked(administrator: Client) -> None:
    administrator.post(ADD, _upload(Remote().document()))
    other = Remote().document(issued_at=NOW + timedelta(minutes=1))  # the same id, other keys
    refused_page = administrator.post(ADD, _upload(other))
    assert refused_page.status_code == 409
    assert "signed by none of the keys trusted for it" in refused_page.content.decode()
    assert administrator.post(ADD, _upload(other, replace="on")).status_code == 302
    assert [a for _, a in _actions()] == ["peer_added", "peer_replaced"]


def test_a_document_that_is_not_an_identity_document_is_refused_and_nothing_is_trusted(administrator: Client) -> None:
    answer = administrator.post(ADD, _upload("not json"))
    assert answer.status_code == 422
    assert 'class="field field--error' in answer.content.decode()
    assert not Peer.objects.exists()


def test_removing_a_peer_needs_the_confirmation_and_then_its_trust_ends(administrator: Client, fr: Org) -> None:
    peer = trusted_peer()
    remove = f"/administration/federation/peers/{peer.instance_id}/remove/"
    assert administrator.post(remove, {}).status_code == 302
    peer.refresh_from_db()
    assert peer.removed_at is None
    assert administrator.get(remove).status_code == 405  # POST only
    assert administrator.post(remove, {"confirm": "on"}).status_code == 302
    peer.refresh_from_db()
    assert peer.removed_at == NOW
    assert _actions() == [(fr[Role.ADMINISTRATOR].username, "peer_removed")]
    assert administrator.post(remove, {"confirm": "on"}).status_code == 404  # no longer trusted


def test_the_stuck_messages_are_listed_with_their_error_and_retried_now(administrator: Client, fr: Org) -> None:
    peer = trusted_peer()
    failed = refused(peer, request="FR-2026-7")
    tried_often = message(peer, attempts=6, last_error="connection refused", next_attempt_at=NOW + timedelta(minutes=9))
    old = message(peer, created_at=NOW - timedelta(hours=2))
    fresh = message(peer, attempts=1, last_error="timed out")  # on its way: not stuck
    delivered = message(peer, created_at=NOW - timedelta(days=1), state=OutboxState.DELIVERED)
    page = administrator.get(PAGE).content.decode()
    for shown in (failed, tried_often, old):
        assert str(shown.pk) in page
    for hidden in (fresh, delivered):
        assert str(hidden.pk) not in page
    assert "HTTP 404 unknown_organisation" in page
    assert "FR-2026-7" in page
    answer = administrator.post(f"/administration/federation/outbox/{failed.pk}/retry/")
    assert answer.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.next_attempt_at) == (OutboxState.PENDING, NOW)
    assert _actions() == [(fr[Role.ADMINISTRATOR].username, "federation_message_requeued")]


def test_a_delivered_or_unknown_message_cannot_be_retried(administrator: Client) -> None:
    delivered = message(trusted_peer(), state=OutboxState.DELIVERED)
    assert administrator.post(f"/administration/federation/outbox/{delivered.pk}/retry/").status_code == 409
    assert administrator.post("/administration/federation/outbox/not-a-uuid/retry/").status_code == 404
    assert OutboxMessage.objects.get().state == OutboxState.DELIVERED


def test_the_failed_file_transfers_are_listed_with_their_error_and_retried_now(administrator: Client, fr: Org) -> None:
    failed = failed_transfer(trusted_peer())
    sent = failed_transfer(trusted_peer(), sha256="c" * 64, state=TransferState.SENT, last_error="")
    page = administrator.get(PAGE).content.decode()
    assert "Failed file transfers" in page
    assert failed.sha256 in page
    assert sent.sha256 not in page
    assert "HTTP 413 too_large" in page
    assert "2 / 5" in page  # the chunks the peer held at the last count
    retry = f"/administration/federation/files/{failed.pk}/retry/"
    assert administrator.get(retry).status_code == 405  # POST only
    assert administrator.post(retry).status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.next_attempt_at, failed.claimed_until) == (TransferState.PENDING, NOW, None)
    assert _actions() == [(fr[Role.ADMINISTRATOR].username, "federation_file_requeued")]
    assert failed.sha256 not in administrator.get(PAGE).content.decode()


def test_a_sent_or_unknown_file_transfer_cannot_be_retried(administrator: Client) -> None:
    sent = failed_transfer(trusted_peer(), state=TransferState.SENT)
    assert administrator.post(f"/administration/federation/files/{sent.pk}/retry/").status_code == 409
    assert administrator.post("/administration/federation/files/not-a-number/retry/").status_code == 404
    assert administrator.post(f"/administration/federation/files/{sent.pk + 1}/retry/").status_code == 404
    sent.refresh_from_db()
    assert sent.state == TransferState.SENT
    assert _actions() == []


def test_the_administrators_dashboard_lists_the_stuck_messages_and_links_to_the_page(administrator: Client) -> None:
    refused(trusted_peer(), kind="withdrawal")
    page = administrator.get("/").content.decode()
    assert "Stuck messages to other instances" in page
    assert "withdrawal" in page
    assert f'href="{PAGE}#stuck"' in page


def test_other_roles_see_no_stuck_messages_on_their_dashboard(fr: Org, clock: time_machine.Coordinates) -> None:  # noqa: ARG001
    refused(trusted_peer(), kind="withdrawal")
    client = Client()
    verified_session(client, fr[Role.INVESTIGATOR])
    assert "Stuck messages" not in client.get("/").content.decode()


def test_an_exercise_organisations_administrator_may_not_manage_the_federation(db: None) -> None:  # noqa: ARG001
    organisation = Organisation.objects.create(name="Academy", kind=OrganisationKind.EXERCISE, country="FR")
    administrator = Membership.objects.create(
        user=User.objects.create_user("academy-admin"), organisation=organisation, role=Role.ADMINISTRATOR
    ).user
    client = Client()
    verified_session(client, administrator)
    assert client.get(PAGE).status_code == 403
    assert client.post(ADD, _upload(Remote().document())).status_code == 403
    assert not Peer.objects.exists()
