"""``POST /federation/v1/messages``: a message from a trusted peer is stored once and answered
with a signed receipt; every refusal has its status, stores nothing and is audited
(federation/inbox.py, views.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.federation import keys, trust
from cyberspex.web.federation.models import InboxMessage
from tests.web.federation.remote import Remote, tampered
from tests.web.helpers import NOW

pytestmark = pytest.mark.django_db
URL = "/federation/v1/messages"


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def hosted() -> Organisation:
    return Organisation.objects.create(name="Provider here", kind="provider", country="IE")


def _post(body: bytes, client: Client | None = None) -> Any:
    return (client or Client()).post(URL, data=body, content_type="application/jose")


def _refusals() -> list[dict[str, Any]]:
    return [e.details for e in AuditEntry.objects.filter(details__action="federation_message_refused")]


def test_a_message_from_a_trusted_peer_is_stored_and_answered_with_a_receipt_signed_by_this_instance(
    remote: Remote, hosted: Organisation
) -> None:
    content = remote.envelope_content(organisation=str(hosted.pk))
    response = _post(remote.envelope(content))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jose"
    ours = [keys.public_jwk(k) for k in keys.published_keys(NOW)]
    _header, raw = keys.verify_compact(response.content.decode(), ours, NOW)
    receipt = json.loads(raw)
    stored = InboxMessage.objects.get()
    assert receipt == {
        "message": content["id"],
        "sha256": stored.content_sha256,
        "received_at": NOW.isoformat(),
        "receiver": "cyberspex-dev",
        "sender": "remote.example",
    }
    assert (stored.organisation, stored.kind, stored.request, stored.envelope["payload"]) == (
        hosted,
        "notification",
        "R-1",
        {"text": "an order"},
    )
    assert AuditEntry.objects.get(details__action="federation_message_received").organisation == hosted.name


def test_the_same_message_sent_again_is_stored_once_and_gets_the_same_receipt(remote: Remote, hosted: Organisation) -> None:
    content = remote.envelope_content(organisation=str(hosted.pk))
    first = _post(remote.envelope(content))
    later = {**content, "sent_at": (NOW - timedelta(seconds=30)).isoformat()}  # sent again: a new time, the same content
    again = _post(remote.envelope(later))
    assert (again.status_code, again.content) == (200, first.content)
    assert InboxMessage.objects.count() == 1


def test_a_replayed_id_with_other_content_is_refused_with_409(remote: Remote, hosted: Organisation) -> None:
    content = remote.envelope_content(organisation=str(hosted.pk))
    _post(remote.envelope(content))
    response = _post(remote.envelope({**content, "payload": {"text": "another order"}}))
    assert (response.status_code, response.json()["error"]) == (409, "replayed")
    assert InboxMessage.objects.get().envelope["payload"] == {"text": "an order"}


def _refused(body: bytes, status: int, code: str) -> None:
    response = _post(body)
    assert (response.status_code, response.json()["error"]) == (status, code), response.content
    assert not InboxMessage.objects.exists()
    refusal = _refusals()[-1]
    assert (refusal["status"], refusal["refusal"], refusal["bytes"]) == (status, code, len(body))
    assert "an order" not in json.dumps(refusal)  # the message itself is not kept


def test_a_tampered_envelope_is_refused_with_401(remote: Remote, hosted: Organisation) -> None:
    body = remote.envelope(remote.envelope_content(organisation=str(hosted.pk)))
    _refused(tampered(body, payload={"text": "an order, changed"}), 401, "signature")


@pytest.mark.usefixtures("remote")
def test_an_envelope_signed_by_another_key_under_the_peers_key_id_is_refused_with_401(hosted: Organisation) -> None:
    impostor = Remote()  # same instance id and key id, another key
    _refused(impostor.envelope(impostor.envelope_content(organisation=str(hosted.pk))), 401, "signature")


def test_a_message_from_an_unknown_peer_is_refused_with_403(hosted: Organisation) -> None:
    stranger = Remote("stranger.example")
    _refused(stranger.envelope(stranger.envelope_content(organisation=str(hosted.pk))), 403, "unknown_peer")


def test_a_message_from_a_removed_peer_is_refused_with_403(remote: Remote, hosted: Organisation) -> None:
    trust.remove(remote.instance_id, now=NOW)
    _refused(remote.envelope(remote.envelope_content(organisation=str(hosted.pk))), 403, "unknown_peer")


@pytest.mark.parametrize("off", [timedelta(minutes=6), -timedelta(minutes=6)])
def test_a_message_sent_with_a_clock_far_off_is_refused_with_400_clock(
    remote: Remote, hosted: Organisation, off: timedelta
) -> None:
    _refused(remote.envelope(remote.envelope_content(organisation=str(hosted.pk), sent_at=NOW + off)), 400, "clock")


def test_a_message_within_the_clock_tolerance_is_accepted(remote: Remote, hosted: Organisation) -> None:
    content = remote.envelope_content(organisation=str(hosted.pk), sent_at=NOW - timedelta(minutes=4))
    assert _post(remote.envelope(content)).status_code == 200


@pytest.mark.parametrize("organisation", ["999", "x", ""])
def test_a_message_for_an_organisation_this_instance_does_not_host_is_refused_with_404(remote: Remote, organisation: str) -> None:
    _refused(remote.envelope(remote.envelope_content(organisation=organisation)), 404, "unknown_organisation")


def test_a_message_for_another_instance_is_refused_with_421(remote: Remote, hosted: Organisation) -> None:
    content = remote.envelope_content(organisation=str(hosted.pk), to="elsewhere.example")
    _refused(remote.envelope(content), 421, "not_for_this_instance")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not a jws",
        b"a.b.c",
        b"\xff\xfe",
        b"eyJhbGciOiJub25lIn0.e30.",  # alg none
    ],
)
def test_what_is_not_a_signed_envelope_is_refused_with_400(body: bytes) -> None:
    _refused(body, 400, "malformed")


@pytest.mark.parametrize(
    "change",
    [
        {"id": "not-a-uuid"},
        {"sent_at": "yesterday"},
        {"sent_at": "2026-11-28T09:00:00"},  # no time zone
        {"payload": "text"},
        {"files": {}},
        {"kind": "k" * 65},
        {"organisation": 1},
    ],
)
def test_an_envelope_with_a_field_of_the_wrong_shape_is_refused_with_400(remote: Remote, change: dict[str, Any]) -> None:
    _refused(remote.envelope({**remote.envelope_content(), **change}), 400, "malformed")


@override_settings(FEDERATION_MAX_MESSAGE_BYTES=2048)
def test_an_envelope_over_the_size_limit_is_refused_with_413(remote: Remote, hosted: Organisation) -> None:
    content = remote.envelope_content(organisation=str(hosted.pk), payload={"text": "x" * 4096})
    _refused(remote.envelope(content), 413, "too_large")


def test_the_endpoint_needs_no_session_no_csrf_token_and_answers_only_post(remote: Remote, hosted: Organisation) -> None:
    client = Client(enforce_csrf_checks=True)
    body = remote.envelope(remote.envelope_content(organisation=str(hosted.pk), id=str(uuid.uuid4())))
    assert _post(body, client).status_code == 200
    assert client.get(URL).status_code == 405
