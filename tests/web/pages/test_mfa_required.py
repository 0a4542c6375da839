"""Every page added by accounts/urls.py and cases/urls.py needs the second factor, except the
log-in pages and the calendar feed (which authenticates with its secret token)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from cyberspex.web.accounts import urls as account_urls
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import urls as case_urls
from tests.web.conftest import Org

PUBLIC = {"accounts:login", "accounts:logout", "accounts:enrol", "cases:calendar_feed"}  # enrol: a one-time link
FRONT_DOOR = "cases:dashboard"  # "/": a visitor's GET gets the public front page (tested in test_public_pages.py)
PASSWORD_ONLY = {"accounts:mfa", "accounts:mfa_enrol", "accounts:mfa_recovery"}  # the second-factor pages themselves
SAMPLE = {"int": 1, "slug": "x", "str": "x"}


def _paths() -> list[tuple[str, str]]:
    found = []
    for module in (account_urls, case_urls):
        for pattern in module.urlpatterns:
            assert isinstance(pattern, URLPattern)
            converters = re.findall(r"<(\w+):(\w+)>", str(pattern.pattern))
            name = f"{module.app_name}:{pattern.name}"
            found.append((name, reverse(name, kwargs={key: SAMPLE[kind] for kind, key in converters})))
    return found


PATHS = _paths()
GUARDED = [(name, path) for name, path in PATHS if name not in PUBLIC | PASSWORD_ONLY]
GUARDED_PATHS = pytest.mark.parametrize("path", [path for _, path in GUARDED], ids=[name for name, _ in GUARDED])


def test_every_added_page_is_classified() -> None:
    names = {name for name, _ in PATHS}
    assert names >= PUBLIC | PASSWORD_ONLY
    assert len(GUARDED) == len(names) - len(PUBLIC | PASSWORD_ONLY) > 8


# Every guarded page, both methods, but the visitor's GET of the front door.
ANONYMOUS = [
    (name, path, method) for name, path in GUARDED for method in ("get", "post") if (name, method) != (FRONT_DOOR, "get")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "method"), [a[1:] for a in ANONYMOUS], ids=[f"{m}-{n}" for n, _, m in ANONYMOUS])
def test_it_sends_anonymous_visitors_to_the_log_in(client: Client, path: str, method: str) -> None:
    response = getattr(client, method)(path)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={quote(path)}")


@GUARDED_PATHS
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_a_password_only_session_to_the_second_factor(client: Client, fr: Org, path: str, method: str) -> None:
    client.force_login(fr[Role.INVESTIGATOR])
    response = getattr(client, method)(path)
    assert (response.status_code, response["Location"]) == (302, "/accounts/mfa/")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PASSWORD_ONLY))
def test_the_second_factor_pages_need_a_password_log_in(client: Client, name: str) -> None:
    assert client.get(reverse(name))["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_calendar_feed_answers_without_a_session(client: Client) -> None:
    response = client.get(reverse("cases:calendar_feed", kwargs={"token": "not-a-token"}))
    assert response.status_code == 404  # public, and an unknown token is simply not found


@pytest.mark.django_db
def test_the_stylesheet_is_served_to_everyone(client: Client) -> None:
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert b":focus-visible" in b"".join(response.streaming_content if response.streaming else [response.content])


@pytest.mark.django_db
def test_the_language_can_be_switched_before_logging_in(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert "Se connecter" in client.get("/accounts/login/").content.decode()
