"""Escalation without retyping: an issued request becomes the next one's draft, its fields
carried (preservation to production, emergency to formal follow-up, Art 7 lapse to Art 8)."""

from __future__ import annotations

import pytest
from django.test import Client

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import escalation
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, make_case, make_request, move, verified_session

pytestmark = pytest.mark.usefixtures("exercise_instance")
IN_FORCE = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "DE"}))


def issued(org: Org, form_id: str, what_if: WhatIf | None = None) -> Request:
    prosecutor = org[Role.PROSECUTOR]
    return move(prosecutor, make_request(prosecutor, make_case(prosecutor), form_id, "DE", what_if=what_if), "issued")


def test_a_preservation_order_becomes_a_production_order_draft_with_its_fields(fr: Org) -> None:
    source = issued(fr, "eu-epoc-pr")
    made, created = escalation.escalate(user=fr[Role.PROSECUTOR], request_id=source.pk, to_form="eu-epoc", now=NOW)
    assert created
    assert (made.form_id, made.state, made.case_id) == ("eu-epoc", State.DRAFT, source.case_id)
    for field in ("issuing_authority", "addressee", "data_sought", "offences", "issuing_authority_type", "recipient_state"):
        assert made.data[field] == source.data[field], field
    assert made.data["date_of_issue"] == NOW.date().isoformat()
    again, created = escalation.escalate(user=fr[Role.PROSECUTOR], request_id=source.pk, to_form="eu-epoc", now=NOW)
    assert (again.pk, created) == (made.pk, False)


def test_a_convention_preservation_becomes_an_article_8_order_that_records_the_preservation(fr: Org) -> None:
    source = issued(fr, "bc-29-request")
    made, _ = escalation.escalate(user=fr[Role.PROSECUTOR], request_id=source.pk, to_form="2ap-8-order", now=NOW)
    assert made.form_id == "2ap-8-order"
    for field in ("issuing_authority", "provider", "offences", "summary_of_facts"):
        assert made.data[field] == source.data[field], field
    # The bc-29 example seeks content, which an Article 8 order cannot carry: the category is left to choose.
    assert "category" not in made.data["data_sought"]
    assert made.data["data_sought"]["description"] == source.data["data_sought"]["description"]
    assert made.data["preservation"] == {"sought": True, "date": NOW.date().isoformat(), "reference": f"request #{source.pk}"}


def test_an_emergency_request_is_followed_by_a_formal_request_offered_as_optional_when_no_declaration_is_recorded(
    fr: Org,
) -> None:
    source = issued(fr, "2ap-9-request", IN_FORCE)
    [offer] = escalation.offers(source, NOW)
    assert (offer.target, offer.available, offer.duty) == ("2ap-8-order", True, None)
    made, _ = escalation.escalate(user=fr[Role.PROSECUTOR], request_id=source.pk, to_form="2ap-8-order", now=NOW)
    assert made.data["provider"] == source.data["provider"]
    assert f"request #{source.pk}" in made.data["other_means"]["details"]


def test_the_advice_decides_whether_a_formal_follow_up_is_required() -> None:
    request = Request(route_advice={"route": {"requirements": [{"code": "formal_follow_up", "applies": "conditional"}]}})
    assert escalation.formal_follow_up(request) == "conditional"
    assert escalation.formal_follow_up(Request(route_advice={"route": {"requirements": []}})) is None


def test_refusals_other_organisation_404_unknown_escalation_and_draft_source_409(fr: Org, de: Org) -> None:
    source = issued(fr, "eu-epoc-pr")
    with pytest.raises(ApplicationError) as error:
        escalation.escalate(user=de[Role.PROSECUTOR], request_id=source.pk, to_form="eu-epoc", now=NOW)
    assert error.value.status == 404
    with pytest.raises(ApplicationError, match="not escalated") as error:
        escalation.escalate(user=fr[Role.PROSECUTOR], request_id=source.pk, to_form="2ap-8-order", now=NOW)
    assert error.value.status == 409
    draft = make_request(fr[Role.PROSECUTOR], source.case, "eu-epoc-pr", "DE")
    with pytest.raises(ApplicationError, match="issued") as error:
        escalation.escalate(user=fr[Role.PROSECUTOR], request_id=draft.pk, to_form="eu-epoc", now=NOW)
    assert error.value.status == 409
    assert Request.objects.filter(form_id="eu-epoc").count() == 0


def test_the_api_escalates(api: Api, fr: Org) -> None:
    source = issued(fr, "eu-epoc-pr")
    answer = api.post(f"/requests/{source.pk}/escalations", {"to_form": "eu-epoc"}, fr[Role.PROSECUTOR])
    assert answer.status_code == 201, answer.json()
    assert answer.json()["data"]["addressee"] == source.data["addressee"]
    assert api.post(f"/requests/{source.pk}/escalations", {"to_form": "eu-epoc"}, fr[Role.PROSECUTOR]).status_code == 200
    assert api.post(f"/requests/{source.pk}/escalations", {"to_form": "bc-29-request"}, fr[Role.PROSECUTOR]).status_code == 409
    assert api.post(f"/requests/{source.pk}/escalations", {"to_form": "eu-epoc"}, fr[Role.AUDITOR]).status_code == 404


def test_the_request_page_offers_the_escalation_and_drafts_it(client: Client, fr: Org) -> None:
    source = issued(fr, "eu-epoc-pr")
    verified_session(client, fr[Role.PROSECUTOR])
    page = client.get(f"/requests/{source.pk}/").content.decode()
    assert "Preservation to production" in page
    answer = client.post(f"/requests/{source.pk}/escalate/", {"to_form": "eu-epoc"})
    assert answer.status_code == 302
    made = Request.objects.get(form_id="eu-epoc")
    assert answer["Location"] == f"/requests/{made.pk}/"
    assert client.post(f"/requests/{source.pk}/escalate/", {"to_form": "2ap-8-order"}).status_code == 409
