"""Two journeys in a real browser (Playwright driving Debian's Chromium):

| step | who        | does                                                                          |
|------|------------|-------------------------------------------------------------------------------|
| 1    | visitor    | opens /, follows "Ask the route advisor", asks FR -> DE, traffic data, threshold met, without JavaScript |
| 2    | visitor    | reads the verdict on top, opens the closed routes with the keyboard            |
| 3    | visitor    | does the same on a 390 px wide screen: nothing wider than the screen           |
| 4    | prosecutor | types a new case; the warning before the idle timeout appears; "Stay signed in" |
| 5    | prosecutor | lets the session end, sends the form, logs in again: the work is back, unsent  |

Screenshots go to /tmp/advice-shots/. Runs where /usr/bin/chromium exists.
"""

from __future__ import annotations

import binascii
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role
from cyberspex.web.cases.models import Case
from tests.web.concurrency import empty_audit_trail
from tests.web.e2e.browser import new_page, playwright

PASSWORD = "a-long-password-for-e2e"  # noqa: S105  # test account
SHOTS = Path(os.environ.get("ADVICE_SHOTS", "/tmp/advice-shots"))  # noqa: S108  # screenshots for a person to look at
IDLE_SECONDS = 16  # the session's idle timeout in this test: the warning comes 8 seconds before the end


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def arrive(page: Any, pattern: str | re.Pattern[str]) -> None:
    try:
        page.wait_for_url(pattern, timeout=15000)
    except playwright.TimeoutError:
        pytest.fail(f"expected {pattern}, still at {page.url}:\n{page.inner_text('main')[:2000]}")


def _ask(page: Any) -> None:
    page.select_option("#id_issuing", "FR")
    page.select_option("#id_provider_state", "DE")
    page.select_option("#id_category", "traffic")
    page.select_option("#id_offence_threshold", "met")
    page.get_by_role("button", name="Show the routes").click()
    arrive(page, re.compile(r".*/advisor/\?.*"))


@pytest.fixture
def visitor_page() -> Iterator[Any]:
    with new_page(locale="en-GB", java_script_enabled=False) as opened:  # the advisor needs no script
        yield opened


@pytest.mark.django_db(transaction=True)
def test_a_visitor_asks_the_public_advisor_and_reads_the_answer_first(live_server: Any, visitor_page: Any) -> None:
    page, base = visitor_page, live_server.url
    page.goto(f"{base}/")
    _shot(page, "01-front-door")
    page.get_by_role("link", name="Ask the route advisor").click()
    arrive(page, f"{base}/advisor/")
    _ask(page)
    verdict = page.locator("section.verdict")
    assert "European Production Order Certificate (EPOC)" in verdict.inner_text()
    assert "Main deadline:" in verdict.inner_text()
    assert "Log in to draft this order" in verdict.inner_text()
    _shot(page, "02-advisor-answer")

    folded = page.locator("details.unavailable")
    assert folded.get_attribute("open") is None
    folded.locator("summary").focus()
    page.keyboard.press("Enter")
    assert folded.get_attribute("open") is not None
    assert folded.locator("li").first.is_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator("details.reasoning > summary").focus()
    page.keyboard.press("Enter")  # the full reasoning, open, fits too
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("section.verdict").is_visible()
    _shot(page, "03-advisor-390px")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "03a-advisor-390px-top.png"))  # what the first screen shows
    page.locator("table.compare").screenshot(path=str(SHOTS / "03b-advisor-390px-compared.png"))
    page.get_by_role("link", name="Glossary").last.click()
    arrive(page, f"{base}/glossary/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "03c-glossary-390px")


def _member(username: str) -> bytes:
    org = Organisation.objects.create(name="Parquet de Paris (e2e)", kind=OrganisationKind.ISSUING_AUTHORITY, country="FR")
    user = User.objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, organisation=org, role=Role.PROSECUTOR)
    key = os.urandom(20)
    TOTPDevice.objects.create(user=user, name="phone", key=binascii.hexlify(key).decode(), confirmed=True)
    return key


@pytest.fixture
def prosecutor(transactional_db: None) -> Iterator[bytes]:  # noqa: ARG001  # the live server needs committed data
    yield _member("procureur")
    empty_audit_trail()


def _log_in(page: Any, key: bytes, *, drift: int = 0) -> None:
    page.fill("#id_username", "procureur")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    arrive(page, re.compile(r".*/accounts/mfa/.*"))
    page.fill("#id_code", f"{totp(key, drift=drift):06d}")  # a code is accepted once: the next one the second time
    page.get_by_role("button", name="Verify").click()


@override_settings(SESSION_COOKIE_AGE=IDLE_SECONDS)  # the live server runs in this process: it sees the setting
def test_typed_work_survives_the_end_of_the_session(live_server: Any, prosecutor: bytes) -> None:
    base = live_server.url
    with new_page(locale="en-GB") as page:
        page.goto(f"{base}/accounts/login/?next=/cases/new/")
        _log_in(page, prosecutor)
        arrive(page, f"{base}/cases/new/")
        page.fill("#id_reference", "PAR-E2E-0777")
        page.fill("#id_title", "Ransomware against a hospital")
        page.fill("#id_retention_review_date", "2028-01-31")
        page.fill("#id_summary_of_facts", "A long summary typed with care, which must not be lost.")

        warning = page.locator("#session-warning")
        warning.get_by_text("Your session ends in").wait_for(timeout=30000)
        _shot(page, "04-session-warning")
        warning.get_by_role("button", name="Stay signed in").click()
        warning.wait_for(state="hidden", timeout=5000)

        warning.get_by_text("Your session has ended").wait_for(timeout=30000)
        _shot(page, "05-session-ended")
        page.click("main form button[type=submit]")
        arrive(page, re.compile(r".*/accounts/login/\?next=/cases/new/$"))
        page.get_by_text("What you sent is kept").wait_for()
        _shot(page, "06-login-work-kept")

        _log_in(page, prosecutor, drift=1)
        arrive(page, f"{base}/cases/new/")
        page.get_by_text("Your session had ended; your work was kept — check and submit again.").wait_for()
        assert page.input_value("#id_reference") == "PAR-E2E-0777"
        assert page.input_value("#id_summary_of_facts") == "A long summary typed with care, which must not be lost."
        _shot(page, "07-work-restored")
    assert Case.objects.count() == 0  # shown again, not sent (read once the browser's event loop is closed)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_public_menu_in_french_or_german_fits_on_one_line_at_1280_pixels(live_server: Any, language: str) -> None:
    with new_page(locale="en-GB", java_script_enabled=False, viewport={"width": 1280, "height": 800}) as page:
        page.goto(f"{live_server.url}/")
        page.select_option("#site-language", language)
        page.locator(".header-tools button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language
        tops = page.eval_on_selector_all("header .nav > li", "items => items.map(i => Math.round(i.getBoundingClientRect().top))")
        assert len(tops) >= 9
        assert len(set(tops)) == 1
