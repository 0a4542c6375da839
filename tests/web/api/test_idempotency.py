"""Drafting a request is idempotent per case and ``Idempotency-Key``."""

from __future__ import annotations

from typing import Any

import pytest

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.models import Case, Request
from tests.web.conftest import Api, Org
from tests.web.helpers import form_data, make_case

BODY = {"form_id": "eu-epoc", "data": form_data("eu-epoc", "DE")}


def _draft(api: Api, org: Org, case: Case, key: str | None, body: dict[str, Any] = BODY) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post(f"/cases/{case.pk}/requests", body, org[Role.PROSECUTOR], headers=headers)


def _created_records() -> int:
    return AuditEntry.objects.filter(event=Event.CREATE, object_type="request").count()


@pytest.fixture
def case(fr: Org) -> Case:
    return make_case(fr[Role.PROSECUTOR])


def test_it_creates_one_request_for_two_posts_with_the_same_key(fr: Org, api: Api, case: Case) -> None:
    first, second = _draft(api, fr, case, "0f5c7b6e-retry"), _draft(api, fr, case, "0f5c7b6e-retry")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert Request.objects.count() == 1
    assert _created_records() == 1


def test_it_returns_the_first_request_even_if_the_retry_differs(fr: Org, api: Api, case: Case) -> None:
    first = _draft(api, fr, case, "k")
    retry = _draft(api, fr, case, "k", {"form_id": "eu-epoc-pr", "data": form_data("eu-epoc-pr", "DE")})
    assert (retry.status_code, retry.json()["id"], retry.json()["form_id"]) == (200, first.json()["id"], "eu-epoc")


def test_it_creates_two_requests_for_two_keys(fr: Org, api: Api, case: Case) -> None:
    first, second = _draft(api, fr, case, "key-1"), _draft(api, fr, case, "key-2")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert _created_records() == 2


@pytest.mark.parametrize("key", [None, ""], ids=["no-header", "empty-header"])
def test_it_creates_a_request_each_time_without_a_key(fr: Org, api: Api, case: Case, key: str | None) -> None:
    statuses = [_draft(api, fr, case, key).status_code for _ in range(3)]
    assert statuses == [201, 201, 201]
    assert Request.objects.count() == 3


def test_it_scopes_a_key_to_its_case(fr: Org, de: Org, api: Api, case: Case) -> None:
    other_case = make_case(fr[Role.PROSECUTOR], "PAR-2026-00999")
    foreign_case = make_case(de[Role.PROSECUTOR])
    statuses = [
        _draft(api, fr, case, "same").status_code,
        _draft(api, fr, other_case, "same").status_code,
        _draft(api, de, foreign_case, "same").status_code,
    ]
    assert statuses == [201, 201, 201]
    assert Request.objects.filter(idempotency_key="same").count() == 3


def test_it_does_not_reveal_another_organisations_request_through_its_key(fr: Org, de: Org, api: Api, case: Case) -> None:
    _draft(api, fr, case, "guessable")
    response = _draft(api, de, case, "guessable")
    assert response.status_code == 404
    assert "route_advice" not in response.json()


def test_it_refuses_a_key_longer_than_100_characters_rather_than_cut_it(fr: Org, api: Api, case: Case) -> None:
    response = _draft(api, fr, case, "x" * 101)
    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"
    assert not Request.objects.exists()
