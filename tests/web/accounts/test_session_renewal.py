"""A page view does not write the session: its idle timeout is renewed at most once per renewal
interval (accounts/renewal.py), and it still ends idle sessions, at most that interval early and
never late; the absolute lifetime and log-out are as strong as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from cyberspex.web.accounts import renewal
from cyberspex.web.accounts.models import Role
from tests.web.conftest import Org
from tests.web.helpers import NOW, verified_session

MEMBERS_ONLY = "/accounts/tokens/"  # a page for logged-in members only (the front page is public to visitors)


def session_writes(client: Client, path: str = "/") -> list[str]:
    """The statements that wrote to the session table while ``client`` read ``path``."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if "django_session" in query["sql"] and query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def expiry(client: Client) -> object:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def logged_in(fr: Org) -> Client:
    browser = Client()
    verified_session(browser, fr[Role.INVESTIGATOR])
    assert browser.get("/").status_code == 200  # the first view renews: the time of the renewal is now known
    return browser


def test_the_renewal_interval_is_a_minute_and_at_most_a_tenth_of_the_idle_timeout() -> None:
    assert renewal.interval() == 60
    with override_settings(SESSION_COOKIE_AGE=300):
        assert renewal.interval() == 30
    with override_settings(SESSION_RENEW_SECONDS=0):
        assert renewal.interval() == 0


def test_a_page_read_within_the_renewal_interval_writes_nothing_to_the_session_table(
    fr: Org, clock: time_machine.Coordinates
) -> None:
    browser = logged_in(fr)
    clock.shift(renewal.interval() - 1)
    for path in ("/", "/accounts/tokens/", "/glossary/"):
        assert session_writes(browser, path) == [], path


def test_a_page_read_after_the_renewal_interval_renews_the_expiry(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = logged_in(fr)
    before = expiry(browser)
    clock.shift(renewal.interval())
    assert len(session_writes(browser)) == 1
    assert expiry(browser) == NOW + timedelta(seconds=renewal.interval() + settings.SESSION_COOKIE_AGE)
    assert expiry(browser) > before  # type: ignore[operator]


def test_with_no_interval_every_request_renews(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = logged_in(fr)
    with override_settings(SESSION_RENEW_SECONDS=0):
        clock.shift(1)
        assert len(session_writes(browser)) == 1


def test_an_idle_session_still_ends_at_the_idle_timeout_after_its_last_request(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = logged_in(fr)
    clock.shift(renewal.interval() - 1)
    assert browser.get("/").status_code == 200  # a request that did not write the session
    clock.shift(settings.SESSION_COOKIE_AGE)  # idle for the whole idle timeout since then
    response = browser.get(MEMBERS_ONLY)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={MEMBERS_ONLY}")


def test_a_session_ends_at_most_one_renewal_interval_before_the_idle_timeout(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = logged_in(fr)
    clock.shift(renewal.interval() - 1)
    assert browser.get("/").status_code == 200
    clock.shift(settings.SESSION_COOKIE_AGE - renewal.interval())  # idle, but for less than the timeout less the interval
    assert browser.get("/").status_code == 200


def test_the_page_tells_the_session_warning_what_is_left_of_the_idle_timeout(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = logged_in(fr)
    clock.shift(renewal.interval() - 10)
    page = browser.get("/").content.decode()
    left = settings.SESSION_COOKIE_AGE - renewal.interval() + 10
    assert f'data-session-seconds="{left}"' in page
    assert f'data-session-age="{settings.SESSION_COOKIE_AGE}"' in page  # what "Stay signed in" gives again


def test_stay_signed_in_renews_at_once_even_within_the_interval(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = logged_in(fr)
    clock.shift(5)
    assert browser.post("/accounts/session/keep-alive/").status_code == 204
    assert expiry(browser) == NOW + timedelta(seconds=5 + settings.SESSION_COOKIE_AGE)


@override_settings(SESSION_ABSOLUTE_HOURS=1)
def test_the_absolute_lifetime_still_ends_a_session_read_within_the_interval(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = logged_in(fr)
    for _ in range(1, 3600 // 600):
        clock.shift(600)
        assert browser.get("/").status_code == 200
    clock.shift(600)
    response = browser.get("/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")


def test_log_out_still_ends_the_session_at_once(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = logged_in(fr)
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    clock.shift(1)
    browser.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert stale.get(MEMBERS_ONLY)["Location"] == f"/accounts/login/?next={MEMBERS_ONLY}"


@pytest.mark.django_db
def test_a_visitor_without_a_session_gets_none_from_a_page_view(client: Client) -> None:
    response = client.get("/glossary/")
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()
