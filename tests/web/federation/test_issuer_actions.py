"""What the issuing side does after issue on a delivery to a peer's organisation travels to the
peer as an ``issuer_event`` (exchange/remote.py): a clarification, a consultation reply, an Art 8
supplement, the withdrawal. On the sending side (this instance issues to the mirrors of b.example)
each is enqueued in the action's transaction, numbered per delivery, after the delivery; on the
receiving side (a.example, played, delivered request 41 here) each is applied once, in order, as
the same action here applies it, with the issuing side's time; one for an unknown delivery is
refused and audited. The ``consult`` decision of an authority here travels with its question."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Organisation, Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import answers, decisions, remote, requested_party
from cyberspex.web.exchange.models import Channel, Delivery, DeliveryRole, DeliveryStatus, Message, ReceiptKind
from cyberspex.web.federation import inbox
from cyberspex.web.federation.models import InboxMessage, OutboxMessage, Peer
from tests.web.conftest import Org
from tests.web.exchange.orders import epoc_issued
from tests.web.exchange.test_answers import answer
from tests.web.exchange.test_delivery import art7_order
from tests.web.exchange.test_remote import _event
from tests.web.exchange.test_requested_party import art8_order
from tests.web.federation.remote import Issuer
from tests.web.helpers import NOW, move

pytestmark = pytest.mark.django_db

LATER = NOW + timedelta(hours=5)
EVEN_LATER = NOW + timedelta(hours=6)


def _mirror(remote_id: str) -> Org:
    return Org(Organisation.objects.get(peer__instance_id="b.example", remote_id=remote_id), {})


def _told(delivery: Delivery) -> list[dict[str, Any]]:
    return [
        m.payload for m in OutboxMessage.objects.filter(kind="issuer_event", payload__delivery=delivery.pk).order_by("sequence")
    ]


def _b_says(delivery: Delivery, at: str, *, decisions: list[dict[str, Any]], messages: list[dict[str, Any]]) -> None:
    """B's event on ``delivery``: its authority "8" decided or wrote."""
    payload = {
        "receipt": {"kind": "message", "at": at, "nonce": f"b-{at}", "organisation": "8"},
        "status": "opened",
        "opened_at": at,
        "answered_at": None,
        "blocked_at": None,
        "blocked_reason": "",
        "answer": None,
        "decisions": decisions,
        "messages": messages,
    }
    remote.receive_event(_event(Peer.objects.get(instance_id="b.example"), delivery.signed_by, delivery, payload))


# -- the sending side ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("peer_b")
def test_a_clarification_of_the_issuing_side_is_sent_to_the_peer_after_the_delivery_in_its_transaction(fr: Org) -> None:
    request = epoc_issued(fr, _mirror("7"))
    addressee = Delivery.objects.get(request=request, role=DeliveryRole.ADDRESSEE)
    answers.message_send(user=fr[Role.JUDGE], delivery_id=addressee.pk, body="The account is jdoe@example.de.", now=LATER)
    assert _told(addressee) == [
        {
            "delivery": addressee.pk,
            "sequence": 1,
            "action": "message",
            "at": LATER.isoformat(),
            "channel": "clarification",
            "body": "The account is jdoe@example.de.",
        }
    ]
    told = OutboxMessage.objects.get(kind="issuer_event")
    sent = OutboxMessage.objects.get(kind="delivery", payload__delivery=addressee.pk)
    assert (told.peer.instance_id, told.organisation) == ("b.example", "7")
    assert told.request == sent.request == remote.reference(settings.CYBERSPEX_INSTANCE_ID, request.pk)
    assert told.sequence > sent.sequence  # the peer gets it after the delivery


@pytest.mark.usefixtures("peer_b")
def test_a_withdrawal_withdraws_every_open_delivery_and_tells_each_recipients_instance(fr: Org) -> None:
    request = epoc_issued(fr, _mirror("7"))
    addressee = Delivery.objects.get(request=request, role=DeliveryRole.ADDRESSEE)
    answers.message_send(user=fr[Role.JUDGE], delivery_id=addressee.pk, body="Please hurry.", now=LATER)
    move(fr[Role.JUDGE], request, "withdrawn", now=EVEN_LATER)
    assert set(request.deliveries.values_list("status", flat=True)) == {DeliveryStatus.WITHDRAWN}
    withdrawn = {"action": "withdrawal", "at": EVEN_LATER.isoformat()}
    assert [{k: p[k] for k in ("sequence", "action", "at")} for p in _told(addressee)] == [
        {"sequence": 1, "action": "message", "at": LATER.isoformat()},
        {"sequence": 2, **withdrawn},
    ]
    enforcing = Delivery.objects.get(request=request, role=DeliveryRole.ENFORCING)
    assert _told(enforcing) == [{"delivery": enforcing.pk, "sequence": 1, **withdrawn}]
    # B's event made before it knew does not reopen it here.
    _b_says(addressee, LATER.isoformat(), decisions=[], messages=[])
    addressee.refresh_from_db()
    assert addressee.status == DeliveryStatus.WITHDRAWN


