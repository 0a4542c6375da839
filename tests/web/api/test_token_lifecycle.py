"""An API token lives API_TOKEN_DAYS, can be listed and revoked by its owner and by an
administrator of the owner's organisation, dies with the log-out of the session that made it
and with its owner's deactivation; every later use answers 401 with the usual error body."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings

from cyberspex.web.accounts.models import ApiToken, Role
from cyberspex.web.api.auth import token_create
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.conftest import Api, Org
from tests.web.helpers import JUSTIFICATION, NOW, make_case, verified_session


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _cases(token: str) -> Any:
    return Client().get("/api/v1/cases", headers=_bearer(token))


def _revoke(client: Client, token_id: int, bearer: str | None = None) -> Any:
    return client.delete(f"/api/v1/tokens/{token_id}", headers=_bearer(bearer) if bearer else {})


def _refused(response: Any, reason: str) -> None:
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"message", "field", "extra"}
    assert body["extra"] == {"reason": reason}


def test_a_token_works_until_its_lifetime_ends_then_answers_401_expired(
    fr: Org, api: Api, clock: time_machine.Coordinates
) -> None:
    token = api.token(fr[Role.PROSECUTOR])
    assert ApiToken.objects.get().expires_at == NOW + timedelta(days=30)
    clock.move_to(NOW + timedelta(days=30) - timedelta(seconds=1))
    assert _cases(token).status_code == 200
    clock.move_to(NOW + timedelta(days=30))
    _refused(_cases(token), "expired")


@override_settings(API_TOKEN_DAYS=2)
def test_the_lifetime_of_a_new_token_is_the_setting(fr: Org, api: Api) -> None:
    api.token(fr[Role.PROSECUTOR])
    assert ApiToken.objects.get().expires_at == NOW + timedelta(days=2)


def test_an_unknown_token_answers_401_with_the_error_body(fr: Org, api: Api) -> None:  # noqa: ARG001  # the database
    response = _cases("not-a-token")
    assert response.status_code == 401
    assert set(response.json()) == {"message", "field", "extra"}


def test_the_owner_lists_their_own_tokens_without_the_secret_and_no_one_elses(fr: Org, api: Api) -> None:
    secret = api.token(fr[Role.PROSECUTOR])
    api.token(fr[Role.INVESTIGATOR])
    response = api.get("/tokens", fr[Role.PROSECUTOR])
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(t["owner"], t["name"], t["state"]) for t in items] == [("fr-prosecutor", "tests", "active")]
    assert secret not in response.content.decode()
    assert items[0]["expires_at"].startswith("2026-12-28T09:00:00")


def test_the_owner_revokes_a_token_and_every_later_use_answers_401_revoked(fr: Org, api: Api) -> None:
    token = api.token(fr[Role.PROSECUTOR])
    token_id = ApiToken.objects.get().pk
    response = _revoke(api.client, token_id, token)
    assert response.status_code == 204
    _refused(_cases(token), "revoked")
    stored = ApiToken.objects.get()
    assert (stored.revoked_at, stored.revoked_reason) == (NOW, "owner")
    entry = AuditEntry.objects.filter(event=Event.TOKEN).last()
    assert entry is not None
    assert (entry.actor, entry.object_type, entry.object_id) == ("fr-prosecutor", "api_token", str(token_id))
    assert (entry.details["action"], entry.details["reason"]) == ("revoked", "owner")
    assert verify().ok


def test_an_administrator_lists_and_revokes_the_tokens_of_their_own_organisation_only(fr: Org, de: Org, api: Api) -> None:
    colleague = api.token(fr[Role.INVESTIGATOR])
    foreign = api.token(de[Role.INVESTIGATOR])
    listed = api.get("/tokens", fr[Role.ADMINISTRATOR]).json()["items"]
    assert {t["owner"] for t in listed} == {"fr-investigator", "fr-administrator"}
    colleague_id = ApiToken.objects.get(user=fr[Role.INVESTIGATOR]).pk
    foreign_id = ApiToken.objects.get(user=de[Role.INVESTIGATOR]).pk
    admin = api.token(fr[Role.ADMINISTRATOR])
    assert _revoke(api.client, foreign_id, admin).status_code == 404
    assert _cases(foreign).status_code == 200
    assert _revoke(api.client, colleague_id, admin).status_code == 204
    _refused(_cases(colleague), "revoked")
    assert ApiToken.objects.get(pk=colleague_id).revoked_reason == "administrator"
    entry = AuditEntry.objects.filter(event=Event.TOKEN).last()
    assert entry is not None
    assert (entry.actor, entry.details["owner"]) == ("fr-administrator", "fr-investigator")


def test_a_colleague_who_is_not_an_administrator_cannot_revoke_someone_elses_token(fr: Org, api: Api) -> None:
    victim = api.token(fr[Role.INVESTIGATOR])
    victim_id = ApiToken.objects.get(user=fr[Role.INVESTIGATOR]).pk
    assert _revoke(api.client, victim_id, api.token(fr[Role.SUPERVISOR])).status_code == 404
    assert _cases(victim).status_code == 200


def test_a_verified_session_lists_and_revokes_but_a_session_without_the_second_factor_cannot(fr: Org, api: Api) -> None:
    api.token(fr[Role.PROSECUTOR])
    token_id = ApiToken.objects.get().pk
    unverified = Client()
    unverified.force_login(fr[Role.PROSECUTOR])
    assert unverified.get("/api/v1/tokens").status_code == 401
    assert _revoke(unverified, token_id).status_code == 401
    browser = Client()
    verified_session(browser, fr[Role.PROSECUTOR])
    assert [t["id"] for t in browser.get("/api/v1/tokens").json()["items"]] == [token_id]
    assert _revoke(browser, token_id).status_code == 204


def test_logging_out_revokes_the_tokens_that_session_created_and_no_others(fr: Org, api: Api) -> None:
    other = api.token(fr[Role.PROSECUTOR])  # made elsewhere (another session or a script)
    browser = Client()
    verified_session(browser, fr[Role.PROSECUTOR])
    made = browser.post("/api/v1/tokens", {"name": "from the browser"}, content_type="application/json")
    assert made.status_code == 201
    token = made.json()["token"]
    assert _cases(token).status_code == 200
    assert browser.post("/accounts/logout/").status_code == 302
    _refused(_cases(token), "revoked")
    assert ApiToken.objects.get(name="from the browser").revoked_reason == "logout"
    assert _cases(other).status_code == 200


def test_a_deactivated_users_tokens_answer_401(fr: Org, api: Api) -> None:
    token = api.token(fr[Role.PROSECUTOR])
    User.objects.filter(pk=fr[Role.PROSECUTOR].pk).update(is_active=False)
    _refused(_cases(token), "deactivated")


def test_reading_a_cases_personal_data_through_a_token_still_needs_a_justification(fr: Org, api: Api) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    refused = api.get(f"/cases/{case.pk}", fr[Role.INVESTIGATOR])
    assert (refused.status_code, refused.json()["field"]) == (422, "justification")
    assert "John Doe" not in refused.content.decode()
    read = api.get(f"/cases/{case.pk}", fr[Role.INVESTIGATOR], headers={"X-Justification": JUSTIFICATION})
    assert read.status_code == 200
    view = AuditEntry.objects.get(event=Event.VIEW)
    assert (view.actor, view.justification_text, view.object_id) == ("fr-investigator", JUSTIFICATION, str(case.pk))


def test_a_token_name_longer_than_100_characters_is_refused_with_its_field(fr: Org, client: Client) -> None:
    with time_machine.travel(NOW, tick=False):
        verified_session(client, fr[Role.PROSECUTOR])
        response = client.post("/api/v1/tokens", {"name": "x" * 101}, content_type="application/json")
    assert (response.status_code, response.json()["field"]) == (422, "name")


@pytest.mark.usefixtures("clock")
def test_creating_a_token_is_recorded_with_its_expiry(fr: Org) -> None:
    token_create(user=fr[Role.AUDITOR], name="SIEM", verified=True, now=NOW)
    entry = AuditEntry.objects.get()
    assert entry.details["action"] == "created"
    assert entry.details["expires_at"] == (NOW + timedelta(days=30)).isoformat()


PEOPLE = [pytest.param(role, own, id=f"{role.value}-{'own' if own else 'other'}") for role in Role for own in (True, False)]


@pytest.mark.parametrize(("role", "own"), PEOPLE)
def test_only_the_owner_and_an_administrator_of_the_same_organisation_revoke_a_token(
    fr: Org, de: Org, api: Api, role: Role, own: bool
) -> None:
    owner = fr[Role.INVESTIGATOR]
    target = api.token(owner)
    target_id = ApiToken.objects.get(user=owner).pk
    caller = (fr if own else de)[role]
    expected = 204 if own and role in (Role.INVESTIGATOR, Role.ADMINISTRATOR) else 404
    response = _revoke(api.client, target_id, api.token(caller))
    assert response.status_code == expected
    if expected == 404:
        assert response.json() == {"message": "API token not found", "field": None, "extra": {}}
        assert _cases(target).status_code == 200
    else:
        _refused(_cases(target), "revoked")
