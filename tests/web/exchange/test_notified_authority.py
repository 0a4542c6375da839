"""The authority notified of an Art 7 order (CETS 224 Art 7(5)): it sees the order, the supplemental
information and the summary of facts; it may consult the issuing authority, which the provider never
sees; it may instruct the provider not to disclose, which blocks the provider's answer, and its
reasons reach the issuing side only."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.cases.models import Request
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import decisions, selectors
from cyberspex.web.exchange.decision_clock import decision_clock
from cyberspex.web.exchange.delivery import deliver_to
from cyberspex.web.exchange.models import Decision, Delivery, DeliveryRole, DeliveryStatus, Message
from tests.web.conftest import Api, Org
from tests.web.exchange.orders import art7_issued, delivery
from tests.web.helpers import NOW, verified_session

pytestmark = pytest.mark.django_db

QUESTION = "Is the account holder a suspect in proceedings in Serbia only? Question-4417"
REPLY = "Yes, only in Serbia. Reply-5521"
REASONS = "Disclosure would alert the target of a German investigation. Reasons-9043"


@pytest.fixture
def order(rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf) -> Request:  # noqa: ARG001  # bfj receives it
    return art7_issued(rs, provider_de, rehearsal)


def page(user, path: str) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    verified_session(client, user)
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def refusals() -> list[dict[str, object]]:
    return [e.details for e in AuditEntry.objects.order_by("seq") if str(e.details.get("action", "")).endswith("_refused")]


# -- what each side sees ---------------------------------------------------------------------------


def test_the_notified_authority_sees_the_summary_of_facts_and_the_provider_does_not(
    order: Request, provider_de: Org, bfj: Org, api: Api
) -> None:
    facts = order.data["summary_of_facts"][:60]
    to_authority, to_provider = delivery(order, DeliveryRole.NOTIFIED), delivery(order, DeliveryRole.ADDRESSEE)
    assert facts in page(bfj[Role.NOTIFIED_AUTHORITY], f"/inbox/{to_authority.pk}/")
    assert facts not in page(provider_de[Role.RESPONDER], f"/inbox/{to_provider.pk}/")
    seen_by_authority = api.get(f"/inbox/{to_authority.pk}", bfj[Role.NOTIFIED_AUTHORITY]).json()
    seen_by_provider = api.get(f"/inbox/{to_provider.pk}", provider_de[Role.RESPONDER]).json()
    assert seen_by_authority["content"]["summary_of_facts"].startswith(facts)
    assert "summary_of_facts" not in seen_by_provider["content"]
    assert facts not in json.dumps(seen_by_provider, ensure_ascii=False)


def test_the_decision_panel_offers_the_grounds_of_art_7_5_c_with_citations_marked_unverified(order: Request, bfj: Org) -> None:
    html = page(bfj[Role.NOTIFIED_AUTHORITY], f"/inbox/{delivery(order, DeliveryRole.NOTIFIED).pk}/")
    assert 'value="7.5.c.i"' in html
    assert 'value="7.5.c.ii.27.4.b"' in html
    assert "CETS 224 Art 7(5)(c)(i)" in html
    assert "ETS 185 Art 27(4)(b)" in html
    assert "unverified" in html
    assert "without undue delay" in html  # the clock: the Protocol sets no period


def test_the_provider_has_no_decision_panel(order: Request, provider_de: Org) -> None:
    html = page(provider_de[Role.RESPONDER], f"/inbox/{delivery(order, DeliveryRole.ADDRESSEE).pk}/")
    assert 'name="grounds"' not in html
    assert "Consultation with the issuing authority" not in html


# -- consultation ----------------------------------------------------------------------------------


def test_a_consultation_reaches_the_issuing_side_and_its_reply_the_authority_never_the_provider(
    order: Request, rs: Org, provider_de: Org, bfj: Org, api: Api
) -> None:
    to_authority, to_provider = delivery(order, DeliveryRole.NOTIFIED), delivery(order, DeliveryRole.ADDRESSEE)
    asked = api.post(
        f"/inbox/{to_authority.pk}/decisions", {"kind": "consult", "reasons": QUESTION}, bfj[Role.NOTIFIED_AUTHORITY]
    )
    assert asked.status_code == 201, asked.json()
    assert asked.json()["message"]["body"] == QUESTION

    issuer = Client()
    verified_session(issuer, rs[Role.PROSECUTOR])
    assert QUESTION in issuer.get(f"/requests/{order.pk}/").content.decode()
    replied = issuer.post(f"/inbox/sent/{to_authority.pk}/consultation", {"message": REPLY})
    assert replied.status_code == 302

    thread = api.get(f"/inbox/{to_authority.pk}/decisions", bfj[Role.NOTIFIED_AUTHORITY]).json()["consultation"]
    assert [m["body"] for m in thread] == [QUESTION, REPLY]
    assert REPLY in page(bfj[Role.NOTIFIED_AUTHORITY], f"/inbox/{to_authority.pk}/")

    provider_page = page(provider_de[Role.RESPONDER], f"/inbox/{to_provider.pk}/")
    provider_api = api.get(f"/inbox/{to_provider.pk}", provider_de[Role.RESPONDER]).content.decode()
    provider_decisions = api.get(f"/inbox/{to_provider.pk}/decisions", provider_de[Role.RESPONDER]).content.decode()
    for shown in (provider_page, provider_api, provider_decisions):
        assert "Question-4417" not in shown
        assert "Reply-5521" not in shown


def test_messages_visible_hides_the_consultation_from_the_provider_even_on_its_own_delivery(order: Request, bfj: Org) -> None:
    to_provider = delivery(order, DeliveryRole.ADDRESSEE)
    Message.objects.create(
        delivery=to_provider,
        channel="consultation",
        organisation=bfj.organisation,
        author=bfj[Role.NOTIFIED_AUTHORITY],
        body="x",
        at=NOW,
    )
    assert list(selectors.messages_visible(to_provider)) == []


def test_the_issuing_side_cannot_reply_before_it_was_consulted(order: Request, rs: Org) -> None:
    with pytest.raises(ApplicationError, match="nothing to reply to") as refused:
        decisions.consultation_reply(
            user=rs[Role.PROSECUTOR], delivery_id=delivery(order, DeliveryRole.NOTIFIED).pk, message=REPLY, now=NOW
        )
    assert refused.value.status == 409
    assert not Message.objects.exists()
    assert refusals()[-1]["action"] == "consultation_reply_refused"


def test_another_organisation_cannot_reply_in_the_consultation(order: Request, bfj: Org, provider_de: Org) -> None:
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    decisions.consult(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=to_authority.pk, message=QUESTION, now=NOW)
    with pytest.raises(ApplicationError) as refused:
        decisions.consultation_reply(user=provider_de[Role.RESPONDER], delivery_id=to_authority.pk, message=REPLY, now=NOW)
    assert refused.value.status == 404
    assert Message.objects.count() == 1


# -- instructing non-disclosure ----------------------------------------------------------------------


def test_an_instruction_not_to_disclose_blocks_the_provider_and_its_reasons_reach_the_issuing_side_only(
    order: Request, rs: Org, provider_de: Org, bfj: Org, api: Api
) -> None:
    to_authority, to_provider = delivery(order, DeliveryRole.NOTIFIED), delivery(order, DeliveryRole.ADDRESSEE)
    authority = Client()
    verified_session(authority, bfj[Role.NOTIFIED_AUTHORITY])
    posted = authority.post(
        f"/inbox/{to_authority.pk}/decisions", {"kind": "non_disclosure", "grounds": ["7.5.c.i"], "reasons": REASONS}
    )
    assert posted.status_code == 302

    to_provider.refresh_from_db()
    assert to_provider.status == DeliveryStatus.BLOCKED
    assert to_provider.blocked_at is not None
    assert "CETS 224 Art 7(5)(c)" in to_provider.blocked_reason
    assert "Reasons-9043" not in to_provider.blocked_reason
    provider_page = page(provider_de[Role.RESPONDER], f"/inbox/{to_provider.pk}/")
    assert "Instruction not to disclose" in provider_page
    assert "CETS 224 Art 7(5)(c)" in provider_page
    assert not selectors.inbox_item(user=provider_de[Role.RESPONDER], delivery_id=to_provider.pk, now=NOW).answerable
    provider_api = api.get(f"/inbox/{to_provider.pk}", provider_de[Role.RESPONDER])
    assert provider_api.json()["blocked"] is True
    assert "Reasons-9043" not in provider_page + provider_api.content.decode()

    issuer_page = page(rs[Role.PROSECUTOR], f"/requests/{order.pk}/")
    assert "Reasons-9043" in issuer_page
    assert "7.5.c.i" in issuer_page
    assert "Disclosure blocked" in issuer_page


def test_no_objection_leaves_the_provider_free_to_answer(order: Request, bfj: Org) -> None:
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    taken = decisions.no_objection(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=to_authority.pk, now=NOW)
    assert taken.blocked is None
    assert taken.decision.kind == "no_objection"
    assert delivery(order, DeliveryRole.ADDRESSEE).status == DeliveryStatus.DELIVERED
    assert delivery(order, DeliveryRole.NOTIFIED).status == DeliveryStatus.DECIDED


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"kind": "non_disclosure", "grounds": ["7.5.c.i"], "reasons": "  "}, "reasons", "give your reasons"),
        ({"kind": "non_disclosure", "grounds": [], "reasons": REASONS}, "grounds", "at least one ground"),
        ({"kind": "non_disclosure", "grounds": ["7.5.c.ix"], "reasons": REASONS}, "grounds", "unknown ground"),
        ({"kind": "no_objection", "grounds": ["7.5.c.i"]}, "grounds", "grounds are given only"),
        ({"kind": "consult", "reasons": ""}, "reasons", "write what you ask"),
        ({"kind": "veto"}, "kind", "unknown kind"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    order: Request, bfj: Org, api: Api, *, body: dict[str, object], field: str, message: str
) -> None:
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    answer = api.post(f"/inbox/{to_authority.pk}/decisions", body, bfj[Role.NOTIFIED_AUTHORITY])
    assert answer.status_code == 422
    assert answer.json()["field"] == field
    assert message in answer.json()["message"]
    assert not Decision.objects.exists()
    assert not Message.objects.exists()
    assert delivery(order, DeliveryRole.ADDRESSEE).status == DeliveryStatus.DELIVERED
    assert refusals()[-1]["status"] == 422


def test_a_refused_form_shows_the_page_again_with_the_message_and_its_status(order: Request, bfj: Org) -> None:
    client = Client()
    verified_session(client, bfj[Role.NOTIFIED_AUTHORITY])
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    answer = client.post(f"/inbox/{to_authority.pk}/decisions", {"kind": "non_disclosure", "grounds": ["7.5.c.i"]})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "Not recorded." in html
    assert "give your reasons" in html
    assert 'value="7.5.c.i" checked' in html


# -- refusals ---------------------------------------------------------------------------------------


def test_a_member_of_another_organisation_cannot_decide(order: Request, provider_de: Org, rs: Org, api: Api) -> None:
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    for user in (provider_de[Role.RESPONDER], rs[Role.PROSECUTOR]):
        answer = api.post(f"/inbox/{to_authority.pk}/decisions", {"kind": "no_objection"}, user)
        assert answer.status_code == 404
    assert not Decision.objects.exists()
    assert [r["status"] for r in refusals()] == [404, 404]


def test_a_role_without_the_right_to_decide_cannot_decide(order: Request, bfj: Org, api: Api) -> None:
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    answer = api.post(f"/inbox/{to_authority.pk}/decisions", {"kind": "no_objection"}, bfj[Role.RESPONDER])
    assert answer.status_code == 403
    assert not Decision.objects.exists()
    assert refusals()[-1]["status"] == 403


def test_a_decision_of_another_role_or_on_a_delivery_received_in_another_role_is_refused(
    order: Request, rs: Org, bfj: Org, api: Api
) -> None:
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    answer = api.post(f"/inbox/{to_authority.pk}/decisions", {"kind": "no_ground"}, bfj[Role.NOTIFIED_AUTHORITY])
    assert answer.status_code == 409
    assert "no_ground is not a decision of" in answer.json()["message"]
    as_requested_party = deliver_to(
        order,
        organisation=bfj.organisation,
        role=DeliveryRole.REQUESTED_PARTY,
        package="notification",
        by=rs[Role.PROSECUTOR],
        now=NOW,
        exercise=True,
        signer=order.case.organisation,
        signatories=lambda _language: (),
    )
    answer = api.post(f"/inbox/{as_requested_party.pk}/decisions", {"kind": "no_objection"}, bfj[Role.NOTIFIED_AUTHORITY])
    assert answer.status_code == 409
    assert "received this request as" in answer.json()["message"]
    assert not Decision.objects.exists()
    assert [r["status"] for r in refusals()] == [409, 409]


def test_a_second_decision_is_refused_and_changes_nothing(order: Request, bfj: Org, api: Api) -> None:
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    decisions.no_objection(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=to_authority.pk, now=NOW)
    for body in (
        {"kind": "non_disclosure", "grounds": ["7.5.c.i"], "reasons": REASONS},
        {"kind": "consult", "reasons": QUESTION},
    ):
        answer = api.post(f"/inbox/{to_authority.pk}/decisions", body, bfj[Role.NOTIFIED_AUTHORITY])
        assert answer.status_code == 409
        assert "already decided" in answer.json()["message"]
    assert [d.kind for d in Decision.objects.all()] == ["no_objection"]
    assert delivery(order, DeliveryRole.ADDRESSEE).status == DeliveryStatus.DELIVERED
    assert [r["status"] for r in refusals()] == [409, 409]


# -- the clock ---------------------------------------------------------------------------------------


def test_the_clock_shows_elapsed_time_to_both_sides_and_no_invented_period(order: Request, rs: Org, bfj: Org) -> None:
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    clock = decision_clock(to_authority, NOW + timedelta(hours=30))
    assert clock is not None
    assert clock.due_at is None
    assert clock.left is None
    assert not clock.overdue
    assert clock.elapsed == timedelta(hours=30)
    assert not clock.period.verified
    with time_machine.travel(NOW + timedelta(hours=30), tick=False):
        authority_page = page(bfj[Role.NOTIFIED_AUTHORITY], f"/inbox/{to_authority.pk}/")
        issuer_page = page(rs[Role.PROSECUTOR], f"/requests/{order.pk}/")
    for html in (authority_page, issuer_page):
        assert "Decision clock" in html
        assert "1\xa0day, 6\xa0hours" in html
        assert "without undue delay" in html


def test_the_decision_stops_the_clock(order: Request, bfj: Org) -> None:
    to_authority = delivery(order, DeliveryRole.NOTIFIED)
    decisions.no_objection(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=to_authority.pk, now=NOW + timedelta(hours=5))
    clock = decision_clock(Delivery.objects.get(pk=to_authority.pk), NOW + timedelta(days=3))
    assert clock is not None
    assert not clock.running
    assert clock.elapsed == timedelta(hours=5)


@pytest.mark.usefixtures("produced")
def test_the_provider_sees_that_the_authority_was_notified_and_where_it_stands_but_never_its_reasons(
    order: Request, bfj: Org, provider_de: Org
) -> None:
    to_provider, to_authority = delivery(order, DeliveryRole.ADDRESSEE), delivery(order, DeliveryRole.NOTIFIED)
    pending = page(provider_de[Role.RESPONDER], f"/inbox/{to_provider.pk}/")
    assert "Also received by" in pending
    assert bfj.organisation.name in pending
    decisions.no_objection(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=to_authority.pk,
        reasons="Nothing prejudiced here.",
        now=NOW + timedelta(hours=2),
    )
    decided = page(provider_de[Role.RESPONDER], f"/inbox/{to_provider.pk}/")
    assert "Decided" in decided
    assert "Nothing prejudiced" not in decided


@pytest.mark.usefixtures("produced")
def test_an_instruction_after_the_providers_answer_is_recorded_and_shown_to_both_not_dropped(
    order: Request, bfj: Org, provider_de: Org
) -> None:
    from cyberspex.web.exchange.answers import Upload, answer_create  # noqa: PLC0415

    to_provider, to_authority = delivery(order, DeliveryRole.ADDRESSEE), delivery(order, DeliveryRole.NOTIFIED)
    answer_create(
        user=provider_de[Role.RESPONDER],
        delivery_id=to_provider.pk,
        outcome="data",
        reason_code="",
        reason="",
        files=[Upload("subscriber.csv", b"name,email\nJ. Doe,j.doe@mail.example\n")],
        now=NOW + timedelta(hours=2),
    )
    authority_page = page(bfj[Role.NOTIFIED_AUTHORITY], f"/inbox/{to_authority.pk}/")
    assert "Answered" in authority_page  # the authority knows the provider answered before it decides

    decisions.instruct_non_disclosure(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=to_authority.pk,
        grounds=["7.5.c.i"],
        reasons=REASONS,
        now=NOW + timedelta(hours=2) + timedelta(hours=1),
    )
    to_provider.refresh_from_db()
    assert to_provider.status == DeliveryStatus.ANSWERED
    assert to_provider.blocked_at == NOW + timedelta(hours=3)
    provider_page = page(provider_de[Role.RESPONDER], f"/inbox/{to_provider.pk}/")
    assert "Instruction received after your answer" in provider_page
    assert REASONS not in provider_page
    decided = to_provider.receipts.get(kind="decided")
    assert (decided.organisation, decided.at) == (bfj.organisation, NOW + timedelta(hours=3))
