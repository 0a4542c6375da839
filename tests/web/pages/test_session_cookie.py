"""A request that still carries a session key rotated away at log-in must not delete the new
cookie; a log-out still deletes it (cyberspex/web/sessions.py)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from cyberspex.web.accounts.models import Role
from tests.web.conftest import Org
from tests.web.pages.conftest import logged_in


def test_a_late_request_with_a_rotated_key_leaves_the_browsers_cookie_alone(db: None) -> None:  # noqa: ARG001  # the database
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = "a-key-that-was-rotated-away"
    response = stale.get("/static/site.css")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # no deletion sent back
    page = stale.get("/")  # treated as anonymous all the same
    assert settings.SESSION_COOKIE_NAME not in page.cookies
    assert "Log in" in page.content.decode()


def test_a_log_out_still_deletes_the_cookie(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.PROSECUTOR])
    response = browser.post("/accounts/logout/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value == ""
    assert cookie["max-age"] == 0
