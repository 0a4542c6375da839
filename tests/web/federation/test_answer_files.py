"""The files of an answer given on a peer (docs/federation.md "Files"): the provider on B answers
an EPOC this instance (A) issued; the ``event`` lists the files and their chunks come after it.
Here the answer's produced files are listed at once, "arriving" (n of m chunks), never a broken
download; once the chunks are all in and the whole SHA-256 checked, each is linked to the answer
(whether the file or the answer came first, once) and the prosecutor's request page shows it with
its name, size, SHA-256 and "received from b.example", and streams it, audited. On B, answering
offers the files with the event that carries the answer, once."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from cyberspex.web.accounts.models import Organisation, Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.exchange import answers, remote
from cyberspex.web.exchange.models import Delivery, DeliveryRole, ProducedFile
from cyberspex.web.federation import files, inbox, trust
from cyberspex.web.federation.files_models import FileTransfer
from cyberspex.web.federation.models import InboxMessage, OutboxMessage, Peer
from tests.web.conftest import Api, Org
from tests.web.exchange.orders import epoc_issued
from tests.web.exchange.test_answers import CSV, PDF
from tests.web.exchange.test_remote import B_ORGANISATIONS, Issuer
from tests.web.federation.remote import Remote
from tests.web.federation.test_files_receiving import _header, _put
from tests.web.helpers import NOW, verified_session

pytestmark = pytest.mark.django_db
CHUNK = files.MIN_CHUNK_BYTES
CONTENT = PDF + os.urandom(2 * CHUNK)  # three chunks
SHA256 = hashlib.sha256(CONTENT).hexdigest()
LISTED = {"name": "mailbox.pdf", "sha256": SHA256, "size": len(CONTENT)}


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def b() -> Remote:
    found = Remote("b.example", organisations=B_ORGANISATIONS)
    trust.add(found.document(), now=NOW)
    return found


@pytest.fixture
def delivery(fr: Org, b: Remote) -> Delivery:  # noqa: ARG001  # b: the peer trusted first
    """An EPOC this instance issued to the provider hosted by B."""
    provider = Organisation.objects.get(peer__instance_id="b.example", remote_id="7")
    request = epoc_issued(fr, Org(provider))
    return Delivery.objects.get(request=request, role=DeliveryRole.ADDRESSEE)


def _answered(delivery: Delivery) -> dict[str, Any]:
    at = NOW.isoformat()
    return {
        "delivery": delivery.pk,
        "receipt": {"kind": "answered", "at": at, "nonce": "b-answered", "organisation": "7"},
        "status": "answered",
        "opened_at": at,
        "answered_at": at,
        "blocked_at": None,
        "blocked_reason": "",
        "answer": {
            "outcome": "data",
            "reason_code": "",
            "reason": "",
            "at": at,
            "files": [{**LISTED, "content_type": "application/pdf"}],
        },
        "decisions": [],
        "messages": [],
    }


def _event_content(b: Remote, delivery: Delivery) -> dict[str, Any]:
    return b.envelope_content(
        organisation=str(delivery.signed_by_id), kind="event", request="", payload=_answered(delivery), files=[LISTED]
    )


def _send_event(b: Remote, delivery: Delivery) -> str:
    """B's event that carries the answer, received and applied here as the endpoint does."""
    content = _event_content(b, delivery)
    inbox.receive(b.envelope(content), now=NOW)
    return str(content["id"])


def _send_chunk(b: Remote, message: str, index: int) -> dict[str, Any]:
    chunk = CONTENT[index * CHUNK : (index + 1) * CHUNK]
    answer = _put(message, index, chunk, _header(b, message, index, chunk, file=SHA256), sha256=SHA256)
    assert answer.status_code == 200, answer.content
    return answer.json()


def _prosecutor(fr: Org) -> Client:
    client = Client()
    verified_session(client, fr[Role.PROSECUTOR])
    return client


def _attached() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(details__action="remote_file_attached"))


