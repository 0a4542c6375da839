"""The approval pages: the dashboard's "Awaiting my approval", the actions offered on a request
(only those the person may take), returning with comments, and the confirmation before issuing."""

from __future__ import annotations

import html

from django.test import Client

from cyberspex.web.accounts.models import Role
from cyberspex.web.cases.models import Request, State
from tests.web.cases.test_approval import traffic_epoc
from tests.web.conftest import Org
from tests.web.helpers import move
from tests.web.pages.conftest import logged_in


def submitted_traffic_epoc(fr: Org, drafter: Role = Role.PROSECUTOR) -> Request:
    return move(fr[drafter], traffic_epoc(fr[drafter]), "awaiting_approval")


def test_the_judges_dashboard_lists_the_request_awaiting_their_approval(browser: Client, fr: Org) -> None:
    request = submitted_traffic_epoc(fr)
    page = logged_in(browser, fr[Role.JUDGE]).get("/").content.decode()
    assert "Awaiting my approval" in page
    assert f'href="/requests/{request.pk}/"' in page


def test_a_prosecutors_dashboard_does_not_list_a_traffic_epoc_they_may_not_validate(browser: Client, fr: Org) -> None:
    submitted_traffic_epoc(fr, Role.OTHER_AUTHORITY)
    page = logged_in(browser, fr[Role.PROSECUTOR]).get("/").content.decode()
    assert "Awaiting my approval" not in page


def test_the_request_page_offers_validation_only_to_who_may_validate_it(browser: Client, fr: Org) -> None:
    request = submitted_traffic_epoc(fr, Role.OTHER_AUTHORITY)
    detail = f"/requests/{request.pk}/"
    for role in (Role.SUPERVISOR, Role.PROSECUTOR):  # Art 4(2): neither validates traffic data
        page = logged_in(browser, fr[role]).get(detail).content.decode()
        assert "Approve / validate" not in page, role
        assert "Return with comments" not in page, role
    page = logged_in(browser, fr[Role.JUDGE]).get(detail).content.decode()
    assert "Approve / validate" in page
    assert "Return with comments" in page
    assert "a judge, a court or an investigating judge (Regulation (EU) 2023/1543 Art 4(2))" in page
    assert "Not fully verified" in page  # the validators of Art 4(2)(b) rest on a secondary source


def test_a_prosecutors_draft_says_why_it_cannot_be_issued_alone_and_offers_no_issue(browser: Client, fr: Org) -> None:
    request = traffic_epoc(fr[Role.PROSECUTOR])
    page = logged_in(browser, fr[Role.PROSECUTOR]).get(f"/requests/{request.pk}/").content.decode()
    assert "A public prosecutor may not issue this order alone" in page
    assert f"/requests/{request.pk}/issue/" not in page
    refused = browser.get(f"/requests/{request.pk}/issue/")
    assert refused.status_code == 409
    assert "Regulation (EU) 2023/1543 Art 4(2)" in refused.content.decode()


def test_a_return_without_comments_is_refused_next_to_the_note_and_with_them_is_shown_to_the_drafter(
    browser: Client, fr: Org
) -> None:
    request = submitted_traffic_epoc(fr)
    detail, move_to = f"/requests/{request.pk}/", f"/requests/{request.pk}/transition/"
    logged_in(browser, fr[Role.JUDGE])
    refused = browser.post(move_to, {"state": "draft", "note": ""})
    assert refused.status_code == 422
    assert "say what must change" in refused.content.decode()
    request.refresh_from_db()
    assert request.state == State.AWAITING_APPROVAL
    assert browser.post(move_to, {"state": "draft", "note": "narrow the time range to March"})["Location"] == detail
    page = logged_in(browser, fr[Role.PROSECUTOR]).get(detail).content.decode()
    assert "Returned with comments by fr-judge" in page
    assert "narrow the time range to March" in page


def test_issuing_is_confirmed_on_its_own_page_and_the_request_shows_who_validated_and_when(browser: Client, fr: Org) -> None:
    request = submitted_traffic_epoc(fr)
    detail, issue = f"/requests/{request.pk}/", f"/requests/{request.pk}/issue/"
    logged_in(browser, fr[Role.JUDGE])
    assert browser.post(f"/requests/{request.pk}/transition/", {"state": "validated"})["Location"] == detail
    logged_in(browser, fr[Role.PROSECUTOR])
    confirm = browser.get(issue).content.decode()
    assert (
        "You are about to issue European Production Order Certificate (EPOC) to Example Social Media Ireland Limited in"
        in confirm
    )
    unconfirmed = browser.post(issue, {})
    assert unconfirmed.status_code == 422
    assert browser.post(issue, {"confirm": "on"})["Location"] == detail
    page = browser.get(detail).content.decode()
    assert "Validated by" in page
    assert "fr-judge — Judge, court or investigating judge" in page
    assert "on 2026-11-28 10:00 CET" in page  # 09:00 UTC, in the default zone (Europe/Brussels)


