"""A session ends SESSION_ABSOLUTE_HOURS after its log-in however active it is, and nothing
sent to a logged-in session or a token holder may be stored by a browser or a proxy."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings

from cyberspex.web.accounts.models import Role
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, make_case, verified_session


def _active_until(client: Client, clock: time_machine.Coordinates, hours: float) -> None:
    """Use the session every 20 minutes (well within the idle timeout) for ``hours``."""
    for step in range(int(hours * 3)):
        clock.move_to(NOW + timedelta(minutes=20 * (step + 1)))
        assert client.get("/").status_code == 200


@override_settings(SESSION_ABSOLUTE_HOURS=2)
def test_an_active_session_ends_at_its_absolute_lifetime(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = Client()
    verified_session(browser, fr[Role.INVESTIGATOR])
    _active_until(browser, clock, 1.67)  # 100 minutes of activity: still logged in
    clock.move_to(NOW + timedelta(hours=2))
    response = browser.get("/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/")
    assert "_auth_user_id" not in browser.session


@override_settings(SESSION_ABSOLUTE_HOURS=2)
def test_the_absolute_lifetime_also_ends_session_access_to_the_api(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = Client()
    verified_session(browser, fr[Role.INVESTIGATOR])
    assert browser.get("/api/v1/tokens").status_code == 200
    _active_until(browser, clock, 1.67)
    clock.move_to(NOW + timedelta(hours=2, minutes=1))
    assert browser.get("/api/v1/tokens").status_code == 401


@override_settings(SESSION_ABSOLUTE_HOURS=2)
def test_a_new_log_in_starts_a_new_lifetime(fr: Org, clock: time_machine.Coordinates) -> None:
    browser = Client()
    verified_session(browser, fr[Role.INVESTIGATOR])
    _active_until(browser, clock, 1.67)
    verified_session(browser, fr[Role.INVESTIGATOR])  # logs in again
    clock.move_to(NOW + timedelta(hours=2, minutes=5))  # past 2 h from the first log-in
    assert browser.get("/").status_code == 200


@pytest.mark.usefixtures("clock")
def test_pages_for_a_logged_in_user_are_never_stored(fr: Org) -> None:
    browser = Client()
    verified_session(browser, fr[Role.INVESTIGATOR])
    case = make_case(fr[Role.INVESTIGATOR])
    for path in ("/", f"/cases/{case.pk}/", "/accounts/tokens/"):
        assert "no-store" in browser.get(path)["Cache-Control"], path


def test_api_answers_to_a_token_are_never_stored(fr: Org, api: Api) -> None:
    for path in ("/cases", "/tokens", "/deadlines"):
        response = api.get(path, fr[Role.INVESTIGATOR])
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    refused = api.client.get("/api/v1/cases", headers={"Authorization": "Bearer wrong"})
    assert "no-store" in refused["Cache-Control"]


@pytest.mark.django_db
def test_the_public_log_in_page_may_be_cached_as_usual(client: Client) -> None:
    assert "no-store" not in client.get("/accounts/login/").get("Cache-Control", "")
