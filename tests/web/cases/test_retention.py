"""Retention (2AP Art 14(5)): cases past their review date lose their personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.models import Case, Request
from cyberspex.web.cases.retention import ERASED, retention_run
from tests.web.conftest import Api, Org
from tests.web.helpers import JUSTIFICATION, REVIEW, make_case, make_request, move

DUE = date(2026, 12, 1)
RUN = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # the night the review date is reached
KEPT_IN_REQUEST_DATA = {"form", "issuing_state", "recipient_state"}


@dataclass
class Cases:
    due: Case
    due_request: Request
    foreign_due: Case
    kept: Case
    kept_request: Request


@pytest.fixture
def system(db: None) -> User:  # noqa: ARG001  # needs the database
    """The actor of the scheduled command: an inactive user without membership."""
    return User.objects.create(username="cyberspex-system", is_active=False)


@pytest.fixture
def cases(fr: Org, de: Org) -> Cases:
    prosecutor = fr[Role.PROSECUTOR]
    due = make_case(prosecutor, "PAR-DUE", review=DUE)
    due_request = move(prosecutor, make_request(prosecutor, due), "issued")
    make_request(prosecutor, due, "2ap-7-order", "US")
    kept = make_case(prosecutor, "PAR-KEPT", review=date(2026, 12, 2))
    kept_request = make_request(prosecutor, kept)
    foreign_due = make_case(de[Role.PROSECUTOR], "KOELN-DUE", review=DUE)
    return Cases(due, due_request, foreign_due, kept, kept_request)


def _snapshot(case: Case) -> tuple[object, ...]:
    case.refresh_from_db()
    requests = [(r.pk, r.data, r.state) for r in case.requests.order_by("pk")]
    return (case.summary_of_facts, case.identifiers, case.persons, case.offences, case.erased_at, requests)


def test_it_erases_the_personal_data_of_every_case_past_its_review_date(cases: Cases, system: User) -> None:
    erased = retention_run(actor=system, now=RUN).erased
    assert sorted(erased) == sorted([cases.due.pk, cases.foreign_due.pk])
    for case in (cases.due, cases.foreign_due):
        case.refresh_from_db()
        assert (case.summary_of_facts, case.identifiers, case.persons, case.erased_at) == (ERASED, [], [], RUN)
        assert case.offences == [{"description": ERASED}]
    for request in Request.objects.filter(case=cases.due):
        assert set(request.data) <= KEPT_IN_REQUEST_DATA
        assert (request.data["issuing_state"], request.data["recipient_state"]) == ("FR", request.recipient_state)
    assert "j.doe" not in str(list(Request.objects.filter(case=cases.due).values_list("data", flat=True)))


def test_it_writes_one_erase_record_per_case(cases: Cases, system: User) -> None:
    before = AuditEntry.objects.count()
    retention_run(actor=system, now=RUN)
    records = list(AuditEntry.objects.order_by("seq")[before:])
    assert sorted((r.event, r.object_type, r.object_id) for r in records) == sorted(
        [(Event.ERASE, "case", str(cases.due.pk)), (Event.ERASE, "case", str(cases.foreign_due.pk))]
    )
    assert all(r.actor == "cyberspex-system" and r.at == RUN and "Art 14(5)" in r.justification_text for r in records)
    assert verify().ok


def test_it_leaves_cases_not_yet_due_untouched(cases: Cases, system: User) -> None:
    before = _snapshot(cases.kept)
    retention_run(actor=system, now=RUN)
    assert _snapshot(cases.kept) == before
    assert cases.kept.erased_at is None


def test_it_erases_each_case_only_once(cases: Cases, system: User) -> None:
    retention_run(actor=system, now=RUN)
    before = AuditEntry.objects.count()
    assert retention_run(actor=system, now=RUN.replace(day=2)).erased == [cases.kept.pk]  # only the case due on the 2nd
    assert AuditEntry.objects.count() == before + 1


def test_it_answers_404_for_an_erased_case_and_its_requests(cases: Cases, system: User, fr: Org, api: Api) -> None:
    retention_run(actor=system, now=RUN)
    prosecutor = fr[Role.PROSECUTOR]
    case, request = cases.due.pk, cases.due_request.pk
    statuses = {
        "get case": api.get(f"/cases/{case}", prosecutor, justification=JUSTIFICATION).status_code,
        "draft": api.post(f"/cases/{case}/requests", {"form_id": "eu-epoc", "data": {}}, prosecutor).status_code,
        "get request": api.get(f"/requests/{request}", prosecutor).status_code,
        "transition": api.post(f"/requests/{request}/transitions", {"state": "answered"}, prosecutor).status_code,
        "package": api.get(f"/requests/{request}/packages/full", prosecutor).status_code,
    }
    assert statuses == dict.fromkeys(statuses, 404)
    listed = [item["id"] for item in api.get("/cases", prosecutor).json()["items"]]
    assert listed == [cases.kept.pk]


def test_it_no_longer_lists_the_deadlines_of_an_erased_case(cases: Cases, system: User, fr: Org, api: Api) -> None:
    listed = api.get("/deadlines", fr[Role.PROSECUTOR]).json()["items"]
    assert [d["request_id"] for d in listed] == [cases.due_request.pk]
    retention_run(actor=system, now=RUN)
    assert api.get("/deadlines", fr[Role.PROSECUTOR]).json()["items"] == []


def test_the_dashboard_lists_the_cases_due_for_review_until_they_are_erased(fr: Org) -> None:
    from cyberspex.web.cases.selectors import cases_due_for_review  # noqa: PLC0415  # the dashboard's selector

    investigator = fr[Role.INVESTIGATOR]
    due, later = make_case(investigator, "PAR-DUE"), make_case(investigator, "PAR-LATER", review=REVIEW + timedelta(days=400))
    assert [c.pk for c in cases_due_for_review(user=investigator, today=REVIEW)] == [due.pk]
    assert later.pk not in [c.pk for c in cases_due_for_review(user=investigator, today=REVIEW)]
    assert cases_due_for_review(user=fr[Role.AUDITOR], today=REVIEW) == []  # auditors read the trail, not the cases
