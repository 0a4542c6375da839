"""API tokens are made only from a browser session that passed the second factor."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from cyberspex.web.accounts.models import ApiToken, Role
from cyberspex.web.api.auth import digest, token_create
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, verified_session


def _create(client: Client, name: str = "integration") -> Any:
    return client.post("/api/v1/tokens", {"name": name}, content_type="application/json")


@pytest.mark.usefixtures("clock")
def test_it_refuses_a_token_to_a_session_that_did_not_pass_the_second_factor(fr: Org, client: Client) -> None:
    client.force_login(fr[Role.PROSECUTOR])
    response = _create(client)
    assert response.status_code == 403
    assert set(response.json()) == {"message", "field", "extra"}
    assert "second factor" in response.json()["message"]
    assert not ApiToken.objects.exists()


@pytest.mark.usefixtures("clock")
def test_it_refuses_a_token_without_a_session(fr: Org, api: Api) -> None:
    assert _create(api.client).status_code == 401
    bearer = api.token(fr[Role.PROSECUTOR])  # a token cannot be used to make another one
    response = api.client.post(
        "/api/v1/tokens", {"name": "x"}, content_type="application/json", headers={"Authorization": f"Bearer {bearer}"}
    )
    assert response.status_code == 401
    assert ApiToken.objects.count() == 1


@pytest.mark.usefixtures("clock")
def test_it_gives_a_verified_session_a_working_token_once_and_records_it(fr: Org, client: Client) -> None:
    verified_session(client, fr[Role.AUDITOR])
    response = _create(client, "SIEM export")
    assert response.status_code == 201
    token = response.json()["token"]
    stored = ApiToken.objects.get()
    assert (stored.user, stored.name, stored.digest, stored.created_at) == (fr[Role.AUDITOR], "SIEM export", digest(token), NOW)
    entry = AuditEntry.objects.get()
    assert (entry.event, entry.actor, entry.organisation, entry.object_type, entry.object_id) == (
        Event.TOKEN,
        "fr-auditor",
        fr.organisation.name,
        "api_token",
        str(stored.pk),
    )
    assert entry.details == {
        "kind": "api_token",
        "action": "created",
        "name": "SIEM export",
        "owner": "fr-auditor",
        "expires_at": stored.expires_at.isoformat(),
    }
    assert Client().get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert verify().ok


@pytest.mark.usefixtures("clock")
def test_it_wants_a_name_for_a_token(fr: Org, client: Client) -> None:
    verified_session(client, fr[Role.PROSECUTOR])
    response = _create(client, "  ")
    assert (response.status_code, response.json()["field"]) == (422, "name")


def test_it_refuses_to_create_a_token_for_an_unverified_caller_in_the_service(fr: Org) -> None:
    with pytest.raises(ApplicationError) as refused:
        token_create(user=fr[Role.PROSECUTOR], name="x", verified=False, now=NOW)
    assert refused.value.status == 403
    assert not AuditEntry.objects.exists()


@pytest.mark.usefixtures("clock")
def test_it_requires_the_csrf_token_to_create_a_token_from_a_session(fr: Org) -> None:
    browser = Client(enforce_csrf_checks=True)
    verified_session(browser, fr[Role.PROSECUTOR])
    assert _create(browser).status_code == 403
