"""An Article 8 order issued in Serbia and delivered on the platform to the German requested
Party: it checks completeness (the 45 days to serve run from then, not from issue), serves the
provider (who sees the order only; its 20 or 45 days run from service), may set conditions,
postpone or refuse, and passes the produced data back, which only then reaches the requesting side."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from cyberspex.forms.definitions import forms
from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.cases import services as cases
from cyberspex.web.cases.models import Deadline, Request, State
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import requested_party, selectors
from cyberspex.web.exchange.models import (
    Answer,
    Channel,
    Decision,
    DecisionKind,
    Delivery,
    DeliveryRole,
    ProducedFile,
)
from tests.web.conftest import Api, Org
from tests.web.helpers import JUSTIFICATION, NOW, form_data, make_case, move, verified_session

pytestmark = pytest.mark.django_db

SERVE = cases.SERVICE_CLOCK
SUBSCRIBER, TRAFFIC = "cets224.art8.6.a.i.subscriber", "cets224.art8.6.a.ii.traffic"
COMPLETE_AT = NOW + timedelta(days=3)
SERVED_AT = NOW + timedelta(days=10)
ANSWERED_AT = NOW + timedelta(days=15)
PASSED_AT = NOW + timedelta(days=16)
# What Art 8(3)(b) calls supporting information: never in the provider's package.
SUPPORTING = (
    "legal_grounds",
    "possession_reasons",
    "summary_of_facts",
    "relevance",
    "contact_authority",
    "preservation",
    "other_means",
)


def art8_order(rs: Org, bfj: Org, what_if: WhatIf, *, category: str = "traffic") -> Request:
    case = make_case(rs[Role.PROSECUTOR])
    data = form_data("2ap-8-order", "DE")
    data["data_sought"]["category"] = category
    made, _ = cases.request_draft(
        user=rs[Role.PROSECUTOR],
        case_id=case.pk,
        form_id="2ap-8-order",
        data=data,
        now=NOW,
        what_if=what_if,
        recipient_organisation=bfj.organisation.pk,
    )
    return move(rs[Role.PROSECUTOR], made, "issued")


def to_requested_party(order: Request) -> Delivery:
    return Delivery.objects.get(request=order, role=DeliveryRole.REQUESTED_PARTY)


def clocks(order: Request) -> dict[str, Deadline]:
    return {d.rule: d for d in order.deadlines.filter(rule__in=(SERVE, SUBSCRIBER, TRAFFIC))}


def complete(bfj: Org, delivery: Delivery) -> Decision:
    return requested_party.completeness_check(
        user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=delivery.pk, complete=True, missing=[], reasons="", now=COMPLETE_AT
    )


def serve(bfj: Org, delivery: Delivery, provider: Org) -> Delivery:
    return requested_party.serve_provider(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=delivery.pk,
        provider_organisation_id=provider.organisation.pk,
        now=SERVED_AT,
    )


def answer(provider: Org, served: Delivery) -> Answer:
    made = Answer.objects.create(delivery=served, outcome="data", by=provider[Role.RESPONDER], at=ANSWERED_AT)
    ProducedFile.objects.create(
        answer=made,
        name="logins.csv",
        content_type="text/csv",
        size=12,
        sha256="a" * 64,
        stored_name="produced/x",
        uploaded_at=ANSWERED_AT,
    )
    return made


@pytest.fixture
def order(rs: Org, bfj: Org, provider_de: Org, rehearsal: WhatIf) -> Request:  # noqa: ARG001  # the provider is in the directory
    return art8_order(rs, bfj, rehearsal)


# -- the checklist ------------------------------------------------------------------------------


def test_the_checklist_covers_every_element_of_the_form_with_the_same_citation() -> None:
    form = forms()["2ap-8-order"]
    elements = {(f.element, f.citation) for section in form.sections for f in section.fields}
    elements |= {("2AP-A8-3-b-ii", "CETS 224 Art 8(3)(b)(ii)"), (form.statement.element, form.statement.citation)}
    assert elements == {(i.id, i.citation) for i in requested_party.CHECKLIST}
    assert not any(i.verified for i in requested_party.CHECKLIST)  # 2ap.md tag T
    for section in form.sections:
        for found in section.fields:
            assert found.name in requested_party.ITEMS[found.element].fields


# -- completeness and the service clock ---------------------------------------------------------


def test_issuing_the_order_delivers_it_to_the_requested_party_and_starts_no_service_clock(order: Request, bfj: Org) -> None:
    delivery = to_requested_party(order)
    assert delivery.organisation == bfj.organisation
    assert delivery.package == "authority"
    assert "summary_of_facts" in delivery.content
    assert clocks(order) == {}


def test_the_45_days_to_serve_run_from_the_recorded_completeness_not_from_issue(order: Request, bfj: Org) -> None:
    decision = complete(bfj, to_requested_party(order))
    assert decision.kind == DecisionKind.COMPLETE
    assert decision.at == COMPLETE_AT
    serve_clock = order.deadlines.get(rule=SERVE)
    assert serve_clock.due_at == COMPLETE_AT + timedelta(days=45)
    assert serve_clock.citation == "CETS 224 Art 8(6)(a)"
    assert AuditEntry.objects.filter(object_type="delivery", details__decision="complete").exists()


def test_an_incomplete_order_tells_the_requesting_side_what_is_missing_and_it_sends_a_supplement(
    order: Request, rs: Org, bfj: Org
) -> None:
    delivery = to_requested_party(order)
    requested_party.completeness_check(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=delivery.pk,
        complete=False,
        missing=["2AP-A8-3-b-v", "2AP-A8-4"],
        reasons="We declared under Art 8(4) that we need the account holder's country.",
        now=NOW + timedelta(days=1),
    )
    assert clocks(order) == {}
    seen = selectors.issuer_view(order).deliveries[0]
    assert [d.kind for d in seen.decisions.all()] == [DecisionKind.INCOMPLETE]
    assert seen.decisions.get().grounds == ["2AP-A8-3-b-v", "2AP-A8-4"]
    told = seen.messages.get()
    assert told.channel == Channel.CLARIFICATION
    assert "Relevance of the information or data" in told.body
    assert "CETS 224 Art 8(4)" in told.body

    requested_party.supplement(
        user=rs[Role.PROSECUTOR], request_id=order.pk, body="The account holder is in Serbia.", now=NOW + timedelta(days=2)
    )
    assert [m.organisation for m in selectors.messages_visible(delivery)] == [bfj.organisation, rs.organisation]
    complete(bfj, delivery)
    assert order.deadlines.get(rule=SERVE).due_at == COMPLETE_AT + timedelta(days=45)


# -- service on the provider --------------------------------------------------------------------


def test_serving_the_provider_delivers_the_order_without_the_supporting_information(
    order: Request, bfj: Org, provider_de: Org
) -> None:
    delivery = to_requested_party(order)
    complete(bfj, delivery)
    served = serve(bfj, delivery, provider_de)
    assert (served.role, served.package, served.parent, served.organisation) == (
        DeliveryRole.SERVED,
        "provider",
        delivery,
        provider_de.organisation,
    )
    assert served.signed_by == bfj.organisation
    assert selectors.verification(served).verified
    assert not set(SUPPORTING) & set(served.content)
    assert "summary_of_facts" not in str(served.content)
    assert [d.role for d in selectors.inbox(user=provider_de[Role.RESPONDER])] == [DeliveryRole.SERVED]
    with pytest.raises(ApplicationError):  # the provider never reaches the requested Party's copy
        selectors.delivery_get(user=provider_de[Role.RESPONDER], delivery_id=delivery.pk)


def test_service_closes_the_service_clock_and_traffic_data_are_due_45_days_after_service(
    order: Request, bfj: Org, provider_de: Org
) -> None:
    delivery = to_requested_party(order)
    complete(bfj, delivery)
    serve(bfj, delivery, provider_de)
    order.refresh_from_db()
    assert order.served_at == SERVED_AT
    found = clocks(order)
    assert found[SERVE].done_at == SERVED_AT
    assert found[TRAFFIC].due_at == SERVED_AT + timedelta(days=45)
    assert SUBSCRIBER not in found


def test_subscriber_information_is_due_20_days_after_service(rs: Org, bfj: Org, provider_de: Org, rehearsal: WhatIf) -> None:
    order = art8_order(rs, bfj, rehearsal, category="subscriber")
    delivery = to_requested_party(order)
    complete(bfj, delivery)
    serve(bfj, delivery, provider_de)
    found = clocks(order)
    assert found[SUBSCRIBER].due_at == SERVED_AT + timedelta(days=20)
    assert TRAFFIC not in found


# -- passing the data back ------------------------------------------------------------------------


def test_the_requesting_side_sees_the_providers_answer_only_once_it_is_passed_back(
    order: Request, bfj: Org, provider_de: Org
) -> None:
    delivery = to_requested_party(order)
    complete(bfj, delivery)
    served = serve(bfj, delivery, provider_de)
    answer(provider_de, served)
    assert selectors.issuer_view(order).passed_back == []

    decision = requested_party.pass_back(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=delivery.pk, now=PASSED_AT)
    assert decision.kind == DecisionKind.DATA_PASSED_BACK
    shown = selectors.issuer_view(order).passed_back
    assert [(a.delivery, a.outcome) for a in shown] == [(served, "data")]
    assert [f.sha256 for f in shown[0].files.all()] == ["a" * 64]
    assert clocks(order)[TRAFFIC].done_at == ANSWERED_AT


# -- Article 8(8) -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("decision", "kind"), [("conditions", DecisionKind.CONDITIONS), ("postponed", DecisionKind.POSTPONED)])
def test_conditions_and_postponement_are_notified_with_their_reasons(order: Request, bfj: Org, decision: str, kind: str) -> None:
    requested_party.execution(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=to_requested_party(order).pk,
        decision=decision,
        reasons="Use limited to the stated investigation.",
        now=COMPLETE_AT,
    )
    seen = selectors.issuer_view(order).deliveries[0].decisions.get()
    assert (seen.kind, seen.reasons) == (kind, "Use limited to the stated investigation.")
    assert seen.grounds[0].startswith("CETS 224 Art 8(8)")
    order.refresh_from_db()
    assert order.state == State.ISSUED


def test_a_refusal_moves_the_request_to_refused_closes_its_deadlines_and_ends_the_exchange(
    order: Request, bfj: Org, provider_de: Org
) -> None:
    delivery = to_requested_party(order)
    complete(bfj, delivery)
    requested_party.execution(
        user=bfj[Role.NOTIFIED_AUTHORITY],
        delivery_id=delivery.pk,
        decision="refused",
        reasons="Political offence.",
        now=SERVED_AT,
    )
    order.refresh_from_db()
    assert order.state == State.REFUSED
    assert order.transitions.last().to_state == State.REFUSED  # type: ignore[union-attr]
    assert not order.deadlines.filter(done_at__isnull=True).exists()
    assert selectors.issuer_view(order).deliveries[0].decisions.last().reasons == "Political offence."  # type: ignore[union-attr]
    with pytest.raises(ApplicationError, match="refused") as refused:
        serve(bfj, delivery, provider_de)
    assert refused.value.status == 409


# -- refusals ---------------------------------------------------------------------------------------


def refusal(call: Callable[[], object]) -> ApplicationError:
    before = Decision.objects.count(), Delivery.objects.count()
    with pytest.raises(ApplicationError) as raised:
        call()
    assert (Decision.objects.count(), Delivery.objects.count()) == before
    return raised.value


def test_another_organisation_gets_404_and_a_role_that_may_not_decide_403(
    order: Request, rs: Org, bfj: Org, provider_de: Org
) -> None:
    delivery = to_requested_party(order)
    for user in (rs[Role.PROSECUTOR], provider_de[Role.RESPONDER], rs[Role.NOTIFIED_AUTHORITY]):
        assert refusal(lambda u=user: complete_as(u, delivery)).status == 404
    assert refusal(lambda: complete_as(bfj[Role.RESPONDER], delivery)).status == 403


def complete_as(user: User, delivery: Delivery) -> Decision:
    return requested_party.completeness_check(
        user=user,
        delivery_id=delivery.pk,
        complete=True,
        missing=[],
        reasons="",
        now=COMPLETE_AT,
    )


def test_steps_out_of_order_are_refused_with_409(order: Request, bfj: Org, provider_de: Org) -> None:
    delivery = to_requested_party(order)
    decide = bfj[Role.NOTIFIED_AUTHORITY]
    assert "record first" in refusal(lambda: serve(bfj, delivery, provider_de)).message
    assert refusal(lambda: requested_party.pass_back(user=decide, delivery_id=delivery.pk, now=PASSED_AT)).status == 409
    complete(bfj, delivery)
    assert refusal(lambda: complete(bfj, delivery)).status == 409
    assert refusal(lambda: requested_party.pass_back(user=decide, delivery_id=delivery.pk, now=PASSED_AT)).status == 409
    served = serve(bfj, delivery, provider_de)
    assert refusal(lambda: serve(bfj, delivery, provider_de)).status == 409
    assert (
        "not answered" in refusal(lambda: requested_party.pass_back(user=decide, delivery_id=delivery.pk, now=PASSED_AT)).message
    )
    answer(provider_de, served)
    requested_party.pass_back(user=decide, delivery_id=delivery.pk, now=PASSED_AT)
    assert refusal(lambda: requested_party.pass_back(user=decide, delivery_id=delivery.pk, now=PASSED_AT)).status == 409


def test_an_item_not_received_as_the_requested_party_is_refused_with_409(
    rs: Org, bfj: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    from tests.web.exchange.test_delivery import art7_order  # noqa: PLC0415

    order = move(rs[Role.PROSECUTOR], art7_order(rs, provider_de, rehearsal), "issued")
    notified = Delivery.objects.get(request=order, role=DeliveryRole.NOTIFIED)
    assert "requested Party" in refusal(lambda: complete(bfj, notified)).message


@pytest.mark.parametrize(
    ("complete_", "missing", "field"),
    [(False, [], "missing"), (True, ["2AP-A8-3-b-iv"], "missing"), (False, ["8(3)(z)"], "missing")],
)
def test_a_completeness_check_that_does_not_add_up_is_refused_with_422(
    order: Request, bfj: Org, complete_: bool, missing: list[str], field: str
) -> None:
    error = refusal(
        lambda: requested_party.completeness_check(
            user=bfj[Role.NOTIFIED_AUTHORITY],
            delivery_id=to_requested_party(order).pk,
            complete=complete_,
            missing=missing,
            reasons="",
            now=COMPLETE_AT,
        )
    )
    assert (error.status, error.field) == (422, field)
    assert clocks(order) == {}


def test_a_provider_outside_the_requested_partys_state_or_a_decision_without_reasons_is_refused_with_422(
    order: Request, bfj: Org, provider_ie: Org
) -> None:
    delivery = to_requested_party(order)
    complete(bfj, delivery)
    assert refusal(lambda: serve(bfj, delivery, provider_ie)).field == "provider_organisation_id"
    assert refusal(lambda: serve(bfj, delivery, bfj)).status == 422  # not a provider
    decide = bfj[Role.NOTIFIED_AUTHORITY]
    assert (
        refusal(
            lambda: requested_party.execution(user=decide, delivery_id=delivery.pk, decision="refused", reasons=" ", now=NOW)
        ).field
        == "reasons"
    )
    assert (
        refusal(
            lambda: requested_party.execution(user=decide, delivery_id=delivery.pk, decision="maybe", reasons="x", now=NOW)
        ).field
        == "decision"
    )
    order.refresh_from_db()
    assert order.served_at is None


def test_the_supplement_comes_only_after_the_requested_party_said_what_is_missing(order: Request, rs: Org, bfj: Org) -> None:
    assert (
        refusal(lambda: requested_party.supplement(user=rs[Role.PROSECUTOR], request_id=order.pk, body="x", now=NOW)).status
        == 409
    )
    assert (
        refusal(
            lambda: requested_party.supplement(user=bfj[Role.NOTIFIED_AUTHORITY], request_id=order.pk, body="x", now=NOW)
        ).status
        == 404
    )


# -- the API and the pages ---------------------------------------------------------------------------


def test_the_whole_exchange_through_the_api(order: Request, rs: Org, bfj: Org, provider_de: Org, api: Api) -> None:
    client = api
    delivery = to_requested_party(order)
    decide = bfj[Role.NOTIFIED_AUTHORITY]
    base = f"/inbox/{delivery.pk}"
    assert client.post(f"{base}/service", {"provider_organisation_id": provider_de.organisation.pk}, decide).status_code == 409
    missing = client.post(f"{base}/completeness", {"complete": False, "missing": ["2AP-A8-3-b-v"]}, decide)
    assert missing.status_code == 201
    assert missing.json()["kind"] == "incomplete"
    assert client.post(f"/requests/{order.pk}/supplement", {"body": "Relevance: ..."}, rs[Role.PROSECUTOR]).status_code == 201
    assert client.post(f"{base}/completeness", {"complete": True}, decide).status_code == 201
    assert client.post(f"{base}/completeness", {"complete": True}, bfj[Role.RESPONDER]).status_code == 403
    served = client.post(f"{base}/service", {"provider_organisation_id": provider_de.organisation.pk}, decide)
    assert served.status_code == 201
    assert served.json()["package"] == "provider"
    assert client.post(f"{base}/pass-back", {}, decide).status_code == 409
    answer(provider_de, Delivery.objects.get(pk=served.json()["delivery_id"]))
    assert client.post(f"{base}/execution", {"decision": "conditions", "reasons": "Use as stated."}, decide).status_code == 201
    assert client.post(f"{base}/pass-back", {}, decide).status_code == 201
    assert client.post(f"{base}/pass-back", {}, rs[Role.PROSECUTOR]).status_code == 404
    provider_item = client.get(f"/inbox/{served.json()['delivery_id']}", provider_de[Role.RESPONDER])
    assert provider_item.status_code == 200
    assert not set(SUPPORTING) & set(provider_item.json()["content"])
    listed = client.get("/requested-party/checklist", decide)
    assert {i["id"] for i in listed.json()} == set(requested_party.ITEMS)


def test_the_requested_partys_page_shows_the_checklist_and_each_step_and_the_requesting_side_sees_them(
    order: Request, rs: Org, bfj: Org, provider_de: Org
) -> None:
    delivery = to_requested_party(order)
    browser = Client()
    verified_session(browser, bfj[Role.NOTIFIED_AUTHORITY])
    page = browser.get(f"/inbox/{delivery.pk}/").content.decode()
    assert "Requested Party (CETS 224 Article 8)" in page
    assert 'value="2AP-A8-3-b-iv"' in page
    assert "CETS 224 Art 8(3)(b)(iv)" in page
    assert "starts when you record that you have all the information" in page

    done = browser.post(f"/inbox/{delivery.pk}/completeness", {"complete": "yes"})
    assert done.status_code == 302
    page = browser.get(f"/inbox/{delivery.pk}/").content.decode()
    assert "All the information received, recorded on" in page
    assert provider_de.organisation.name in page  # the provider chooser
    assert browser.post(f"/inbox/{delivery.pk}/service", {"provider": str(provider_de.organisation.pk)}).status_code == 302
    assert browser.post(f"/inbox/{delivery.pk}/service", {"provider": str(provider_de.organisation.pk)}).status_code == 409
    served = Delivery.objects.get(parent=delivery)
    answer(provider_de, served)
    page = browser.get(f"/inbox/{delivery.pk}/").content.decode()
    assert "Pass the produced data back" in page
    assert browser.post(f"/inbox/{delivery.pk}/pass-back").status_code == 302

    responder = Client()
    verified_session(responder, bfj[Role.RESPONDER])
    assert responder.post(f"/inbox/{delivery.pk}/pass-back").status_code == 403
    provider = Client()
    verified_session(provider, provider_de[Role.RESPONDER])
    provider_page = provider.get(f"/inbox/{served.pk}/").content.decode()
    assert "Requested Party (CETS 224 Article 8)" not in provider_page
    assert order.data["summary_of_facts"] not in provider_page

    issuer = Client()
    verified_session(issuer, rs[Role.PROSECUTOR])
    issuer.post(f"/cases/{order.case_id}/", {"justification": JUSTIFICATION})
    seen = issuer.get(f"/requests/{order.pk}/").content.decode()
    assert "Produced data passed back by the requested Party" in seen
    assert "a" * 64 in seen
    assert "All the Art 8(3) and 8(4) information received" in seen


def test_the_requesting_side_sends_its_supplement_from_the_requests_page(order: Request, rs: Org, bfj: Org) -> None:
    delivery = to_requested_party(order)
    requested_party.completeness_check(
        user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=delivery.pk, complete=False, missing=["2AP-A8-3-b-v"], reasons="", now=NOW
    )
    issuer = Client()
    verified_session(issuer, rs[Role.PROSECUTOR])
    issuer.post(f"/cases/{order.case_id}/", {"justification": JUSTIFICATION})
    page = issuer.get(f"/requests/{order.pk}/").content.decode()
    assert "Information missing (CETS 224 Art 8(3), 8(4))" in page
    assert f'action="/requests/{order.pk}/supplement/"' in page
    sent = issuer.post(f"/requests/{order.pk}/supplement/", {"body": "The data are relevant because ..."})
    assert sent.status_code == 302
    assert delivery.messages.filter(organisation=rs.organisation).get().body == "The data are relevant because ..."
    assert issuer.post(f"/requests/{order.pk}/supplement/", {"body": " "}).status_code == 422


def test_the_issuing_side_cannot_record_service_itself_when_the_requested_party_serves_on_the_platform(
    order: Request, rs: Org
) -> None:
    assert not cases.service_recordable(order)
    with pytest.raises(ApplicationError, match="requested Party serves this order") as refused:
        cases.request_record_service(user=rs[Role.PROSECUTOR], request_id=order.pk, now=SERVED_AT)
    assert refused.value.status == 409
