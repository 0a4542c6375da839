"""The case and request services: validation, access, route advice and their audit records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.access import ISSUING
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Case, Request, State
from cyberspex.web.errors import ApplicationError, NotFound
from tests.web.conftest import Org
from tests.web.helpers import CASE_FIELDS, JUSTIFICATION, NOW, REVIEW, form_data, make_case, make_request, move

NOT_ISSUING = [role for role in Role if role not in ISSUING]


def _create(org: Org, role: Role = Role.PROSECUTOR, **changes: Any) -> Case:
    fields = {"reference": "PAR-2026-00412", **CASE_FIELDS, "retention_review_date": REVIEW, **changes}
    return services.case_create(user=org[role], now=NOW, **fields)


def _audit() -> list[AuditEntry]:
    return list(AuditEntry.objects.order_by("seq"))


# -- case_create ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(ISSUING))
def test_it_opens_a_case_in_the_members_organisation_and_records_its_creation(fr: Org, role: Role) -> None:
    case = _create(fr, role)
    assert (case.organisation, case.created_by, case.created_at) == (fr.organisation, fr[role], NOW)
    [entry] = _audit()
    assert (entry.event, entry.object_type, entry.object_id, entry.actor, entry.organisation) == (
        Event.CREATE,
        "case",
        str(case.pk),
        fr[role].username,
        fr.organisation.name,
    )


@pytest.mark.parametrize("role", NOT_ISSUING)
def test_it_refuses_to_open_a_case_for_a_role_that_cannot_edit_cases(fr: Org, role: Role) -> None:
    with pytest.raises(ApplicationError) as refused:
        _create(fr, role)
    assert refused.value.status == 403
    assert not Case.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_refuses_an_unknown_classification(fr: Org) -> None:
    with pytest.raises(ApplicationError) as refused:
        _create(fr, classification="top-secret")
    assert (refused.value.status, refused.value.field) == (422, "classification")


@pytest.mark.parametrize("review", [NOW.date(), NOW.date() - timedelta(days=1)], ids=["today", "yesterday"])
def test_it_refuses_a_retention_review_date_that_is_not_in_the_future(fr: Org, review: date) -> None:
    with pytest.raises(ApplicationError) as refused:
        _create(fr, retention_review_date=review)
    assert (refused.value.status, refused.value.field) == (422, "retention_review_date")
    assert not Case.objects.exists()


def test_it_answers_409_for_a_reference_already_used_in_the_organisation_and_keeps_the_transaction_usable(fr: Org) -> None:
    first = _create(fr)
    # Inside an outer transaction, as the API runs it: the 409 must not poison that transaction.
    with transaction.atomic(), pytest.raises(ApplicationError) as refused:
        _create(fr, Role.INVESTIGATOR, title="Another title")
    assert (refused.value.status, refused.value.field) == (409, "reference")
    assert list(Case.objects.values_list("pk", flat=True)) == [first.pk]
    assert [e.event for e in _audit()] == [Event.CREATE]  # no record of the refused case
    assert verify().ok


def test_it_lets_another_organisation_use_the_same_reference(fr: Org, de: Org) -> None:
    _create(fr)
    assert _create(de).organisation == de.organisation


def test_it_opens_a_case_without_offences_identifiers_or_persons_as_the_api_allows(fr: Org) -> None:
    case = _create(fr, offences=[], identifiers=[], persons=[])
    assert (case.offences, case.identifiers, case.persons) == ([], [], [])


@pytest.mark.parametrize(("field", "value"), [("reference", "X" * 65), ("title", "")], ids=["reference-too-long", "blank-title"])
def test_it_reports_an_invalid_case_field_as_422_naming_it(fr: Org, field: str, value: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        _create(fr, **{field: value})
    assert (refused.value.status, refused.value.field) == (422, field)


# -- case_view --------------------------------------------------------------------------------


@pytest.mark.parametrize("justification", ["", "   \n"], ids=["empty", "blank"])
def test_it_requires_a_justification_to_consult_a_case(fr: Org, justification: str) -> None:
    case = _create(fr)
    with pytest.raises(ApplicationError) as refused:
        services.case_view(user=fr[Role.INVESTIGATOR], case_id=case.pk, justification=justification, now=NOW)
    assert (refused.value.status, refused.value.field) == (422, "justification")
    assert [e.event for e in _audit()] == [Event.CREATE]


def test_it_records_each_consultation_with_its_justification(fr: Org) -> None:
    case = _create(fr)
    later = NOW + timedelta(hours=2)
    seen = services.case_view(user=fr[Role.INVESTIGATOR], case_id=case.pk, justification=JUSTIFICATION, now=later)
    assert seen.persons == CASE_FIELDS["persons"]
    view = _audit()[-1]
    assert (view.event, view.justification_text, view.actor, view.at, view.object_id) == (
        Event.VIEW,
        JUSTIFICATION,
        fr[Role.INVESTIGATOR].username,
        later,
        str(case.pk),
    )
    assert verify().ok


def test_it_neither_shows_nor_records_a_case_of_another_organisation(fr: Org, de: Org) -> None:
    case = _create(fr)
    with pytest.raises(NotFound):
        services.case_view(user=de[Role.PROSECUTOR], case_id=case.pk, justification=JUSTIFICATION, now=NOW)
    assert [e.event for e in _audit()] == [Event.CREATE]


# -- request_draft ----------------------------------------------------------------------------


def test_it_stores_the_route_advice_of_the_day_with_the_draft(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = make_request(fr[Role.PROSECUTOR], case, "eu-epoc", "DE")
    advice = request.route_advice
    assert (request.form_id, request.route_id, request.recipient_state) == ("eu-epoc", "eu-epoc", "DE")
    assert request.state == State.DRAFT
    assert (advice["as_of"], advice["route"]["id"], advice["route"]["status"]) == ("2026-11-28", "eu-epoc", "available")
    assert {"days": 10, "citation": "Regulation (EU) 2023/1543 Art 10(3)"}.items() <= advice["route"]["deadlines"][1].items()
    assert (advice["what_if"]["active"], advice["recommended"]) == (False, "eu-epoc")


def test_it_takes_the_issuing_state_from_the_case_not_from_the_form(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    data = {**form_data("eu-epoc", "DE"), "issuing_state": "BE", "form": "eu-epoc-pr"}
    request, _ = services.request_draft(user=fr[Role.PROSECUTOR], case_id=case.pk, form_id="eu-epoc", data=data, now=NOW)
    assert (request.data["issuing_state"], request.data["form"]) == ("FR", "eu-epoc")


def test_it_records_the_draft_with_its_form_route_and_route_status(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = make_request(fr[Role.INVESTIGATOR], case)
    entry = _audit()[-1]
    assert (entry.event, entry.object_type, entry.object_id) == (Event.CREATE, "request", str(request.pk))
    assert entry.details == {"form": "eu-epoc", "route": "eu-epoc", "route_status": "available"}


def test_a_drafts_audit_record_costs_only_the_chains_queries_not_a_second_read_of_the_membership(fr: Org) -> None:
    user = fr[Role.PROSECUTOR]
    case = make_case(user)
    make_request(user, case)  # the route advice of the day is cached from here on

    def queries(*, audited: bool) -> int:
        with CaptureQueriesContext(connection) as captured:
            if audited:
                make_request(user, case)
            else:
                with mock.patch.object(services, "_audit"):  # no record, no one to name in it
                    make_request(user, case)
        return len(captured.captured_queries)

    assert queries(audited=True) - queries(audited=False) == 2  # the chain's head (and lock), the record


def test_it_makes_an_investigators_request_wait_for_approval(fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    assert make_request(fr[Role.INVESTIGATOR], case).requires_approval is True


@pytest.mark.parametrize("role", [Role.JUDGE, Role.PROSECUTOR])
def test_it_lets_a_judge_or_prosecutor_issue_an_epoc_for_subscriber_data_without_approval(fr: Org, role: Role) -> None:
    case = make_case(fr[role])
    assert make_request(fr[role], case, "eu-epoc", "DE").requires_approval is False


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.OTHER_AUTHORITY])
def test_it_makes_an_epoc_of_another_competent_authority_wait_for_validation(fr: Org, role: Role) -> None:
    case = make_case(fr[role])
    assert make_request(fr[role], case, "eu-epoc", "DE").requires_approval is True


@pytest.mark.parametrize("role", [Role.PROSECUTOR, Role.SUPERVISOR, Role.OTHER_AUTHORITY])
def test_it_lets_a_competent_authority_issue_an_unsupervised_protocol_order_without_approval(fr: Org, role: Role) -> None:
    case = make_case(fr[role])
    assert make_request(fr[role], case, "2ap-7-order", "US").requires_approval is False


def test_it_requires_approval_even_for_a_prosecutor_when_the_provider_state_may_require_supervision(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = make_request(fr[Role.PROSECUTOR], case, "2ap-7-order", "HU")  # Hungary's Art 7(2)(b) position is unknown
    codes = {r["code"]: r["applies"] for r in request.route_advice["route"]["requirements"]}
    assert codes["supervision"] == "conditional"
    assert request.requires_approval is True


def test_it_applies_the_what_if_to_the_route_advice(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = make_request(fr[Role.PROSECUTOR], case, "2ap-7-order", "US", what_if=WhatIf(assume_in_force=True))
    assert request.route_advice["what_if"]["assume_in_force"] is True


@pytest.mark.parametrize(
    ("form_id", "change", "field"),
    [
        ("no-such-form", {}, "form_id"),
        ("eu-epoc", {"recipient_state": "XX"}, "recipient_state"),
        ("eu-epoc", {"recipient_state": ""}, "recipient_state"),
    ],
    ids=["unknown-form", "unknown-state", "no-state"],
)
def test_it_refuses_a_draft_it_cannot_advise_on_with_422(fr: Org, form_id: str, change: dict[str, Any], field: str) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    data = {**form_data("eu-epoc", "DE"), **change}
    with pytest.raises(ApplicationError) as refused:
        services.request_draft(user=fr[Role.PROSECUTOR], case_id=case.pk, form_id=form_id, data=data, now=NOW)
    assert (refused.value.status, refused.value.field) == (422, field)
    assert not Request.objects.exists()


def test_it_refuses_an_unknown_data_category_with_422(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    data = form_data("eu-epoc", "DE")
    data["data_sought"]["category"] = "everything"
    with pytest.raises(ApplicationError) as refused:
        services.request_draft(user=fr[Role.PROSECUTOR], case_id=case.pk, form_id="eu-epoc", data=data, now=NOW)
    assert refused.value.status == 422


def test_it_does_not_draft_in_a_case_of_another_organisation(fr: Org, de: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    with pytest.raises(NotFound):
        make_request(de[Role.PROSECUTOR], case)
    assert not Request.objects.exists()


# -- request_package --------------------------------------------------------------------------


@pytest.mark.parametrize("states", [(), ("awaiting_approval",)], ids=["draft", "awaiting-approval"])
def test_it_refuses_a_recipient_package_before_the_request_is_issued(fr: Org, states: tuple[str, ...]) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = move(fr[Role.PROSECUTOR], make_request(fr[Role.PROSECUTOR], case), *states)
    before = AuditEntry.objects.count()
    for package in ("provider", "authority"):
        with pytest.raises(ApplicationError) as refused:
            services.request_package(user=fr[Role.PROSECUTOR], request_id=request.pk, package=package, now=NOW)
        assert refused.value.status == 409
    assert AuditEntry.objects.count() == before  # nothing left the building, nothing to record


def test_it_gives_the_full_package_of_a_draft_to_its_authority_and_records_the_export(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = make_request(fr[Role.PROSECUTOR], case)
    full = services.request_package(user=fr[Role.INVESTIGATOR], request_id=request.pk, package="full", now=NOW)
    assert full["offences"][0]["provisions"]
    entry = _audit()[-1]
    assert (entry.event, entry.object_id, entry.details) == (
        Event.EXPORT,
        str(request.pk),
        {"package": "full", "recipient_state": "DE"},
    )


def test_it_exports_an_issued_requests_provider_package_and_records_the_recipient(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = move(fr[Role.PROSECUTOR], make_request(fr[Role.PROSECUTOR], case), "issued")
    package = services.request_package(user=fr[Role.INVESTIGATOR], request_id=request.pk, package="provider", now=NOW)
    assert package["addressee"]["country"] == "DE"
    entry = _audit()[-1]
    assert (entry.event, entry.actor, entry.details) == (
        Event.EXPORT,
        fr[Role.INVESTIGATOR].username,
        {"package": "provider", "recipient_state": "DE"},
    )
    assert verify().ok


def test_it_refuses_a_recipient_package_of_a_request_withdrawn_before_issue(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = move(fr[Role.PROSECUTOR], make_request(fr[Role.PROSECUTOR], case), "withdrawn")
    with pytest.raises(ApplicationError) as refused:
        services.request_package(user=fr[Role.PROSECUTOR], request_id=request.pk, package="provider", now=NOW)
    assert refused.value.status == 409


def test_it_answers_an_unknown_package_name_with_an_application_error(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = move(fr[Role.PROSECUTOR], make_request(fr[Role.PROSECUTOR], case), "issued")
    with pytest.raises(ApplicationError) as refused:
        services.request_package(user=fr[Role.PROSECUTOR], request_id=request.pk, package="everything", now=NOW)
    assert refused.value.status in (404, 422)