@pytest.mark.usefixtures("peer_b")
def test_the_consultation_reply_is_sent_to_the_notified_authority_on_the_peer(rs: Org, rehearsal: WhatIf) -> None:
    order = move(rs[Role.PROSECUTOR], art7_order(rs, _mirror("7"), rehearsal), "issued")
    notified = Delivery.objects.get(request=order, role=DeliveryRole.NOTIFIED)
    at = LATER.isoformat()
    question = {"channel": "consultation", "body": "Is the account holder a journalist?", "at": at}
    _b_says(notified, at, decisions=[{"kind": "consult", "grounds": [], "reasons": "", "at": at}], messages=[question])
    decisions.consultation_reply(user=rs[Role.PROSECUTOR], delivery_id=notified.pk, message="No, he is not.", now=EVEN_LATER)
    assert [(p["action"], p["channel"], p["body"]) for p in _told(notified)] == [("message", "consultation", "No, he is not.")]


@pytest.mark.usefixtures("peer_b")
def test_the_art8_supplement_is_sent_to_the_requested_party_on_the_peer(rs: Org, rehearsal: WhatIf) -> None:
    at = LATER.isoformat()
    art8 = art8_order(rs, _mirror("8"), rehearsal)
    party = Delivery.objects.get(request=art8, role=DeliveryRole.REQUESTED_PARTY)
    _b_says(party, at, decisions=[{"kind": "incomplete", "grounds": ["2AP-A8-4"], "reasons": "", "at": at}], messages=[])
    requested_party.supplement(user=rs[Role.PROSECUTOR], request_id=art8.pk, body="He lives in Serbia.", now=EVEN_LATER)
    assert [(p["action"], p["channel"], p["body"]) for p in _told(party)] == [
        ("supplement", "clarification", "He lives in Serbia.")
    ]


# -- the receiving side -------------------------------------------------------------------------------


def _received(a: Issuer, recipient: Org, **delivery: Any) -> Delivery:
    a.send(recipient.organisation, a.delivery(recipient.organisation, **delivery))
    return Delivery.objects.get(organisation=recipient.organisation, remote__delivery=51)


def _act(a: Issuer, recipient: Org, sequence: int, action: str, at: str, **facts: Any) -> None:
    payload = {"delivery": 51, "sequence": sequence, "action": action, "at": at, **facts}
    a.send(recipient.organisation, payload, kind="issuer_event")


def _clarify(a: Issuer, recipient: Org, sequence: int, body: str, at: str) -> None:
    _act(a, recipient, sequence, "message", at, channel="clarification", body=body)


def test_a_message_of_the_issuing_side_is_applied_once_with_its_time_and_not_sent_back(provider: Org) -> None:
    a = Issuer()
    delivery = _received(a, provider)
    _clarify(a, provider, 1, "The account is jdoe.", LATER.isoformat())
    _clarify(a, provider, 1, "The account is jdoe.", LATER.isoformat())  # sent again, as another message: applied once
    [message] = Message.objects.filter(delivery=delivery)
    assert (message.channel, message.body, message.at) == (Channel.CLARIFICATION, "The account is jdoe.", LATER)
    assert (message.organisation, message.author.username) == (delivery.signed_by, "peer:a.example")
    assert [(r.kind, r.at) for r in delivery.receipts.order_by("at")] == [
        (ReceiptKind.DELIVERED, NOW),
        (ReceiptKind.MESSAGE, LATER),
    ]
    assert not OutboxMessage.objects.exists()  # the issuing side's own message is not echoed
    recorded = AuditEntry.objects.filter(details__action="remote_issuer_event_recorded")
    assert [(e.actor, e.details["done"]) for e in recorded] == [("federation", "message")]
    assert InboxMessage.objects.filter(kind="issuer_event").count() == 2


