"""The per-object access rule, endpoint by endpoint: every role × own or other organisation.

The cells are generated: an organisation's issuing roles act on its objects; an object of another
organisation does not exist for you (404, never a 403 that would reveal it); a role that can see
an object but not perform an action gets 403. Lists never contain another organisation's objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import product
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from cyberspex.web.accounts.access import GRANTS, Action
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases.models import Case, Request, State
from tests.web.conftest import Api, Org
from tests.web.helpers import CASE_FIELDS, JUSTIFICATION, REVIEW, form_data, make_case, make_request, move, verified_session

# Written out, not read from GRANTS, so that a change of GRANTS is a decision these tests notice.
WORKS_ON_CASES = frozenset({Role.INVESTIGATOR, Role.JUDGE, Role.PROSECUTOR, Role.OTHER_AUTHORITY, Role.SUPERVISOR})
WITHDRAWS = frozenset({Role.JUDGE, Role.PROSECUTOR, Role.OTHER_AUTHORITY, Role.SUPERVISOR})
VALIDATES = frozenset({Role.JUDGE, Role.PROSECUTOR, Role.SUPERVISOR})  # which orders: cases/approval.py


def test_it_grants_case_work_to_the_issuing_roles_and_withdrawal_to_those_who_may_issue() -> None:
    for action in (Action.VIEW_CASE, Action.EDIT_CASE, Action.DRAFT_REQUEST, Action.DOWNLOAD_PACKAGE):
        assert GRANTS[action] == WORKS_ON_CASES, action
    assert GRANTS[Action.WITHDRAW] == WITHDRAWS
    assert GRANTS[Action.ISSUE] == WITHDRAWS
    assert GRANTS[Action.APPROVE] == VALIDATES


@dataclass
class Target:
    """Objects of the French authority: a case, a draft request and an issued one with a deadline."""

    case: Case
    draft: Request
    issued: Request


def _target(fr: Org) -> Target:
    prosecutor = fr[Role.PROSECUTOR]
    case = make_case(prosecutor)
    draft = make_request(prosecutor, case)
    issued = move(prosecutor, make_request(prosecutor, case), "issued")
    return Target(case, draft, issued)


Call = Callable[[Api, User, Target], Any]


def _list_cases(api: Api, user: User, _: Target) -> Any:
    return api.get("/cases", user)


def _create_case(api: Api, user: User, _: Target) -> Any:
    body = {**CASE_FIELDS, "reference": "NEW-1", "retention_review_date": REVIEW.isoformat()}
    return api.post("/cases", body, user)


def _get_case(api: Api, user: User, target: Target) -> Any:
    return api.get(f"/cases/{target.case.pk}", user, justification=JUSTIFICATION)


def _create_request(api: Api, user: User, target: Target) -> Any:
    return api.post(f"/cases/{target.case.pk}/requests", {"form_id": "eu-epoc", "data": form_data("eu-epoc", "DE")}, user)


def _get_request(api: Api, user: User, target: Target) -> Any:
    return api.get(f"/requests/{target.draft.pk}", user)


def _withdraw(api: Api, user: User, target: Target) -> Any:
    return api.post(f"/requests/{target.draft.pk}/transitions", {"state": "withdrawn"}, user)


def _package(api: Api, user: User, target: Target) -> Any:
    return api.get(f"/requests/{target.issued.pk}/packages/provider", user)


def _deadlines(api: Api, user: User, _: Target) -> Any:
    return api.get("/deadlines", user)


def _tokens(_: Api, user: User, __: Target) -> Any:
    client = Client()
    verified_session(client, user)
    return client.post("/api/v1/tokens", {"name": "integration"}, content_type="application/json")


def _routes(api: Api, user: User, _: Target) -> Any:
    return api.get("/routes", user, issuing="FR", provider_state="DE", data="subscriber", as_of="2026-11-28")


def _always(status: int) -> Callable[[Role, bool], int]:
    return lambda _role, _own: status


def _object(ok: int) -> Callable[[Role, bool], int]:
    return lambda role, own: ok if own and role in WORKS_ON_CASES else 404


def _withdraw_status(role: Role, own: bool) -> int:
    if not (own and role in WORKS_ON_CASES):
        return 404
    return 200 if role in WITHDRAWS else 403


ENDPOINTS: dict[str, tuple[Call, Callable[[Role, bool], int]]] = {
    "list-cases": (_list_cases, _always(200)),
    "create-case": (_create_case, lambda role, _own: 201 if role in WORKS_ON_CASES else 403),
    "get-case": (_get_case, _object(200)),
    "create-request": (_create_request, _object(201)),
    "get-request": (_get_request, _object(200)),
    "transition": (_withdraw, _withdraw_status),
    "package": (_package, _object(200)),
    "deadlines": (_deadlines, _always(200)),
    "tokens": (_tokens, _always(201)),
    "routes": (_routes, _always(200)),
}
NOUN = {"get-case": "case", "create-request": "case", "get-request": "request", "transition": "request", "package": "request"}
PEOPLE = [pytest.param(role, own, id=f"{role.value}-{'own' if own else 'other'}") for role, own in product(Role, (True, False))]


def _wrong(endpoint: str, response: Any, *, expected: int, target: Target, user: User, own: bool) -> list[str]:
    """What is wrong with one cell's answer (empty when it is right)."""
    status, body = response.status_code, response.json()
    if status != expected:
        return [f"{endpoint}: {status}, expected {expected}: {body}"]
    wrong = []
    if status == 404 and body != {"message": f"{NOUN[endpoint]} not found", "field": None, "extra": {}}:
        wrong.append(f"{endpoint}: 404 body {body}")
    if status == 403 and set(body) != {"message", "field", "extra"}:
        wrong.append(f"{endpoint}: 403 body {body}")
    if endpoint in ("list-cases", "deadlines"):
        listed = {item["id"] if endpoint == "list-cases" else item["request_id"] for item in body["items"]}
        mine = {target.case.pk} if endpoint == "list-cases" else {target.issued.pk}
        if not own and listed & mine:
            wrong.append(f"{endpoint}: lists another organisation's object")
        if own and user.membership.role in WORKS_ON_CASES and not mine <= listed:
            wrong.append(f"{endpoint}: misses the organisation's own object")
    opened = Case.objects.get(pk=body["id"]) if endpoint == "create-case" and status == 201 else None
    if opened is not None and opened.organisation != user.membership.organisation:
        wrong.append(f"{endpoint}: case opened in another organisation")
    return wrong


