"""Approval that follows Article 4 of Regulation (EU) 2023/1543: the lifecycle refuses to issue
without the validation the law requires, records who validated and when, returns a draft with
comments, and lists what each person may validate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User

from cyberspex.forms.render_html import render_html
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.audit.personal import readable_details
from cyberspex.web.cases import approval, services
from cyberspex.web.cases.models import Request, State, Transition
from cyberspex.web.errors import ApplicationError
from tests.web.cases.test_deadlines_you_can_trust import ENFORCING
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, form_data, make_case, make_request, move

LATER = NOW + timedelta(hours=2)
ART_4_2 = "Regulation (EU) 2023/1543 Art 4(2)"


def traffic_epoc(user: User, **changes: Any) -> Request:
    """A valid EPOC for traffic data to a provider in Germany, drafted by ``user``."""
    data = form_data("eu-epoc", "DE")
    data["data_sought"]["category"] = "traffic"
    data |= {
        "issuing_authority_type": "other_authority",
        "art5_4_ground": "max_penalty_3_years",
        "enforcing_notified": True,
        "enforcing_authority": ENFORCING,
        **changes,
    }
    made, _ = services.request_draft(user=user, case_id=make_case(user).pk, form_id="eu-epoc", data=data, now=NOW)
    return made


# -- issuing alone ------------------------------------------------------------------------------


def test_a_prosecutors_traffic_epoc_needs_validation_and_cannot_be_issued_alone(fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = traffic_epoc(prosecutor)
    assert request.requires_approval is True
    with pytest.raises(ApplicationError) as refused:
        move(prosecutor, request, "issued")
    assert (refused.value.status, refused.value.field) == (409, "state")
    assert "A public prosecutor may not issue this order alone" in refused.value.message
    assert ART_4_2 in refused.value.message
    assert refused.value.extra["authority_rule"]["citation"] == ART_4_2
    request.refresh_from_db()
    assert (request.state, request.issued_at, Transition.objects.count()) == (State.DRAFT, None, 0)


def test_a_judge_issues_a_traffic_epoc_alone(fr: Org) -> None:
    judge = fr[Role.JUDGE]
    request = traffic_epoc(judge, issuing_authority_type="judge_court")
    assert request.requires_approval is False
    issued = move(judge, request, "issued")
    assert (issued.state, issued.validated_by) == (State.ISSUED, None)
    assert approval.request_signatories(issued) == [
        {"capacity": "issuing", "name": judge.username, "role": "Judge, court or investigating judge",
         "authority": fr.organisation.name, "date": NOW.date().isoformat()},
    ]  # fmt: skip


def test_a_judge_cannot_issue_a_prosecutors_draft_that_was_never_validated(fr: Org) -> None:
    request = traffic_epoc(fr[Role.PROSECUTOR])
    with pytest.raises(ApplicationError) as refused:
        move(fr[Role.JUDGE], request, "issued")  # the drafter may not issue it alone: it is validated first
    assert refused.value.status == 409
    assert ART_4_2 in refused.value.message


# -- validation ---------------------------------------------------------------------------------


def test_a_judge_validates_a_prosecutors_traffic_epoc_which_the_prosecutor_then_issues(fr: Org) -> None:
    prosecutor, judge = fr[Role.PROSECUTOR], fr[Role.JUDGE]
    request = move(prosecutor, traffic_epoc(prosecutor), "awaiting_approval")
    validated = services.request_transition(user=judge, request_id=request.pk, target="validated", now=NOW)
    assert (validated.state, validated.validated_by, validated.validated_at) == (State.VALIDATED, judge, NOW)
    assert (validated.validated_capacity, validated.validated_authority) == ("judge_court", fr.organisation.name)
    assert validated.data["validating_authority_type"] == "judge_court"
    assert validated.data["validating_authority"]["name"] == fr.organisation.name
    assert validated.data["validating_authority"]["contact"]["person"] == judge.username
    assert validated.data["issuing_authority_type"] == "other_authority"  # Art 4(2)(b)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.event, entry.actor, entry.details["validated_by"], entry.details["citation"]) == (
        Event.APPROVE,
        judge.username,
        judge.username,
        ART_4_2,
    )

    issued = services.request_transition(user=prosecutor, request_id=request.pk, target="issued", now=LATER)
    assert (issued.state, issued.issued_at) == (State.ISSUED, LATER)
    assert issued.deadlines.exists()
    signatories = approval.request_signatories(issued)
    assert [(s["capacity"], s["name"], s["role"], s["date"]) for s in signatories] == [
        ("issuing", prosecutor.username, "Public prosecutor", LATER.date().isoformat()),
        ("validating", judge.username, "Judge, court or investigating judge", NOW.date().isoformat()),
    ]
    assert verify().ok


def test_a_prosecutor_may_not_validate_a_traffic_epoc(fr: Org) -> None:
    request = move(fr[Role.OTHER_AUTHORITY], traffic_epoc(fr[Role.OTHER_AUTHORITY]), "awaiting_approval")
    with pytest.raises(ApplicationError) as refused:
        services.request_transition(user=fr[Role.PROSECUTOR], request_id=request.pk, target="validated", now=NOW)
    assert refused.value.status == 409
    assert refused.value.message.startswith("A public prosecutor may not validate this order")
    request.refresh_from_db()
    assert (request.state, request.validated_by) == (State.AWAITING_APPROVAL, None)


def test_a_prosecutor_validates_an_epoc_for_subscriber_data_of_another_competent_authority(fr: Org) -> None:
    other, prosecutor = fr[Role.OTHER_AUTHORITY], fr[Role.PROSECUTOR]
    request = move(other, make_request(other, make_case(other)), "awaiting_approval")
    validated = services.request_transition(user=prosecutor, request_id=request.pk, target="validated", now=NOW)
    assert validated.data["validating_authority_type"] == "public_prosecutor"  # Art 4(1)(b)
    issued = services.request_transition(user=other, request_id=request.pk, target="issued", now=NOW)
    assert issued.state == State.ISSUED


def test_the_drafter_cannot_validate_their_own_request(fr: Org) -> None:
    judge = fr[Role.JUDGE]
    request = move(judge, traffic_epoc(judge, issuing_authority_type="judge_court"), "awaiting_approval")
    with pytest.raises(ApplicationError) as refused:
        services.request_transition(user=judge, request_id=request.pk, target="validated", now=NOW)
    assert refused.value.status == 403
    assert "four eyes" in refused.value.message


# -- return with comments -----------------------------------------------------------------------


def test_a_request_is_returned_to_its_drafter_only_with_comments_which_are_audited(fr: Org) -> None:
    prosecutor, judge = fr[Role.PROSECUTOR], fr[Role.JUDGE]
    request = move(prosecutor, traffic_epoc(prosecutor), "awaiting_approval")
    with pytest.raises(ApplicationError) as refused:
        services.request_transition(user=judge, request_id=request.pk, target="draft", note="  ", now=NOW)
    assert (refused.value.status, refused.value.field) == (422, "note")
    returned = services.request_transition(
        user=judge, request_id=request.pk, target="draft", note="the time range is too wide", now=NOW
    )
    assert returned.state == State.DRAFT
    step = Transition.objects.get(request=request, to_state=State.DRAFT)
    assert (step.by, step.note) == (judge, "the time range is too wide")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.event == Event.TRANSITION
    assert entry.details["comments"].startswith("sealed:")  # personal text, erasable with the case (ADR 0013)
    assert readable_details(entry)["comments"] == "the time range is too wide"
    assert verify().ok


# -- the queue ----------------------------------------------------------------------------------


def test_the_queue_lists_only_what_this_person_may_validate(fr: Org, de: Org) -> None:
    prosecutor, judge, other = fr[Role.PROSECUTOR], fr[Role.JUDGE], fr[Role.OTHER_AUTHORITY]
    traffic = move(prosecutor, traffic_epoc(prosecutor), "awaiting_approval")  # a judge validates it
    subscriber = move(other, make_request(other, make_case(other, "PAR-2")), "awaiting_approval")  # judge or prosecutor
    move(de[Role.PROSECUTOR], traffic_epoc(de[Role.PROSECUTOR]), "awaiting_approval")  # another organisation
    assert approval.awaiting_my_approval(judge) == [traffic, subscriber]
    assert approval.awaiting_my_approval(prosecutor) == [subscriber]  # not its own, not traffic data
    assert approval.awaiting_my_approval(fr[Role.SUPERVISOR]) == []  # not an EU validator
    assert approval.awaiting_my_approval(fr[Role.INVESTIGATOR]) == []


# -- the API ------------------------------------------------------------------------------------


def test_the_api_refuses_a_prosecutors_traffic_epoc_with_409_the_reason_and_the_field(fr: Org, api: Api) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = traffic_epoc(prosecutor)
    response = api.post(f"/requests/{request.pk}/transitions", {"state": "issued"}, prosecutor)
    assert response.status_code == 409
    body = response.json()
    assert body["field"] == "state"
    assert ART_4_2 in body["message"]
    assert body["extra"]["authority_rule"]["may_issue_alone"] == ["judge_court"]


def test_the_api_refuses_a_validation_by_the_wrong_authority_with_409(fr: Org, api: Api) -> None:
    other = fr[Role.OTHER_AUTHORITY]
    request = move(other, traffic_epoc(other), "awaiting_approval")
    response = api.post(f"/requests/{request.pk}/transitions", {"state": "validated"}, fr[Role.PROSECUTOR])
    assert (response.status_code, response.json()["field"]) == (409, "state")
    assert "may not validate" in response.json()["message"]


def test_the_api_refuses_a_return_without_comments_with_422_on_the_note(fr: Org, api: Api) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = move(prosecutor, traffic_epoc(prosecutor), "awaiting_approval")
    response = api.post(f"/requests/{request.pk}/transitions", {"state": "draft"}, fr[Role.JUDGE])
    assert (response.status_code, response.json()["field"]) == (422, "note")
    request.refresh_from_db()
    assert request.state == State.AWAITING_APPROVAL


def test_the_api_validates_and_issues_at_once_and_shows_the_signatories(fr: Org, api: Api) -> None:
    prosecutor, judge = fr[Role.PROSECUTOR], fr[Role.JUDGE]
    request = move(prosecutor, traffic_epoc(prosecutor), "awaiting_approval")
    response = api.post(f"/requests/{request.pk}/transitions", {"state": "issued"}, judge)
    assert (response.status_code, response.json()["state"]) == (200, "issued")
    shown = api.get(f"/requests/{request.pk}", prosecutor).json()["signatories"]
    assert [(s["capacity"], s["name"]) for s in shown] == [("issuing", judge.username), ("validating", judge.username)]


# -- Art 4(5): in an emergency, validation after issue ------------------------------------------


def emergency_epoc(user: User, category: str = "subscriber") -> Request:
    """An EPOC in an emergency (risk to life), by ``user`` as another competent authority, saying
    that validation is sought within 48 hours."""
    data = form_data("eu-epoc", "DE")
    data["data_sought"]["category"] = category
    data |= {
        "issuing_authority_type": "other_authority",
        "emergency": "life",
        "ex_post_validation": True,
        "emergency_reasons": "A child is missing and the account was used an hour ago to arrange a meeting with her tonight.",
        "deadline": {"hours": 8, "manner": "Through the decentralised IT system"},
    }
    made, _ = services.request_draft(user=user, case_id=make_case(user).pk, form_id="eu-epoc", data=data, now=NOW)
    return made


def test_in_an_emergency_another_authority_issues_an_epoc_for_subscriber_data_with_48_hours_to_validate_it(
    fr: Org, api: Api
) -> None:
    other, prosecutor = fr[Role.OTHER_AUTHORITY], fr[Role.PROSECUTOR]
    request = emergency_epoc(other)
    assert request.requires_approval is False  # Art 4(5): validated after, not before
    issued = move(other, request, "issued")
    pending = issued.deadlines.get(rule=approval.EX_POST_RULE)
    assert (pending.due_at, pending.citation) == (NOW + timedelta(hours=48), "Regulation (EU) 2023/1543 Art 4(5)")

    refused = api.post(f"/requests/{request.pk}/validation", {}, fr[Role.SUPERVISOR])
    assert (refused.status_code, refused.json()["field"]) == (409, "state")  # not a validator of Art 4(1)
    response = api.post(f"/requests/{request.pk}/validation", {}, prosecutor)
    assert response.status_code == 200
    issued.refresh_from_db()
    pending.refresh_from_db()
    assert (issued.state, issued.validated_by, issued.validated_capacity) == (State.ISSUED, prosecutor, "public_prosecutor")
    assert (pending.done_by, pending.done_reason) == (prosecutor, "validated ex post")
    again = api.post(f"/requests/{request.pk}/validation", {}, prosecutor)
    assert again.status_code == 409
    assert verify().ok


def test_in_an_emergency_a_traffic_epoc_still_needs_validation_before_it_is_issued(fr: Org) -> None:
    other = fr[Role.OTHER_AUTHORITY]
    request = emergency_epoc(other, "traffic")
    assert request.requires_approval is True  # Art 4(5) covers subscriber and identification data, not traffic
    with pytest.raises(ApplicationError) as refused:
        move(other, request, "issued")
    assert refused.value.status == 409


def test_an_order_validated_before_issue_is_not_validated_again_after(fr: Org, api: Api) -> None:
    prosecutor, judge = fr[Role.PROSECUTOR], fr[Role.JUDGE]
    request = move(prosecutor, traffic_epoc(prosecutor), "awaiting_approval")
    move(judge, request, "issued")
    response = api.post(f"/requests/{request.pk}/validation", {}, judge)
    assert response.status_code == 409
    assert "Art 4(5)" in response.json()["message"]


def test_the_document_of_a_validated_order_names_the_issuing_and_the_validating_person(fr: Org) -> None:
    prosecutor, judge = fr[Role.PROSECUTOR], fr[Role.JUDGE]
    request = move(prosecutor, traffic_epoc(prosecutor), "awaiting_approval")
    move(judge, request, "validated")
    move(prosecutor, request, "issued")
    html = render_html(
        services.request_document(user=prosecutor, request_id=request.pk, package="provider", language="en", now=NOW)
    )
    assert "Judge, court or investigating judge" in html
    assert "Public prosecutor" in html
    assert judge.username in html


def test_a_validating_court_named_in_the_draft_stays_as_written_with_the_judge_as_its_contact(fr: Org) -> None:
    prosecutor, judge = fr[Role.PROSECUTOR], fr[Role.JUDGE]
    court = {"name": "Juge des libertés et de la détention, Tribunal judiciaire de Paris", "country": "FR"}
    request = move(prosecutor, traffic_epoc(prosecutor, validating_authority=court), "awaiting_approval")
    validated = services.request_transition(user=judge, request_id=request.pk, target="validated", now=NOW)
    assert validated.data["validating_authority"]["name"] == court["name"]
    assert validated.data["validating_authority"]["contact"] == {"person": judge.username}
    assert validated.validated_by == judge  # the platform still records who validated