def test_a_validated_request_offers_its_recipients_packages_only_once_issued(browser: Client, fr: Org) -> None:
    request = submitted_traffic_epoc(fr)
    move(fr[Role.JUDGE], request, "validated")
    page = logged_in(browser, fr[Role.PROSECUTOR]).get(f"/requests/{request.pk}/").content.decode()
    assert f"/requests/{request.pk}/packages/provider.pdf" not in page
    assert f"/requests/{request.pk}/packages/full.pdf" in page
    assert "Available once the request is issued" in page


def test_who_validates_and_why_a_prosecutor_may_not_issue_read_in_french(browser: Client, fr: Org) -> None:
    request = traffic_epoc(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.PROSECUTOR])
    french = {"accept-language": "fr"}
    page = browser.get(f"/requests/{request.pk}/", headers=french).content.decode()
    assert "Un procureur ne peut pas émettre cette injonction sans validation" in page
    assert "un juge, une juridiction ou un juge d&#x27;instruction (règlement (UE) 2023/1543, art. 4, par. 2)" in page
    assert "repose sur une source secondaire" in page  # the row's note
    assert "may not issue" not in page
    assert "secondary source" not in page
    refused = browser.get(f"/requests/{request.pk}/issue/", headers=french)
    assert refused.status_code == 409
    assert "règlement (UE) 2023/1543, art. 4, par. 2" in refused.content.decode()


def test_the_confirmation_before_issue_names_the_roles_in_german(browser: Client, fr: Org) -> None:
    request = submitted_traffic_epoc(fr)
    logged_in(browser, fr[Role.JUDGE])
    browser.post(f"/requests/{request.pk}/transition/", {"state": "validated"})
    logged_in(browser, fr[Role.PROSECUTOR])
    page = browser.get(f"/requests/{request.pk}/issue/", headers={"accept-language": "de"}).content.decode()
    assert "Bestätigen: diese Anordnung erlassen" in page
    assert "Richter, Gericht oder Ermittlungsrichter" in page  # the validating judge's role
    assert "Staatsanwalt" in page  # the issuing prosecutor's role
    assert "Judge, court or investigating judge" not in page
    assert "Public prosecutor" not in page


def test_a_draft_awaiting_its_validation_on_the_platform_shows_it_as_a_warning_not_a_problem(browser: Client, fr: Org) -> None:
    request = traffic_epoc(fr[Role.PROSECUTOR], validating_authority=None)
    request.data.pop("validating_authority", None)
    request.save(update_fields=["data"])
    logged_in(browser, fr[Role.PROSECUTOR])
    for page in (f"/requests/{request.pk}/review/", f"/requests/{request.pk}/"):
        text = browser.get(page).content.decode()
        assert "validated on this platform once you submit the draft for approval" in text, page
        assert "problem to solve" not in text, page


def test_the_validation_on_the_platform_reads_in_french_on_the_request_page_and_review(browser: Client, fr: Org) -> None:
    request = traffic_epoc(fr[Role.PROSECUTOR], validating_authority=None)
    request.data.pop("validating_authority", None)
    request.save(update_fields=["data"])
    logged_in(browser, fr[Role.PROSECUTOR])
    for page in (f"/requests/{request.pk}/review/", f"/requests/{request.pk}/"):
        text = html.unescape(browser.get(page, headers={"accept-language": "fr"}).content.decode())
        assert "l'injonction doit être validée avant son envoi" in text, page
        assert "elle est validée sur cette plateforme une fois que vous soumettez le brouillon à validation" in text, page
        assert "validated on this platform" not in text, page


def test_the_judge_reads_the_order_before_validating_it_and_the_page_says_validated_afterwards(browser: Client, fr: Org) -> None:
    request = submitted_traffic_epoc(fr)
    logged_in(browser, fr[Role.JUDGE])
    detail = browser.get(f"/requests/{request.pk}/").content.decode()
    assert f'href="/requests/{request.pk}/review/"' in detail
    review = browser.get(f"/requests/{request.pk}/review/")
    assert review.status_code == 200
    assert "The provider will see" in review.content.decode()
    browser.post(f"/requests/{request.pk}/transition/", {"state": "validated"})
    after = browser.get(f"/requests/{request.pk}/").content.decode()
    assert "Validated (see Issuing and validation)" in after
    assert "Needs validation before it is issued" not in after
