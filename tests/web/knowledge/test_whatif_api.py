"""GET /api/v1/what-if: public, validated like the rest of the API, the EU-signatories case."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

AS_OF = "2026-11-28"
EU_IN_FORCE = {"ratified": "all-eu", "in_force": "true", "as_of": AS_OF, "data": "subscriber"}
EU_MEMBER_STATES = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
}  # fmt: skip

pytestmark = pytest.mark.django_db


def _get(params: dict[str, str]) -> tuple[int, dict[str, Any]]:
    response = Client().get("/api/v1/what-if", params)
    return response.status_code, response.json()


def test_a_visitor_without_an_account_gets_the_comparison() -> None:
    status, body = _get(EU_IN_FORCE)
    assert status == 200
    assert body["schema"] == "cyberspex.what-if/1"
    assert body["as_of"] == AS_OF
    assert body["what_if"]["keywords"] == ["all-eu"]
    assert set(body["what_if"]["assumed"]) <= EU_MEMBER_STATES
    assert body["requests"] == {"data": ["subscriber"], "measure": "production", "emergency": None}


def test_eu_signatories_as_parties_open_article_7_towards_third_countries_and_nothing_between_member_states() -> None:
    status, body = _get({**EU_IN_FORCE, "limit": "100"})
    assert status == 200
    assert body["counts"]["by_route"]["2ap-7"]["opened"] > 0
    offset, rows = 0, []
    while True:
        _, page = _get({**EU_IN_FORCE, "offset": str(offset)})
        rows += page["rows"]["items"]
        offset += page["rows"]["limit"]
        if offset >= page["rows"]["count"]:
            break
    assert len(rows) == body["rows"]["count"] == sum(body["counts"]["total"].values())
    art7 = [r for r in rows if r["route"] == "2ap-7" and r["change"] == "opened"]
    assert any(r["issuing"] in EU_MEMBER_STATES and r["provider_state"] not in EU_MEMBER_STATES for r in art7)
    assert not [r for r in rows if r["issuing"] in EU_MEMBER_STATES and r["provider_state"] in EU_MEMBER_STATES]


def test_each_row_links_to_the_advisor_and_the_routes_api_with_the_same_facts_and_assumption() -> None:
    _, body = _get({**EU_IN_FORCE, "limit": "1"})
    row = body["rows"]["items"][0]
    assert row["explain"].startswith("/advisor/?")
    assert f"issuing={row['issuing']}" in row["explain"]
    assert "assume_in_force=on" in row["explain"]
    assert "assume_ratified=" + "%2C".join(body["what_if"]["ratified"]) in row["explain"]
    routes = Client().get(row["api"])
    assert routes.status_code == 200
    statuses = {r["id"]: r["status"] for r in routes.json()["routes"]}
    assert statuses[row["route"]] == row["after"]


def test_the_matrix_lists_each_changed_pair_with_its_counts() -> None:
    _, body = _get(EU_IN_FORCE)
    cells = body["matrix"]["cells"]
    assert cells
    assert len(cells) == body["counts"]["pairs_changed"]
    assert sum(c["opened"] + c["closed"] + c["changed"] for c in cells) == body["rows"]["count"]
    assert {c["issuing"] for c in cells} <= set(body["matrix"]["states"])


def test_a_state_already_party_changes_nothing() -> None:
    status, body = _get({"ratified": "JP", "in_force": "true", "as_of": AS_OF, "data": "subscriber"})
    assert status == 200
    assert body["what_if"]["already_parties"] == ["JP"]
    assert body["what_if"]["assumed"] == []
    assert body["protocol"]["what_if"]["in_force"] is True
    # Only the in-force switch acts: routes change between the States that really consented.
    assert body["rows"]["items"]
    parties = {"HU", "JP", "RS"}  # consents recorded in the data by 2026-11-28
    assert all({r["issuing"], r["provider_state"]} <= parties for r in body["rows"]["items"])


def test_without_in_force_the_answer_says_when_the_protocol_would_enter_into_force() -> None:
    status, body = _get({"ratified": "all-eu", "as_of": AS_OF, "data": "subscriber"})
    assert status == 200
    assert body["rows"]["count"] == 0
    assert body["protocol"]["today"]["entry_into_force"] is None
    assert body["protocol"]["what_if"]["entry_into_force"] > AS_OF


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({}, "ratified", "give the States"),
        ({"ratified": " , "}, "ratified", "give the States"),
        ({"ratified": "FR,QQ,ZZZ"}, "ratified", "unknown State codes: 'QQ', 'ZZZ'"),
        ({"ratified": ",".join(["FR"] * 101)}, "ratified", "too many codes (101)"),
        ({"ratified": "F" * 1001}, "ratified", "too long"),
        ({"ratified": "FR", "in_force": "yes"}, "in_force", "in_force must be true or false, not 'yes'"),
        ({"ratified": "FR", "in_force": "True"}, "in_force", "in_force must be true or false"),
        ({"ratified": "FR", "in_force": "1"}, "in_force", "in_force must be true or false"),
        ({"ratified": "FR", "as_of": "28/11/2026"}, "as_of", "is not a date"),
        ({"ratified": "FR", "as_of": "2026-02-30"}, "as_of", "is not a date"),
        ({"ratified": "FR", "data": "subscriber,dna"}, "data", "unknown data categories: 'dna'"),
        ({"ratified": "FR", "measure": "seizure"}, "measure", "measure 'seizure' is not one of"),
        ({"ratified": "FR", "emergency": "fire"}, "emergency", "emergency 'fire' is not one of"),
        ({"ratified": "FR", "limit": "0"}, "limit", "limit must be a whole number from 1 to 100"),
        ({"ratified": "FR", "offset": "-1"}, "offset", "offset must be a whole number"),
        ({"ratified": "FR", "offset": "9" * 5000}, "offset", "offset must be a whole number"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(params: dict[str, str], field: str, words: str) -> None:
    status, body = _get(params)
    assert status == 400
    assert body["field"] == field
    assert words in body["message"]


def test_every_problem_is_listed_not_only_the_first() -> None:
    status, body = _get({"ratified": "QQ", "in_force": "maybe", "data": "dna"})
    assert status == 400
    assert {e["field"] for e in body["extra"]["errors"]} == {"ratified", "in_force", "data"}


def test_a_state_that_cannot_become_a_party_is_named() -> None:
    status, body = _get({"ratified": "FR,CN"})  # China: a known State, not a Party to ETS 185
    assert status == 400
    assert "cannot treat CN as Parties" in body["message"]
    assert "Art 16(1)" in body["message"]


def test_aliases_and_case_are_normalised() -> None:
    _, lower = _get({"ratified": "el,fr", "as_of": AS_OF, "data": "subscriber", "in_force": "true"})
    assert lower["what_if"]["ratified"] == ["FR", "GR"]
