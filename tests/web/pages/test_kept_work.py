"""Nothing typed is lost when the session ends (web/accounts/kept.py): a form sent after the
idle timeout, or from a stale tab, comes back on the same page after the log-in, to be checked
and sent again; the session's warning before the timeout is on every page of a member."""

from __future__ import annotations

import html

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts import kept
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases.models import Case
from tests.web.conftest import Org
from tests.web.helpers import make_case, make_request
from tests.web.pages.conftest import PASSWORD, case_post, consult, logged_in, with_password
from tests.web.pages.test_case_management_pages import edit_post

KEPT_MESSAGE = "Your session had ended; your work was kept — check and submit again."


def _log_in(client: Client, user: User, clock: time_machine.Coordinates) -> str:
    """Log in with password and TOTP as a browser does; the address the log-in leads to."""
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    clock.shift(31)  # a fresh TOTP step
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD, "next": client.next_page})  # type: ignore[attr-defined]
    return str(client.post("/accounts/mfa/", {"code": f"{totp(device.bin_key):06d}"})["Location"])


def _send_after_the_timeout(client: Client, user: User, clock: time_machine.Coordinates, **fields: str) -> Client:
    client.next_page = ""  # type: ignore[attr-defined]
    _log_in(client, with_password(user), clock)
    assert client.get("/cases/new/").status_code == 200
    clock.shift(settings.SESSION_COOKIE_AGE + 1)
    response = client.post("/cases/new/", case_post(**fields))
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/cases/new/")
    client.next_page = "/cases/new/"  # type: ignore[attr-defined]  # the login form carries it
    return client


def test_a_form_sent_after_the_idle_timeout_comes_back_after_the_log_in_without_being_sent(
    browser: Client, fr: Org, clock: time_machine.Coordinates
) -> None:
    _send_after_the_timeout(browser, fr[Role.PROSECUTOR], clock, summary_of_facts="Three hundred e-mails, typed at length.")
    assert not Case.objects.exists()
    assert "What you sent is kept" in browser.get("/accounts/login/?next=/cases/new/").content.decode()

    assert _log_in(browser, fr[Role.PROSECUTOR], clock) == "/cases/new/"
    page = html.unescape(browser.get("/cases/new/").content.decode())
    assert KEPT_MESSAGE in page
    assert 'value="PAR-2026-00501"' in page
    assert "Three hundred e-mails, typed at length." in page
    assert "Organised fraud by phishing</textarea>" in page  # the rows of the formsets too
    assert not Case.objects.exists()  # shown again, not sent

    again = html.unescape(browser.get("/cases/new/").content.decode())
    assert KEPT_MESSAGE not in again
    assert "PAR-2026-00501" not in again  # shown once


def test_the_work_kept_is_not_shown_to_someone_else_who_logs_in_on_that_browser(
    browser: Client, fr: Org, clock: time_machine.Coordinates
) -> None:
    _send_after_the_timeout(browser, fr[Role.PROSECUTOR], clock)
    assert _log_in(browser, with_password(fr[Role.SUPERVISOR]), clock) == "/cases/new/"
    page = browser.get("/cases/new/").content.decode()
    assert "PAR-2026-00501" not in page
    assert KEPT_MESSAGE not in page
    assert kept.KEPT_KEY not in browser.session


def test_a_form_sent_by_someone_never_logged_in_is_not_kept(browser: Client) -> None:
    response = browser.post("/cases/new/", case_post())
    assert response.status_code == 302
    assert kept.KEPT_KEY not in browser.session


def test_a_form_of_a_page_that_is_not_a_form_page_is_not_kept(browser: Client, fr: Org, clock: time_machine.Coordinates) -> None:
    browser.next_page = ""  # type: ignore[attr-defined]
    _log_in(browser, with_password(fr[Role.PROSECUTOR]), clock)
    clock.shift(settings.SESSION_COOKIE_AGE + 1)
    assert browser.post("/requests/1/transition/", {"state": "withdrawn", "note": "typed"}).status_code == 302
    assert kept.KEPT_KEY not in browser.session


def test_passwords_codes_and_the_security_token_are_never_kept(rf: RequestFactory) -> None:
    request = rf.post(
        "/cases/new/",
        {"title": "kept", "password": "x", "new_password1": "x", "code": "123456", "csrfmiddlewaretoken": "t", "token": "s"},
    )
    request.session = {}  # type: ignore[assignment]
    assert kept.keep(request, user_id=7)
    assert request.session[kept.KEPT_KEY]["fields"] == {"title": ["kept"]}  # type: ignore[index]


def test_more_than_the_size_limit_is_not_kept(rf: RequestFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept, "MAX_BYTES", 100)
    request = rf.post("/cases/new/", {"summary_of_facts": "x" * 101})
    request.session = {}  # type: ignore[assignment]
    assert not kept.keep(request, user_id=7)
    assert request.session == {}


def test_kept_work_expires(browser: Client, fr: Org, clock: time_machine.Coordinates) -> None:
    _send_after_the_timeout(browser, fr[Role.PROSECUTOR], clock)
    clock.shift(settings.KEPT_WORK_MINUTES * 60 + 1)
    _log_in(browser, fr[Role.PROSECUTOR], clock)
    assert "PAR-2026-00501" not in browser.get("/cases/new/").content.decode()