def test_a_file_of_the_peer_answer_is_arriving_then_shown_and_streamed_with_the_sha256_the_provider_gave(
    fr: Org, b: Remote, delivery: Delivery
) -> None:
    message = _send_event(b, delivery)
    produced = ProducedFile.objects.get(answer__delivery=delivery)
    assert (produced.name, produced.size, produced.sha256, produced.content_type) == (
        "mailbox.pdf",
        len(CONTENT),
        SHA256,
        "application/pdf",
    )
    assert produced.arriving
    client = _prosecutor(fr)
    page_url, file_url = f"/requests/{delivery.request_id}/", f"/inbox/{delivery.pk}/files/{produced.pk}"
    page = client.get(page_url).content.decode()
    assert "Arriving" in page
    assert "arriving from b.example: not received yet" in page
    assert file_url not in page  # no link to a file that is not here
    assert client.get(file_url).status_code == 409

    _send_chunk(b, message, 0)
    assert "1 of 3 chunks received" in client.get(page_url).content.decode()
    _send_chunk(b, message, 2)
    assert _send_chunk(b, message, 1)["complete"] is True

    produced.refresh_from_db()
    assert not produced.arriving
    assert produced.received is not None
    page = client.get(page_url).content.decode()
    assert SHA256 in page
    assert "received from b.example at" in page
    assert file_url in page
    assert "Verified" in page
    download = client.get(file_url)
    assert download.status_code == 200
    assert download.streaming
    assert b"".join(download.streaming_content) == CONTENT  # type: ignore[arg-type]
    assert (download["X-Content-SHA256"], download["Content-Length"]) == (SHA256, str(len(CONTENT)))
    exported = AuditEntry.objects.filter(event=Event.EXPORT, object_id=str(delivery.pk)).get()
    assert (exported.actor, exported.details["received_from"], exported.details["sha256"]) == (
        fr[Role.PROSECUTOR].username,
        "b.example",
        SHA256,
    )
    assert [(e.details["sha256"], e.details["peer"]) for e in _attached()] == [(SHA256, "b.example")]


def test_the_issuing_side_api_lists_the_file_arriving_then_received_from_the_peer_and_serves_it(
    fr: Org, b: Remote, delivery: Delivery, api: Api
) -> None:
    message = _send_event(b, delivery)
    prosecutor, listing = fr[Role.PROSECUTOR], f"/requests/{delivery.request_id}/answers"
    [arriving] = api.get(listing, prosecutor).json()[0]["files"]
    assert (arriving["sha256"], arriving["arriving"], arriving["received_from"]) == (SHA256, True, None)
    download = f"{listing}/{delivery.pk}/files/{arriving['id']}"
    assert api.get(download, prosecutor).status_code == 409
    for index in range(3):
        _send_chunk(b, message, index)
    [received] = api.get(listing, prosecutor).json()[0]["files"]
    assert (received["sha256"], received["arriving"], received["received_from"]) == (SHA256, False, "b.example")
    assert received["received_at"] is not None
    served = api.get(download, prosecutor)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == CONTENT  # type: ignore[attr-defined]


def test_a_file_complete_before_its_answer_is_recorded_is_linked_when_the_answer_is_and_once(
    b: Remote, delivery: Delivery
) -> None:
    content = _event_content(b, delivery)
    stored = InboxMessage.objects.create(  # stored, not applied yet: the file comes first
        message_id=uuid.UUID(content["id"]),
        peer=Peer.objects.get(instance_id="b.example"),
        organisation=delivery.signed_by,
        kind="event",
        content_sha256="0" * 64,
        envelope=content,
        received_at=NOW,
        receipt="",
    )
    for index in range(3):
        _send_chunk(b, content["id"], index)
    assert not ProducedFile.objects.exists()
    remote.receive_event(stored)
    remote.receive_event(stored)  # applied again: nothing changes
    [produced] = ProducedFile.objects.filter(answer__delivery=delivery)
    assert produced.received is not None
    assert produced.received.sha256 == SHA256
    assert len(_attached()) == 1


def test_a_file_the_answer_lists_with_a_malformed_sha256_makes_the_event_unprocessable(b: Remote, delivery: Delivery) -> None:
    content = _event_content(b, delivery)
    content["payload"]["answer"]["files"] = [{**LISTED, "sha256": "not a hash"}]
    with pytest.raises(inbox.Refused) as refused:
        inbox.receive(b.envelope(content), now=NOW)
    assert (refused.value.status, refused.value.code) == (422, "unprocessable")
    assert not ProducedFile.objects.exists()


def test_answering_a_delivery_from_a_peer_offers_the_files_with_the_event_that_carries_the_answer_once(provider: Org) -> None:
    a = Issuer()
    a.send(provider.organisation, a.delivery(provider.organisation))
    received = Delivery.objects.get(organisation=provider.organisation)
    responder = provider[Role.RESPONDER]
    answers.answer_create(
        user=responder,
        delivery_id=received.pk,
        outcome="data",
        reason_code="",
        reason="",
        files=[answers.Upload("logins.csv", CSV)],
        now=NOW,
    )
    answers.message_send(user=responder, delivery_id=received.pk, body="The logins are attached.", now=NOW)
    answered, written = OutboxMessage.objects.filter(kind="event").order_by("sequence")
    [offered] = FileTransfer.objects.all()
    assert offered.message == answered
    assert (offered.name, offered.sha256, offered.size) == ("logins.csv", hashlib.sha256(CSV).hexdigest(), len(CSV))
    assert files.manifest(answered) == [{"name": "logins.csv", "sha256": offered.sha256, "size": len(CSV)}]
    assert files.manifest(written) == []  # the later event carries the answer's metadata, not the file again
    assert answered.payload["answer"]["files"][0]["content_type"].startswith("text/plain")
