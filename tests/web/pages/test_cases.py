"""Dashboard, new case, and consulting a case (justification first, then the personal data)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.models import Case, Deadline
from tests.web.conftest import Org
from tests.web.helpers import JUSTIFICATION, NOW, make_case, make_request, move
from tests.web.pages.conftest import case_post, consult, logged_in

SUMMARY = "Since September 2026 more than 300 customers received phishing e-mails."  # helpers.CASE_FIELDS


def test_it_opens_a_case_from_the_form(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.INVESTIGATOR])
    assert browser.get("/cases/new/").status_code == 200
    response = browser.post("/cases/new/", case_post())
    case = Case.objects.get(reference="PAR-2026-00501")
    assert (response.status_code, response["Location"]) == (302, f"/cases/{case.pk}/")
    assert case.organisation == fr.organisation
    assert case.offences == [
        {"description": "Organised fraud by phishing", "provisions": "Code pénal 313-1", "max_penalty_years": 10}
    ]
    assert case.identifiers == [
        {"kind": "ip_address", "value": "203.0.113.7", "port": 51234, "time": "2026-10-01T12:30:00+00:00"}
    ]
    assert case.persons == [{"name": "John Doe", "role": "suspect"}]
    assert AuditEntry.objects.filter(event=Event.CREATE, object_type="case", object_id=str(case.pk)).exists()


def test_a_refused_case_shows_the_reason_next_to_the_field(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.INVESTIGATOR])
    make_case(fr[Role.INVESTIGATOR], reference="PAR-2026-00501")
    duplicate = browser.post("/cases/new/", case_post())
    assert duplicate.status_code == 409
    assert 'id="id_reference_error"' in duplicate.content.decode()
    assert "already exists" in duplicate.content.decode()

    past = browser.post("/cases/new/", case_post(reference="PAR-2026-00502", retention_review_date="2026-01-01"))
    assert past.status_code == 422
    assert 'id="id_retention_review_date_error"' in past.content.decode()

    half_offence = browser.post("/cases/new/", case_post(reference="PAR-2026-00503", **{"offences-0-provisions": ""}))
    assert half_offence.status_code == 422
    assert Case.objects.count() == 1


def test_a_role_that_cannot_open_cases_gets_403(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.AUDITOR])
    assert browser.get("/cases/new/").status_code == 403


def test_consulting_a_case_needs_a_justification_which_is_recorded(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])

    page = browser.get(f"/cases/{case.pk}/").content.decode()
    assert case.reference in page
    assert SUMMARY not in page
    assert "John Doe" not in page

    empty = browser.post(f"/cases/{case.pk}/", {"justification": "   "})
    assert empty.status_code == 422
    assert 'id="id_justification_error"' in empty.content.decode()
    assert SUMMARY not in empty.content.decode()
    assert not AuditEntry.objects.filter(event=Event.VIEW).exists()

    shown = consult(browser, case.pk)
    assert shown.status_code == 200
    assert SUMMARY in shown.content.decode()
    assert "John Doe" in shown.content.decode()
    entry = AuditEntry.objects.get(event=Event.VIEW)
    assert (entry.actor, entry.object_id, entry.justification_text) == (
        fr[Role.INVESTIGATOR].username,
        str(case.pk),
        JUSTIFICATION,
    )


def test_another_organisations_case_does_not_exist(browser: Client, fr: Org, de: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, de[Role.PROSECUTOR])
    for path in (f"/cases/{case.pk}/", f"/cases/{case.pk}/routes/", f"/cases/{case.pk}/requests/new/?form=eu-epoc"):
        assert browser.get(path).status_code == 404, path
    assert consult(browser, case.pk).status_code == 404
    assert browser.get("/cases/999999/").status_code == 404  # same answer as for a case that does not exist
    assert not AuditEntry.objects.filter(event=Event.VIEW).exists()


def test_the_dashboard_lists_searches_and_pages_the_cases(browser: Client, fr: Org, de: Org) -> None:
    for number in range(21):
        make_case(fr[Role.INVESTIGATOR], reference=f"PAR-2026-{number:05d}")
    make_case(de[Role.INVESTIGATOR], reference="KOE-2026-00001")
    logged_in(browser, fr[Role.PROSECUTOR])

    first = browser.get("/").content.decode()
    assert len(re.findall(r'href="/cases/\d+/"', first)) == 20
    assert "Page 1 of 2" in first
    assert "KOE-2026-00001" not in first
    second = browser.get("/", {"page": 2}).content.decode()
    assert "PAR-2026-00000" in second  # the oldest, last
    found = browser.get("/", {"q": "00017"}).content.decode()
    assert "PAR-2026-00017" in found
    assert "PAR-2026-00016" not in found
    assert browser.get("/", {"q": "KOE"}).content.decode().count("KOE-2026") == 0
    assert browser.get("/", {"page": "nonsense"}).status_code == 200


def test_the_dashboard_shows_deadlines_soonest_first_with_the_overdue_marked(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "issued")
    assert Deadline.objects.filter(request=request).exists(), "an issued EPOC has deadlines"
    Deadline.objects.filter(request=request).update(due_at=NOW - timedelta(hours=1))  # let them pass
    Deadline.objects.create(
        request=request,
        organisation=request.case.organisation,
        event="a later one",
        due_at=NOW + timedelta(days=3),
        citation="X",
        rule="x",
    )
    deadlines = list(Deadline.objects.filter(request=request).order_by("due_at"))
    logged_in(browser, fr[Role.INVESTIGATOR])

    page = browser.get("/").content.decode()
    assert page.index(deadlines[0].event) < page.index("a later one")
    assert page.count('<tr class="overdue">') == len(deadlines) - 1 > 0
    assert "Overdue" in page