def test_a_form_sent_from_a_stale_tab_gets_a_page_in_the_layout_and_its_work_back(fr: Org) -> None:
    client = logged_in(Client(enforce_csrf_checks=True), fr[Role.PROSECUTOR])
    client.get("/cases/new/")
    response = client.post("/cases/new/", {**case_post(), "csrfmiddlewaretoken": "stale" * 8})
    page = html.unescape(response.content.decode())
    assert response.status_code == 403
    assert "This page was out of date" in page
    assert 'class="site-header"' in page  # in the layout
    assert 'href="/cases/new/"' in page
    assert not Case.objects.exists()

    back = html.unescape(client.get("/cases/new/").content.decode())
    assert KEPT_MESSAGE in back
    assert 'value="PAR-2026-00501"' in back


def test_a_stale_form_of_another_page_shows_the_text_typed_to_copy_it(fr: Org) -> None:
    client = logged_in(Client(enforce_csrf_checks=True), fr[Role.PROSECUTOR])
    client.get("/")
    typed = "The data arrived on time, checked by the analyst."
    response = client.post("/requests/1/transition/", {"state": "answered", "note": typed, "csrfmiddlewaretoken": "x" * 32})
    assert response.status_code == 403
    assert typed in html.unescape(response.content.decode())


def test_a_member_s_pages_carry_the_session_warning_and_the_keep_alive_renews_the_session(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.PROSECUTOR])
    page = browser.get("/").content.decode()
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert 'data-keep-alive="/accounts/session/keep-alive/"' in page
    assert "/static/session.js" in page
    assert "Stay signed in" in page
    expiry = browser.session.get_expiry_date()
    assert browser.post("/accounts/session/keep-alive/").status_code == 204
    assert browser.session.get_expiry_date() >= expiry


def test_a_visitor_s_pages_have_no_session_warning(browser: Client) -> None:
    page = browser.get("/").content.decode()
    assert "session.js" not in page
    assert "data-session-seconds" not in page


def test_a_form_sent_when_the_absolute_lifetime_ends_is_kept_too(
    browser: Client, fr: Org, clock: time_machine.Coordinates
) -> None:
    day = 24 * 3600
    with override_settings(SESSION_COOKIE_AGE=day):  # idle long enough: only the absolute lifetime ends the session
        browser.next_page = ""  # type: ignore[attr-defined]
        _log_in(browser, with_password(fr[Role.PROSECUTOR]), clock)
        clock.shift(settings.SESSION_ABSOLUTE_HOURS * 3600 + 1)
        response = browser.post("/cases/new/", case_post())
        assert response["Location"].startswith("/accounts/login/")
        assert not Case.objects.exists()
        browser.next_page = "/cases/new/"  # type: ignore[attr-defined]
        assert _log_in(browser, fr[Role.PROSECUTOR], clock) == "/cases/new/"
        assert 'value="PAR-2026-00501"' in browser.get("/cases/new/").content.decode()


def test_work_no_one_came_back_for_goes_with_the_ended_session(browser: Client, fr: Org, clock: time_machine.Coordinates) -> None:
    _send_after_the_timeout(browser, fr[Role.PROSECUTOR], clock)
    holding = [s for s in Session.objects.all() if kept.KEPT_KEY in s.get_decoded()]
    assert len(holding) == 1
    clock.shift(settings.SESSION_COOKIE_AGE + 1)
    kept.clear_ended_sessions()
    assert not Session.objects.filter(pk=holding[0].pk).exists()


def test_an_edited_case_sent_after_the_timeout_comes_back_once_the_case_is_consulted_again(
    browser: Client, fr: Org, clock: time_machine.Coordinates
) -> None:
    user = with_password(fr[Role.PROSECUTOR])
    case = make_case(user)
    browser.next_page = ""  # type: ignore[attr-defined]
    _log_in(browser, user, clock)
    consult(browser, case.pk)
    clock.shift(settings.SESSION_COOKIE_AGE + 1)
    edit = f"/cases/{case.pk}/edit/"
    assert browser.post(edit, {**edit_post(case), "title": "Phishing, typed before the timeout"})["Location"].startswith(
        "/accounts/login/"
    )
    browser.next_page = edit  # type: ignore[attr-defined]
    assert _log_in(browser, user, clock) == edit
    assert browser.get(edit)["Location"] == f"/cases/{case.pk}/"  # the case is consulted again first (LED Art 25)
    consult(browser, case.pk)
    page = html.unescape(browser.get(edit).content.decode())
    assert KEPT_MESSAGE in page
    assert 'value="Phishing, typed before the timeout"' in page
    case.refresh_from_db()
    assert case.title != "Phishing, typed before the timeout"  # shown again, not saved


def test_a_draft_edited_in_the_editor_after_the_timeout_comes_back_unsaved(
    browser: Client, fr: Org, clock: time_machine.Coordinates
) -> None:
    user = with_password(fr[Role.PROSECUTOR])
    draft = make_request(user, make_case(user), "2ap-7-order", "US")
    edit = f"/requests/{draft.pk}/edit/"
    browser.next_page = ""  # type: ignore[attr-defined]
    _log_in(browser, user, clock)
    clock.shift(settings.SESSION_COOKIE_AGE + 1)
    typed = {"intent": "save", "recipient_state": "US", "language": "en", "legal_grounds": "CPP 60-1, typed late"}
    assert browser.post(edit, typed)["Location"].startswith("/accounts/login/")
    browser.next_page = edit  # type: ignore[attr-defined]
    assert _log_in(browser, user, clock) == edit
    page = html.unescape(browser.get(edit).content.decode())
    assert KEPT_MESSAGE in page
    assert "CPP 60-1, typed late" in page
    draft.refresh_from_db()
    assert draft.data.get("legal_grounds") != "CPP 60-1, typed late"  # shown again, not saved
