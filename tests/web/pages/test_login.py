"""Log-in, lockout, TOTP enrolment and verification, log-out: through the pages, as a browser."""

from __future__ import annotations

import re

import time_machine
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.lifecycle import enrolment_link_for
from cyberspex.web.accounts.models import LoginFailure, LoginRefusalCount, Role
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.conftest import Org
from tests.web.helpers import NOW
from tests.web.pages.conftest import PASSWORD, with_password

LOGIN = "/accounts/login/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def _errors(html: str) -> list[str]:
    """The error texts shown on a page (summary and next to fields)."""
    return re.findall(r'<div class="error-summary" role="alert">\s*<h2[^>]*>[^<]*</h2>\s*<ul><li>([^<]*)</li>', html)


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_it_logs_in_enrols_a_totp_device_and_reaches_the_dashboard(browser: Client, fr: Org) -> None:
    user = with_password(fr[Role.INVESTIGATOR])
    link = enrolment_link_for(username=user.username, now=NOW)  # the first device needs a one-time link
    assert browser.get(f"/accounts/enrol/{link}/")["Location"] == "/accounts/login/"
    before = browser.session.session_key  # a session exists before the log-in

    response = browser.post(LOGIN, {"username": user.username, "password": PASSWORD, "next": "/cases/new/"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/mfa/")
    assert _session_key(browser) != before  # rotated at log-in
    assert browser.get("/").status_code == 302  # the password alone opens nothing

    assert browser.get("/accounts/mfa/")["Location"] == "/accounts/mfa/enrol/"
    page = browser.get("/accounts/mfa/enrol/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html)
    assert secret is not None
    assert len(secret.group(1).replace(" ", "")) == 32

    after_password = _session_key(browser)
    response = browser.post("/accounts/mfa/enrol/", {"code": _code(device)})
    assert (response.status_code, response["Location"]) == (302, "/cases/new/")  # back where the user was going
    assert _session_key(browser) != after_password  # rotated again once fully authenticated
    device.refresh_from_db()
    assert device.confirmed
    assert browser.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert browser.get("/").status_code == 200

    steps = [(e.event, e.details.get("step") or e.details.get("action")) for e in AuditEntry.objects.order_by("seq")]
    assert steps == [(Event.CHANGE, "enrolment_link_created"), (Event.LOGIN, "password"), (Event.LOGIN, "totp_enrolment")]
    assert verify().ok


def test_a_totp_code_is_accepted_once_only(browser: Client, fr: Org, clock: time_machine.Coordinates) -> None:
    user = with_password(fr[Role.PROSECUTOR])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = _code(device)

    browser.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert browser.post("/accounts/mfa/", {"code": code})["Location"] == "/"
    browser.post("/accounts/logout/")

    browser.post(LOGIN, {"username": user.username, "password": PASSWORD})
    replay = browser.post("/accounts/mfa/", {"code": code})  # same 30-second step: refused
    assert replay.status_code == 400
    assert "each code works only once" in replay.content.decode()
    assert browser.get("/").status_code == 302

    clock.shift(60)  # the next step's code (and past django_otp's throttling delay)
    assert browser.post("/accounts/mfa/", {"code": _code(device)})["Location"] == "/"
    failed = AuditEntry.objects.filter(event=Event.LOGIN_FAILED, details__step="totp")
    assert failed.count() == 1


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(browser: Client, fr: Org) -> None:
    user = with_password(fr[Role.INVESTIGATOR])
    wrong_password = browser.post(LOGIN, {"username": user.username, "password": "not the password"})
    unknown_user = browser.post(LOGIN, {"username": "nobody-at-all", "password": "not the password"})
    assert wrong_password.status_code == unknown_user.status_code == 400
    assert _errors(wrong_password.content.decode()) == _errors(unknown_user.content.decode())
    assert _errors(unknown_user.content.decode()) == ["The username or the password is not correct."]
    failures = AuditEntry.objects.filter(event=Event.LOGIN_FAILED).values_list("actor", flat=True)
    assert list(failures) == [user.username]  # an unknown name is counted, then summarised per window
    assert LoginRefusalCount.objects.get().reason == "unknown_account"


def test_it_locks_the_account_after_five_failures_even_for_the_right_password(
    browser: Client, fr: Org, clock: time_machine.Coordinates
) -> None:
    user = with_password(fr[Role.INVESTIGATOR])
    assert settings.LOCKOUT_ATTEMPTS == 5
    for _ in range(5):
        assert browser.post(LOGIN, {"username": user.username, "password": "guess"}).status_code == 400

    locked = browser.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in browser.session
    assert LoginFailure.objects.filter(username=user.username).count() == 5  # a locked attempt adds none
    locking = AuditEntry.objects.filter(event=Event.LOGIN_FAILED, details__locked_for_minutes=15)
    assert list(locking.values_list("actor", flat=True)) == [user.username]  # the fifth failure locked it
    assert LoginRefusalCount.objects.get(reason="account_locked").count == 1  # refusals are counted, not audited each

    clock.shift(15 * 60 + 1)
    assert browser.post(LOGIN, {"username": user.username, "password": PASSWORD})["Location"] == "/accounts/mfa/"
    assert not LoginFailure.objects.filter(username=user.username).exists()  # reset by the success


def test_an_empty_form_says_what_is_missing(browser: Client) -> None:
    response = browser.post(LOGIN, {})
    assert response.status_code == 422
    assert 'id="id_username_error"' in response.content.decode()
    assert not AuditEntry.objects.exists()  # nothing was attempted


def test_an_unknown_name_is_locked_the_same_way(browser: Client) -> None:
    for _ in range(5):
        browser.post(LOGIN, {"username": "ghost", "password": "guess"})
    assert browser.post(LOGIN, {"username": "ghost", "password": "guess"}).status_code == 429


def test_a_password_alone_cannot_add_a_second_device(browser: Client, fr: Org) -> None:
    user = with_password(fr[Role.INVESTIGATOR])
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    browser.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert browser.get("/accounts/mfa/enrol/")["Location"] == "/accounts/mfa/"
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_log_out_is_a_post_and_ends_the_session(browser: Client, fr: Org) -> None:
    user = with_password(fr[Role.INVESTIGATOR])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    browser.post(LOGIN, {"username": user.username, "password": PASSWORD})
    browser.post("/accounts/mfa/", {"code": _code(device)})
    assert browser.get("/accounts/logout/").status_code == 405
    assert browser.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert browser.get("/accounts/tokens/")["Location"].startswith("/accounts/login/")  # "/" is the public front door


def test_the_next_address_cannot_lead_off_site(browser: Client, fr: Org) -> None:
    user = with_password(fr[Role.INVESTIGATOR])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    browser.post(LOGIN, {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"})
    assert browser.post("/accounts/mfa/", {"code": _code(device)})["Location"] == "/"