@pytest.mark.parametrize(("role", "own"), PEOPLE)
def test_it_answers_every_endpoint_as_the_access_rule_says(fr: Org, de: Org, api: Api, role: Role, own: bool) -> None:
    """One row of the matrix: every endpoint, for one role of the owning or of another organisation."""
    target = _target(fr)
    user = (fr if own else de)[role]
    wrong = []
    for endpoint, (call, expected) in ENDPOINTS.items():
        wrong += _wrong(endpoint, call(api, user, target), expected=expected(role, own), target=target, user=user, own=own)
    target.draft.refresh_from_db()
    expected_state = State.WITHDRAWN if _withdraw_status(role, own) == 200 else State.DRAFT
    assert (wrong, target.draft.state) == ([], expected_state)


OBJECT_ENDPOINTS = [name for name, (_, expected) in ENDPOINTS.items() if expected(Role.AUDITOR, True) == 404]


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_it_answers_for_another_organisations_object_exactly_as_for_one_that_does_not_exist(
    fr: Org, de: Org, api: Api, endpoint: str
) -> None:
    target = _target(fr)
    call, _ = ENDPOINTS[endpoint]
    foreign = call(api, de[Role.SUPERVISOR], target)
    target.case.pk = target.draft.pk = target.issued.pk = 10**9  # ids that exist nowhere
    missing = call(api, de[Role.SUPERVISOR], target)
    assert (foreign.status_code, foreign.json()) == (missing.status_code, missing.json())
    assert foreign.status_code == 404


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_it_shows_a_provider_none_of_an_authoritys_objects(fr: Org, provider: Org, api: Api, endpoint: str) -> None:
    target = _target(fr)
    call, _ = ENDPOINTS[endpoint]
    assert call(api, provider[Role.RESPONDER], target).status_code == 404


def test_it_lists_for_a_provider_no_case_and_no_deadline(fr: Org, provider: Org, api: Api) -> None:
    _target(fr)
    # ``more``: the lists count only as far as one can page (api/errors.py BoundedPagination).
    assert api.get("/cases", provider[Role.RESPONDER]).json() == {"items": [], "count": 0, "more": False}
    assert api.get("/deadlines", provider[Role.RESPONDER]).json() == {"items": [], "count": 0, "more": False}


LIST_BUG = (
    "api.cases_list and api.deadlines_list filter on the organisation only and never ask access.can(VIEW_CASE): "
    "an auditor, administrator, curator... of the issuing authority lists its case references, titles and deadlines, "
    "while GET /cases/{id} answers them 404"
)


@pytest.mark.parametrize("path", ["/cases", "/deadlines"])
def test_it_lists_nothing_to_a_role_that_cannot_view_cases(fr: Org, api: Api, path: str) -> None:
    _target(fr)
    listing = {role.value: api.get(path, fr[role]).json()["items"] for role in Role if role not in WORKS_ON_CASES}
    assert not any(listing.values()), listing
