"""Requests between instances, at the service level on one database (exchange/remote.py): the
peer is played by the test (tests/web/federation/remote.py). A request addressed to a peer's
organisation is sent with its package, document and signature and is delivered at the time the
peer's receipt names; a delivery from a peer reaches its recipient here, signed, and what the
recipient does goes back; the issuing side records it. A message applied twice changes nothing.
Two real instances: tests/web/federation/test_two_instances.py."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Organisation, Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.cases.models import State
from cyberspex.web.cases.retention import retention_run
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import answers, remote, selectors, services
from cyberspex.web.exchange.models import Answer, Decision, Delivery, DeliveryRole, DeliveryStatus, Receipt, ReceiptKind
from cyberspex.web.federation import inbox, outbox, trust
from cyberspex.web.federation.handlers import Unprocessable
from cyberspex.web.federation.models import InboxMessage, OutboxMessage, Peer
from tests.web.conftest import Org
from tests.web.exchange.orders import epoc_issued
from tests.web.exchange.test_delivery import art7_order
from tests.web.federation.remote import Issuer, Remote
from tests.web.federation.test_outbox import Played
from tests.web.helpers import NOW, move

pytestmark = pytest.mark.django_db

B_ORGANISATIONS = [
    {"id": "7", "name": "Beispiel Mail GmbH", "kind": "provider", "state": "DE", "functions": ["provider"]},
    {
        "id": "8",
        "name": "Bundesamt für Justiz",
        "kind": "notified_authority",
        "state": "DE",
        "functions": ["notified_authority", "enforcing_authority", "requested_party"],
    },
]
RECEIVED = NOW + timedelta(minutes=2)


@pytest.fixture
def peer_b() -> Remote:
    b = Remote("b.example", organisations=B_ORGANISATIONS)
    trust.add(b.document(), now=NOW)
    return b


def _mirror(remote_id: str) -> Organisation:
    return Organisation.objects.get(peer__instance_id="b.example", remote_id=remote_id)


def _issued_to_b(fr: Org) -> Delivery:
    request = epoc_issued(fr, Org(_mirror("7")))
    return Delivery.objects.get(request=request, role=DeliveryRole.ADDRESSEE)


@pytest.mark.usefixtures("peer_b")
def test_an_epoc_to_a_peer_provider_is_sent_with_its_package_document_and_signature_in_the_issuing_transaction(fr: Org) -> None:
    delivery = _issued_to_b(fr)
    assert delivery.status == DeliveryStatus.SENT
    assert not delivery.receipts.exists()  # "delivered" comes with the peer's receipt
    sent = {m.payload["role"]: m for m in OutboxMessage.objects.filter(kind="delivery")}
    assert set(sent) == {"addressee", "enforcing"}  # the enforcing authority is on the peer too
    message = sent["addressee"]
    assert (message.peer.instance_id, message.organisation) == ("b.example", "7")
    assert message.request == remote.reference(settings.CYBERSPEX_INSTANCE_ID, delivery.request_id)
    assert message.payload["content"] == delivery.content  # the provider package, and nothing more
    assert base64.b64decode(message.payload["document"]) == bytes(delivery.document)
    assert message.payload["signature"] == delivery.signature
    assert message.payload["manifest"] == delivery.remote["manifest"]
    assert selectors.verification(delivery).verified
    assert message.payload["request"]["retention_review_date"] == delivery.request.case.retention_review_date.isoformat()


def test_the_peer_receipt_makes_the_delivery_delivered_at_the_time_the_peer_received_it_once(fr: Org, peer_b: Remote) -> None:
    delivery = _issued_to_b(fr)
    transport = Played(lambda sent: peer_b.receipt(sent, received_at=RECEIVED))
    assert outbox.deliver_due(transport, clock=lambda: RECEIVED).delivered == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.delivered_at) == (DeliveryStatus.DELIVERED, RECEIVED)
    assert [(r.kind, r.at) for r in delivery.receipts.all()] == [(ReceiptKind.DELIVERED, RECEIVED)]
    remote.delivered(OutboxMessage.objects.filter(kind="delivery").first(), RECEIVED)  # type: ignore[arg-type]
    assert delivery.receipts.count() == 1
    assert selectors.verification(delivery).verified  # signed at issue, verified after


@pytest.mark.usefixtures("peer_b")
def test_a_request_to_the_organisation_of_a_removed_peer_is_refused_with_a_clear_error(fr: Org) -> None:
    trust.remove("b.example", now=NOW)
    with pytest.raises(ApplicationError, match="no longer trusts"):
        _issued_to_b(fr)
    assert not OutboxMessage.objects.exists()


def _event(peer: Peer, to: Organisation, delivery: Delivery, payload: dict[str, Any]) -> InboxMessage:
    envelope = {"payload": {"delivery": delivery.pk, **payload}}
    return InboxMessage.objects.create(
        message_id=uuid.uuid4(),
        peer=peer,
        organisation=to,
        kind="event",
        request="",
        content_sha256="0" * 64,
        envelope=envelope,
        received_at=RECEIVED,
        receipt="",
    )


def _answered(at: str) -> dict[str, Any]:
    return {
        "receipt": {"kind": "answered", "at": at, "nonce": "b-nonce-1", "organisation": "7"},
        "status": "answered",
        "opened_at": at,
        "answered_at": at,
        "blocked_at": None,
        "blocked_reason": "",
        "answer": {"outcome": "no_data", "reason_code": "identifier_not_found", "reason": "", "at": at, "files": []},
        "decisions": [],
        "messages": [{"channel": "clarification", "body": "Which account?", "at": at}],
    }


@pytest.mark.usefixtures("peer_b")
def test_the_answer_of_a_peer_provider_is_recorded_with_its_time_and_moves_the_request_once(fr: Org) -> None:
    delivery = _issued_to_b(fr)
    at = (NOW + timedelta(hours=3)).isoformat()
    message = _event(Peer.objects.get(), fr.organisation, delivery, _answered(at))
    remote.receive_event(message)
    remote.receive_event(message)  # applied again: nothing changes
    delivery.refresh_from_db()
    assert (delivery.status, delivery.answered_at.isoformat()) == (DeliveryStatus.ANSWERED, at)  # type: ignore[union-attr]
    answer = Answer.objects.get(delivery=delivery)
    assert (answer.outcome, answer.at.isoformat(), answer.by.username) == ("no_data", at, "peer:b.example")
    assert [r.kind for r in delivery.receipts.all()] == [ReceiptKind.ANSWERED]
    assert [m.body for m in delivery.messages.all()] == ["Which account?"]
    delivery.request.refresh_from_db()
    assert delivery.request.state == State.ANSWERED
    recorded = AuditEntry.objects.filter(details__action="remote_event_recorded")
    assert [e.actor for e in recorded] == ["federation"]


@pytest.mark.usefixtures("peer_b")
def test_an_enforcing_authority_decision_from_the_peer_closes_the_review_deadline_here(fr: Org) -> None:
    request = epoc_issued(fr, Org(_mirror("7")))
    enforcing = Delivery.objects.get(request=request, role=DeliveryRole.ENFORCING)
    assert request.deadlines.filter(rule__startswith="reg.epoc.art12.1", done_at__isnull=True).exists()
    at = (NOW + timedelta(days=2)).isoformat()
    decided = {
        "receipt": {"kind": "decided", "at": at, "nonce": "b-nonce-2", "organisation": "8"},
        "status": "decided",
        "opened_at": at,
        "answered_at": None,
        "blocked_at": None,
        "blocked_reason": "",
        "answer": None,
        "decisions": [{"kind": "no_ground", "grounds": [], "reasons": "", "at": at}],
        "messages": [],
    }
    remote.receive_event(_event(Peer.objects.get(), fr.organisation, enforcing, decided))
    assert [d.kind for d in Decision.objects.filter(delivery=enforcing)] == ["no_ground"]
    assert not request.deadlines.filter(rule__startswith="reg.epoc.art12.1", done_at__isnull=True).exists()


@pytest.mark.usefixtures("peer_b")
def test_an_event_on_a_delivery_this_instance_did_not_send_to_that_peer_is_unprocessable(fr: Org) -> None:
    delivery = _issued_to_b(fr)
    other = Remote("c.example", organisations=[{**B_ORGANISATIONS[0], "name": "Other provider"}])
    trust.add(other.document(), now=NOW)
    with pytest.raises(Unprocessable, match="no delivery"):
        remote.receive_event(
            _event(Peer.objects.get(instance_id="c.example"), fr.organisation, delivery, _answered(NOW.isoformat()))
        )


# -- the receiving side ------------------------------------------------------------------------------


def test_a_delivery_from_a_peer_reaches_its_recipient_here_signed_by_the_mirror_of_the_issuer_at_the_receipt_time(
    provider: Org,
) -> None:
    a = Issuer()
    message_id = str(uuid.uuid4())
    a.send(provider.organisation, a.delivery(provider.organisation), message_id)
    a.send(provider.organisation, a.delivery(provider.organisation), message_id)  # the same message again
    [delivery] = Delivery.objects.filter(organisation=provider.organisation)
    assert delivery.signed_by == Organisation.objects.get(peer__instance_id="a.example", remote_id="3")
    assert (delivery.status, delivery.delivered_at) == (DeliveryStatus.DELIVERED, NOW)
    assert delivery.remote["peer"] == "a.example"
    assert selectors.verification(delivery).verified
    assert delivery.request.case.organisation == delivery.signed_by
    assert delivery.request.data == {}  # least data: the package is in the delivery
    assert [r.kind for r in delivery.receipts.all()] == [ReceiptKind.DELIVERED]
    assert not OutboxMessage.objects.exists()  # "delivered" is the issuing side's own receipt


def _request_facts(**changes: Any) -> dict[str, Any]:
    return {"id": 41, "form_id": "eu-epoc", "route_id": "eu-epoc", "state": "DE", **changes}


def test_a_request_from_a_peer_is_kept_until_the_retention_review_date_of_the_issuing_case(provider: Org) -> None:
    a = Issuer()
    review = NOW.date() + timedelta(days=200)
    a.send(
        provider.organisation, a.delivery(provider.organisation, request=_request_facts(retention_review_date=review.isoformat()))
    )
    [delivery] = Delivery.objects.filter(organisation=provider.organisation)
    assert delivery.request.case.retention_review_date == review
    system = User.objects.create(username="retention-system", is_active=False)
    assert retention_run(actor=system, now=NOW + timedelta(days=199)).erased == []  # not on the day it came
    assert retention_run(actor=system, now=NOW + timedelta(days=200)).erased == [delivery.request.case_id]


def test_a_request_from_a_peer_that_sends_no_review_date_is_kept_the_configured_days_after_its_receipt(provider: Org) -> None:
    a = Issuer()
    a.send(provider.organisation, a.delivery(provider.organisation, request=_request_facts()))
    [delivery] = Delivery.objects.filter(organisation=provider.organisation)
    days = settings.FEDERATION_SHADOW_RETENTION_DAYS
    assert delivery.request.case.retention_review_date == NOW.date() + timedelta(days=days)


def test_a_request_from_a_peer_with_a_review_date_that_is_not_a_date_is_refused_and_nothing_is_stored(provider: Org) -> None:
    a = Issuer()
    with pytest.raises(inbox.Refused) as refused:
        a.send(provider.organisation, a.delivery(provider.organisation, request=_request_facts(retention_review_date="soon")))
    assert (refused.value.status, refused.value.code) == (422, "unprocessable")
    assert "'soon' is not a date" in refused.value.detail
    assert not Delivery.objects.exists()


def test_what_the_recipient_does_goes_back_to_the_issuing_instance_in_the_same_transaction(provider: Org) -> None:
    a = Issuer()
    a.send(provider.organisation, a.delivery(provider.organisation))
    delivery = Delivery.objects.get(organisation=provider.organisation)
    services.delivery_open(user=provider[Role.RESPONDER], delivery_id=delivery.pk, now=NOW + timedelta(hours=1))
    answers.answer_create(
        user=provider[Role.RESPONDER],
        delivery_id=delivery.pk,
        outcome="no_data",
        reason_code="identifier_not_found",
        reason="",
        files=[],
        now=NOW + timedelta(hours=2),
    )
    sent = list(OutboxMessage.objects.filter(kind="event").order_by("sequence"))
    assert [(m.peer.instance_id, m.organisation, m.request) for m in sent] == [("a.example", "3", "a.example/request/41")] * 2
    assert [m.payload["receipt"]["kind"] for m in sent] == ["opened", "answered"]
    assert sent[1].payload["delivery"] == 51
    assert sent[1].payload["answer"]["outcome"] == "no_data"
    assert sent[1].payload["answered_at"] == (NOW + timedelta(hours=2)).isoformat()


def test_a_delivery_whose_signature_does_not_verify_is_refused_and_nothing_is_stored(provider: Org) -> None:
    a = Issuer()
    forged = a.delivery(provider.organisation)
    forged["content"] = {**forged["content"], "data_sought": {"category": "content"}}
    with pytest.raises(inbox.Refused) as refused:
        a.send(provider.organisation, forged)
    assert (refused.value.status, refused.value.code) == (422, "unprocessable")
    assert "signature" in refused.value.detail
    assert not Delivery.objects.exists()
    assert not InboxMessage.objects.exists()


def test_a_mirror_is_not_an_organisation_of_this_instance_for_a_peer(provider: Org) -> None:
    a = Issuer()
    mirror = Organisation.objects.get(peer__instance_id="a.example")
    with pytest.raises(inbox.Refused) as refused:
        a.send(mirror, a.delivery(provider.organisation))
    assert refused.value.code == "unknown_organisation"
    assert not User.objects.filter(username="peer:a.example").exists()
    assert not Receipt.objects.exists()


# -- a non-disclosure instruction from a third instance ------------------------------------------------


@pytest.mark.usefixtures("peer_b")
def test_a_non_disclosure_instruction_from_the_notified_authority_on_c_blocks_the_addressee_on_b_through_the_issuer(
    rs: Org, rehearsal: WhatIf
) -> None:
    c = Remote("c.example", organisations=[{**B_ORGANISATIONS[1], "id": "9"}])
    trust.add(c.document(), now=NOW)
    Organisation.objects.filter(peer__instance_id="b.example", remote_id="8").update(
        functions=[]
    )  # the notified authority is C's
    order = art7_order(rs, Org(_mirror("7")), rehearsal)
    move(rs[Role.PROSECUTOR], order, "issued")
    notified = Delivery.objects.get(request=order, role=DeliveryRole.NOTIFIED)
    assert notified.organisation.peer.instance_id == "c.example"  # type: ignore[union-attr]
    at = (NOW + timedelta(days=1)).isoformat()
    instructed = {
        "receipt": {"kind": "decided", "at": at, "nonce": "c-nonce-1", "organisation": "9"},
        "status": "decided",
        "opened_at": at,
        "answered_at": None,
        "blocked_at": None,
        "blocked_reason": "",
        "answer": None,
        "decisions": [{"kind": "non_disclosure", "grounds": ["7.5.c.i"], "reasons": "Ongoing investigation.", "at": at}],
        "messages": [],
    }
    message = _event(Peer.objects.get(instance_id="c.example"), rs.organisation, notified, instructed)
    remote.receive_event(message)
    remote.receive_event(message)
    addressee = Delivery.objects.get(request=order, role=DeliveryRole.ADDRESSEE)
    assert (addressee.status, addressee.blocked_at.isoformat()) == (DeliveryStatus.BLOCKED, at)  # type: ignore[union-attr]
    [sent] = OutboxMessage.objects.filter(kind="instruction")
    assert (sent.peer.instance_id, sent.organisation) == ("b.example", "7")
    assert sent.payload == {"delivery": addressee.pk, "blocked_at": at, "blocked_reason": addressee.blocked_reason}
    assert "Ongoing investigation" not in str(sent.payload)  # the reasons are the issuing side's only


def test_an_instruction_passed_on_by_the_issuing_instance_blocks_the_delivery_here_once(provider: Org) -> None:
    a = Issuer()
    a.send(provider.organisation, a.delivery(provider.organisation))
    delivery = Delivery.objects.get(organisation=provider.organisation)
    at = (NOW + timedelta(days=1)).isoformat()
    content = a.remote.envelope_content(
        organisation=str(provider.organisation.pk),
        kind="instruction",
        request="a.example/request/41",
        payload={"delivery": 51, "blocked_at": at, "blocked_reason": "Do not disclose."},
    )
    inbox.receive(a.remote.envelope(content), now=NOW)
    inbox.receive(a.remote.envelope(content), now=NOW)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.blocked_at.isoformat(), delivery.blocked_reason) == (  # type: ignore[union-attr]
        DeliveryStatus.BLOCKED,
        at,
        "Do not disclose.",
    )
    assert [r.kind for r in delivery.receipts.all()] == [ReceiptKind.DELIVERED, ReceiptKind.DECIDED]
    assert not OutboxMessage.objects.exists()  # nothing echoed back
