"""Every page but the public ones needs a log-in that passed the second factor."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.test import Client

from cyberspex.web.accounts.models import Role
from tests.web.conftest import Org
from tests.web.helpers import verified_session

PAGE = "/no-such-page/"  # the middleware decides before any view is looked up


@pytest.mark.django_db
def test_it_sends_an_anonymous_visitor_to_the_log_in_page(client: Client) -> None:
    response = client.get(PAGE)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={PAGE}")


def test_it_sends_a_user_who_skipped_the_second_factor_to_it(fr: Org, client: Client) -> None:
    client.force_login(fr[Role.PROSECUTOR])
    response = client.get(PAGE)
    assert (response.status_code, response["Location"]) == (302, "/accounts/mfa/")


def test_it_lets_a_user_who_skipped_the_second_factor_reach_the_second_factor_pages(fr: Org, client: Client) -> None:
    client.force_login(fr[Role.PROSECUTOR])
    response = client.get("/accounts/mfa/")
    assert response.get("Location") != "/accounts/mfa/"


def test_it_lets_a_verified_user_through(fr: Org, client: Client) -> None:
    verified_session(client, fr[Role.PROSECUTOR])
    assert client.get(PAGE).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [("/healthz", 200), ("/api/v1/openapi.json", 200), ("/api/v1/routes", 422), ("/api/v1/cases", 401)],
)
def test_it_leaves_the_public_pages_and_the_api_to_answer_for_themselves(client: Client, path: str, status: int) -> None:
    assert client.get(path).status_code == status


@pytest.mark.django_db
def test_it_sends_the_visitor_back_to_exactly_the_page_asked_for(client: Client) -> None:
    path = "/cases/1&next=//evil.example/"
    location = client.get(path)["Location"]
    # One next parameter, naming the whole path (Django percent-encodes "=" inside a path).
    assert [unquote(value) for value in parse_qs(urlsplit(location).query)["next"]] == [path]
