"""Route advice inside a case, drafting a request from it, the issue flow and the downloads.

| step | who          | page                                   | expected                                  |
|------|--------------|----------------------------------------|-------------------------------------------|
| 1    | investigator | route advice FR -> DE, subscriber      | eu-epoc recommended, "pick this route"    |
| 2    | investigator | new request, pre-filled, checked, saved | draft with the case's offences            |
| 3    | investigator | submit for approval                    | awaiting approval                         |
| 4    | prosecutor   | approve (issue)                        | issued, deadlines                          |
| 5    | prosecutor   | download each package                  | PDF, DOCX, HTML, JSON as attachments       |
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.models import Deadline, Request, State
from tests.web.conftest import Org
from tests.web.helpers import form_data, make_case, make_request, move
from tests.web.pages.conftest import consult, logged_in

ROUTE = {"provider_state": "DE", "category": "subscriber", "measure": "production"}


def _textarea(page: str) -> dict[str, Any]:
    match = re.search(r'<textarea id="id_form_data"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert match is not None
    return dict(json.loads(html.unescape(match.group(1))))


def _draft_post(data: dict[str, Any], intent: str, key: str = "key-1") -> dict[str, str]:
    return {"form_id": "eu-epoc", "form_data": json.dumps(data), "idempotency_key": key, "intent": intent}


def test_the_route_advice_shows_each_route_with_reasons_and_a_pick_link(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    empty = browser.get(f"/cases/{case.pk}/routes/")
    assert empty.status_code == 200
    assert "What-if, for planning" in empty.content.decode()

    page = browser.get(f"/cases/{case.pk}/routes/", ROUTE).content.decode()
    assert page.count('<article class="route') == 12
    assert 'id="route-eu-epoc"' in page
    assert "Recommended" in page
    assert f'href="/cases/{case.pk}/requests/new/?form=eu-epoc&amp;provider_state=DE' in page

    japan = browser.get(f"/cases/{case.pk}/routes/", {**ROUTE, "provider_state": "JP", "category": "traffic"})
    assert "unverified" in japan.content.decode()  # reasons resting on unverified text are marked
    assert "[CETS 224 Art" in japan.content.decode()  # with their citations


def test_the_route_advice_reports_an_impossible_what_if_next_to_its_field(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    planned = browser.get(f"/cases/{case.pk}/routes/", {**ROUTE, "assume_in_force": "on", "assume_ratified": "DE"})
    assert planned.status_code == 200
    assert "this answer assumes facts" in planned.content.decode()
    impossible = browser.get(f"/cases/{case.pk}/routes/", {**ROUTE, "assume_ratified": "XX"})
    assert impossible.status_code == 422
    assert 'id="id_assume_ratified_error"' in impossible.content.decode()


def test_a_draft_is_pre_filled_checked_and_saved(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    new = f"/cases/{case.pk}/requests/new/"

    without = browser.get(new, {"form": "eu-epoc", **ROUTE}).content.decode()
    assert "offences" not in _textarea(without)  # not consulted yet: no personal data copied
    assert "consult the case with a justification first" in without

    consult(browser, case.pk)
    skeleton = _textarea(browser.get(new, {"form": "eu-epoc", **ROUTE}).content.decode())
    assert skeleton["recipient_state"] == "DE"
    assert skeleton["route_advice"]["route"] == "eu-epoc"
    assert skeleton["offences"] == case.offences
    assert skeleton["data_sought"]["identifiers"] == case.identifiers
    assert AuditEntry.objects.filter(event=Event.VIEW).count() == 2  # the prefill is a consultation too

    broken = browser.post(new, {**_draft_post({}, "import"), "form_data": "{not json"})
    assert broken.status_code == 422
    assert 'id="id_form_data_error"' in broken.content.decode()

    checked = browser.post(new, _draft_post(skeleton, "check"))
    assert checked.status_code == 200
    assert not Request.objects.exists()
    page = checked.content.decode()
    assert 'href="#f-addressee"' in page  # each problem linked to its field
    assert "Regulation (EU) 2023/1543" in page

    incomplete = browser.post(new, _draft_post(skeleton, "save"))  # an incomplete draft is saved, to resume later
    made = Request.objects.get()
    assert (incomplete.status_code, incomplete["Location"]) == (302, f"/requests/{made.pk}/edit/")
    assert (made.form_id, made.state, made.requires_approval) == ("eu-epoc", State.DRAFT, True)

    complete = form_data("eu-epoc", "DE")
    browser.post(new, _draft_post(complete, "save"))  # the same page saved again: the same draft, completed
    assert Request.objects.count() == 1
    assert Request.objects.get().data["addressee"] == complete["addressee"]


def test_a_request_is_submitted_validated_and_issued_after_confirmation_from_its_page(browser: Client, fr: Org) -> None:
    investigator, prosecutor = fr[Role.INVESTIGATOR], fr[Role.PROSECUTOR]
    request = make_request(investigator, make_case(investigator))
    detail, move_to = f"/requests/{request.pk}/", f"/requests/{request.pk}/transition/"
    issue = f"/requests/{request.pk}/issue/"

    logged_in(browser, investigator)
    page = browser.get(detail).content.decode()
    assert 'value="awaiting_approval"' in page
    assert issue not in page
    assert browser.post(move_to, {"state": "awaiting_approval", "note": "please"})["Location"] == detail
    refused = browser.post(move_to, {"state": "validated"})  # not the investigator's to approve
    assert refused.status_code == 403
    assert "your role cannot approve" in refused.content.decode()

    logged_in(browser, prosecutor)
    page = browser.get(detail).content.decode()
    assert "Approve / validate" in page
    assert "Return with comments" in page
    assert browser.post(move_to, {"state": "validated"})["Location"] == detail
    page = browser.get(detail).content.decode()
    assert issue in page
    assert browser.post(move_to, {"state": "issued"})["Location"] == issue  # the button leads to the confirmation
    confirm = browser.get(issue).content.decode()
    assert "You are about to issue European Production Order Certificate (EPOC) to" in confirm
    assert "This is a legal order" in confirm
    unconfirmed = browser.post(issue, {"note": ""})
    assert unconfirmed.status_code == 422
    request.refresh_from_db()
    assert request.state == State.VALIDATED
    assert browser.post(issue, {"confirm": "on"})["Location"] == detail
    request.refresh_from_db()
    assert (request.state, request.approved_by, request.validated_by) == (State.ISSUED, prosecutor, prosecutor)
    deadlines = Deadline.objects.filter(request=request)
    assert deadlines.exists()
    page = browser.get(detail).content.decode()
    assert deadlines[0].citation in page
    assert "Move to: Answered" in page

    off_lifecycle = browser.post(move_to, {"state": "closed"})
    assert off_lifecycle.status_code == 409
    assert "cannot go from issued to closed" in off_lifecycle.content.decode()


def test_each_package_downloads_as_an_attachment_and_is_recorded(browser: Client, fr: Org, de: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "issued")
    base = f"/requests/{request.pk}/packages"
    logged_in(browser, prosecutor)
    page = browser.get(f"/requests/{request.pk}/").content.decode()
    assert f'href="{base}/provider.pdf"' in page
    assert f'href="{base}/full.json"' in page

    pdf = browser.get(f"{base}/provider.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == f'attachment; filename="cyberspex-request-{request.pk}-eu-epoc-provider-en.pdf"'
    assert browser.get(f"{base}/authority.docx").content.startswith(b"PK")
    assert b"<!DOCTYPE html>" in browser.get(f"{base}/full.html").content
    assert json.loads(browser.get(f"{base}/provider.json").content)["form"] == "eu-epoc"
    assert browser.get(f"{base}/full.pdf", {"lang": "fr"})["Content-Disposition"].endswith('-full-fr.pdf"')
    exports = AuditEntry.objects.filter(event=Event.EXPORT, object_id=str(request.pk))
    assert exports.count() == 5

    for bad in (f"{base}/notification.pdf", f"{base}/provider.exe", f"{base}/provider.pdf?lang=xx"):
        assert browser.get(bad).status_code == 404, bad
    logged_in(browser, de[Role.PROSECUTOR])
    assert browser.get(f"{base}/provider.pdf").status_code == 404
    assert exports.count() == 5


def test_a_recipient_package_of_a_draft_is_refused_with_409(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = make_request(prosecutor, make_case(prosecutor))
    logged_in(browser, prosecutor)
    assert browser.get(f"/requests/{request.pk}/packages/provider.pdf").status_code == 409
    assert browser.get(f"/requests/{request.pk}/packages/full.pdf").content.startswith(b"%PDF")


@pytest.mark.usefixtures("exercise_instance")  # what-if drafts are issued only in exercise mode
def test_a_refused_article_7_order_offers_the_article_8_draft(browser: Client, fr: Org) -> None:
    from cyberspex.law.scenario import WhatIf  # noqa: PLC0415  # only this test plans with the what-if

    prosecutor = fr[Role.PROSECUTOR]
    what_if = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"}))
    source = move(
        prosecutor, make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US", what_if=what_if), "issued", "refused"
    )
    logged_in(browser, prosecutor)
    assert "Draft the Article 8 order" in browser.get(f"/requests/{source.pk}/").content.decode()
    response = browser.post(f"/requests/{source.pk}/follow-up/")
    follow = Request.objects.get(form_id="2ap-8-order")
    assert response["Location"] == f"/requests/{follow.pk}/"