def test_a_withdrawal_withdraws_the_request_here_at_the_issuing_sides_time_once(provider: Org) -> None:
    a = Issuer()
    delivery = _received(a, provider)
    _act(a, provider, 1, "withdrawal", LATER.isoformat())
    _act(a, provider, 1, "withdrawal", LATER.isoformat())
    delivery.refresh_from_db()
    request = Request.objects.get(pk=delivery.request_id)
    assert (delivery.status, request.state) == (DeliveryStatus.WITHDRAWN, State.WITHDRAWN)
    assert [(t.to_state, t.at, t.by.username) for t in request.transitions.all()] == [(State.WITHDRAWN, LATER, "peer:a.example")]
    with pytest.raises(ApplicationError, match="withdrawn") as refused:
        answer(provider, delivery, outcome="no_data", files=[], reason_code="identifier_not_found")
    assert refused.value.status == 409


def test_an_action_that_comes_before_its_predecessor_is_deferred_then_applied_in_order(provider: Org) -> None:
    a = Issuer()
    delivery = _received(a, provider)
    with pytest.raises(inbox.Refused) as early:
        _act(a, provider, 2, "withdrawal", EVEN_LATER.isoformat())
    assert (early.value.status, early.value.code) == (425, "too_early")  # the sender retries later
    assert not InboxMessage.objects.filter(kind="issuer_event").exists()
    assert AuditEntry.objects.filter(details__action="federation_message_refused", details__refusal="too_early").exists()
    _clarify(a, provider, 1, "Before the withdrawal.", LATER.isoformat())
    _act(a, provider, 2, "withdrawal", EVEN_LATER.isoformat())
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.WITHDRAWN
    assert [m.body for m in delivery.messages.all()] == ["Before the withdrawal."]


def test_an_action_on_a_delivery_unknown_here_is_refused_and_audited(provider: Org) -> None:
    a = Issuer()
    with pytest.raises(inbox.Refused) as refused:
        _clarify(a, provider, 1, "Anyone there?", LATER.isoformat())
    assert (refused.value.status, refused.value.code) == (422, "unprocessable")
    assert "no delivery 51" in refused.value.detail
    assert not InboxMessage.objects.exists()
    assert not Message.objects.exists()
    assert AuditEntry.objects.filter(details__action="federation_message_refused", details__refusal="unprocessable").exists()


def test_a_supplement_reaches_the_requested_party_here_which_may_then_record_that_it_has_everything(bfj: Org) -> None:
    a = Issuer()
    delivery = _received(a, bfj, role="requested_party", package="authority", form="2ap-8-order")
    authority = bfj[Role.NOTIFIED_AUTHORITY]
    requested_party.completeness_check(
        user=authority, delivery_id=delivery.pk, complete=False, missing=["2AP-A8-4"], reasons="", now=LATER
    )
    _act(a, bfj, 1, "supplement", EVEN_LATER.isoformat(), channel="clarification", body="He lives in Serbia.")
    assert [(m.organisation, m.body, m.at) for m in delivery.messages.order_by("at")][1:] == [
        (delivery.signed_by, "He lives in Serbia.", EVEN_LATER)
    ]
    complete = EVEN_LATER + timedelta(hours=1)
    requested_party.completeness_check(
        user=authority, delivery_id=delivery.pk, complete=True, missing=[], reasons="", now=complete
    )
    assert requested_party.complete_at(delivery) == complete
    last = OutboxMessage.objects.filter(kind="event").order_by("sequence").last()
    assert last is not None
    assert last.payload["decisions"][-1]["kind"] == "complete"  # the issuing instance starts the service clock then


def test_a_supplement_to_an_organisation_that_is_not_a_requested_party_is_refused(provider: Org) -> None:
    a = Issuer()
    _received(a, provider)
    with pytest.raises(inbox.Refused, match="requested Party"):
        _act(a, provider, 1, "supplement", LATER.isoformat(), channel="clarification", body="More.")
    assert not Message.objects.exists()


def test_a_consultation_travels_with_its_decision_and_the_issuing_sides_reply_comes_back(bfj: Org) -> None:
    a = Issuer()
    delivery = _received(a, bfj, role="notified", package="notification", form="2ap-7-order")
    decisions.consult(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=delivery.pk, message="Is he a journalist?", now=LATER)
    [event] = OutboxMessage.objects.filter(kind="event")  # one event, in the transaction of the decision
    assert [d["kind"] for d in event.payload["decisions"]] == ["consult"]
    assert [m["body"] for m in event.payload["messages"]] == ["Is he a journalist?"]
    _act(a, bfj, 1, "message", EVEN_LATER.isoformat(), channel="consultation", body="No.")
    thread = delivery.messages.filter(channel=Channel.CONSULTATION).order_by("at")
    assert [(m.organisation, m.body) for m in thread] == [(bfj.organisation, "Is he a journalist?"), (delivery.signed_by, "No.")]
