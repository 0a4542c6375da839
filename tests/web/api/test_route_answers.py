"""``GET /api/v1/routes`` as a lookup: compact JSON equal to the command line's, an ETag that
names the data version, the date, the query and the language, 304 on ``If-None-Match``, a
cache lifetime that never outlives the answer, and a repeated query not evaluated again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from cyberspex.cli.main import main
from cyberspex.forms import route_answer
from cyberspex.web.api import route_answers
from cyberspex.web.knowledge import reference

# The reference data in use includes the published curation changes (knowledge/reference.py).
pytestmark = pytest.mark.django_db

QUERY = {"issuing": "FR", "provider_state": "US", "data": "subscriber", "as_of": "2026-11-28"}
ARGV = ["route", "--json", "--issuing", "FR", "--provider-state", "US", "--data", "subscriber", "--as-of", "2026-11-28"]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    route_answers.ANSWERS.clear()
    yield
    route_answers.ANSWERS.clear()


@pytest.fixture
def assessments(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The scenarios assessed by the route answer, one entry per evaluation."""
    calls: list[Any] = []
    real = route_answer.assess

    def counted(data: Any, scenario: Any) -> Any:
        calls.append(scenario)
        return real(data, scenario)

    monkeypatch.setattr(route_answer, "assess", counted)
    return calls


def test_the_body_is_compact_json_equal_to_the_command_lines(client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    response = client.get("/api/v1/routes", QUERY)
    assert main(ARGV) == 0
    printed = capsys.readouterr().out
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert json.loads(response.content) == json.loads(printed)
    assert b"\n" not in response.content
    assert len(response.content) < len(printed.encode())


def test_a_repeated_query_is_not_evaluated_again(client: Client, assessments: list[Any]) -> None:
    first = client.get("/api/v1/routes", QUERY)
    again = client.get("/api/v1/routes", {**QUERY, "issuing": "fr"})  # the same query, normalised
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.content == again.content
    assert len(assessments) == 1


def test_another_query_or_language_is_evaluated_and_kept_apart(client: Client, assessments: list[Any]) -> None:
    english = client.get("/api/v1/routes", QUERY)
    french = client.get("/api/v1/routes", {**QUERY, "lang": "fr"})
    other = client.get("/api/v1/routes", {**QUERY, "provider_state": "JP"})
    assert len({english.content, french.content, other.content}) == 3
    assert len(assessments) == 3
    assert len(route_answers.ANSWERS) == 3


def test_the_etag_is_stable_across_calls(client: Client) -> None:
    first = client.get("/api/v1/routes", QUERY)
    route_answers.ANSWERS.clear()  # rendered again: the same ETag, from the same inputs
    again = client.get("/api/v1/routes", QUERY)
    assert first["ETag"] == again["ETag"]
    assert first["ETag"].startswith('"')
    assert not first["ETag"].startswith("W/")  # strong


@pytest.mark.parametrize(
    "change",
    [{"as_of": "2026-11-29"}, {"provider_state": "JP"}, {"data": "traffic"}, {"assume_in_force": "true"}, {"lang": "de"}],
    ids=["date", "provider", "data", "what-if", "language"],
)
def test_the_etag_changes_with_the_date_the_query_and_the_language(client: Client, change: dict[str, str]) -> None:
    assert client.get("/api/v1/routes", QUERY)["ETag"] != client.get("/api/v1/routes", {**QUERY, **change})["ETag"]


def test_the_etag_changes_with_the_data_version(client: Client, monkeypatch: pytest.MonkeyPatch, assessments: list[Any]) -> None:
    before = client.get("/api/v1/routes", QUERY)
    data = reference.current_reference()
    monkeypatch.setattr(route_answers, "latest_publication", lambda: (7, "0123456789abcdef"))
    monkeypatch.setattr(route_answers, "reference_at", lambda number, fingerprint: data)  # noqa: ARG005
    after = client.get("/api/v1/routes", QUERY)
    assert before["ETag"] != after["ETag"]
    assert len(assessments) == 2  # a new data version is evaluated again


def test_if_none_match_with_the_etag_is_304_without_a_body(client: Client, assessments: list[Any]) -> None:
    etag = client.get("/api/v1/routes", QUERY)["ETag"]
    route_answers.ANSWERS.clear()
    response = client.get("/api/v1/routes", QUERY, headers={"If-None-Match": etag})
    assert (response.status_code, response.content, response["ETag"]) == (304, b"", etag)
    assert "max-age=" in response["Cache-Control"]
    assert len(assessments) == 1  # not rendered to answer 304


def test_if_none_match_with_another_etag_is_the_full_answer(client: Client) -> None:
    response = client.get("/api/v1/routes", QUERY, headers={"If-None-Match": '"0000", W/"1111"'})
    assert response.status_code == 200
    assert json.loads(response.content)["schema"] == "cyberspex.route/1"


def test_a_weak_copy_of_the_etag_still_matches(client: Client) -> None:
    etag = client.get("/api/v1/routes", QUERY)["ETag"]
    assert client.get("/api/v1/routes", QUERY, headers={"If-None-Match": f"W/{etag}"}).status_code == 304


def test_a_dated_answer_is_public_for_five_minutes(client: Client) -> None:
    assert client.get("/api/v1/routes", QUERY)["Cache-Control"] == "public, max-age=300"


def test_todays_answer_is_never_kept_past_midnight_utc(client: Client) -> None:
    undated = {k: v for k, v in QUERY.items() if k != "as_of"}
    with time_machine.travel(datetime(2026, 11, 28, 23, 58, 30, tzinfo=UTC), tick=False):
        response = client.get("/api/v1/routes", undated)
    assert response["Cache-Control"] == "public, max-age=90"
    assert json.loads(response.content)["as_of"] == "2026-11-28"


def test_the_lifetime_is_the_shorter_of_five_minutes_and_the_time_to_midnight() -> None:
    assert route_answers.max_age(datetime(2026, 11, 28, 9, 0, tzinfo=UTC), dated=False) == 300
    assert route_answers.max_age(datetime(2026, 11, 28, 23, 59, 59, tzinfo=UTC), dated=False) == 1
    assert route_answers.max_age(datetime(2026, 11, 28, 23, 59, 59, tzinfo=UTC), dated=True) == 300


def test_the_language_comes_from_lang_not_accept_language(client: Client) -> None:
    plain = client.get("/api/v1/routes", QUERY)
    asked = client.get("/api/v1/routes", QUERY, headers={"Accept-Language": "fr"})
    assert (plain.content, plain["ETag"]) == (asked.content, asked["ETag"])
    assert (asked["Content-Language"], client.get("/api/v1/routes", {**QUERY, "lang": "de"})["Content-Language"]) == ("en", "de")


def test_a_refused_query_is_not_kept(client: Client, assessments: list[Any]) -> None:
    inconsistent = {**QUERY, "entity": "registrar"}  # a registrar holds domain registration data only
    for _ in range(2):
        response = client.get("/api/v1/routes", inconsistent)
        body = response.json()
        assert (response.status_code, body["field"]) == (400, "entity")
        assert "entity registrar cannot be combined with data subscriber" in body["message"]
        assert "ETag" not in response
    assert (len(assessments), len(route_answers.ANSWERS)) == (0, 0)


def test_an_impossible_assumption_names_its_parameter(client: Client) -> None:
    response = client.get("/api/v1/routes", {**QUERY, "assume_ratified": "FR,XX"})
    body = response.json()
    assert (response.status_code, body["field"]) == (400, "assume_ratified")
    assert "unknown State code 'XX' for assume_ratified" in body["message"]


def test_the_cache_is_bounded_and_forgets_the_least_recently_used() -> None:
    cache = route_answers.AnswerCache(size=2)
    cache.put(("v", "a", "en"), b"a")
    cache.put(("v", "b", "en"), b"b")
    assert cache.get(("v", "a", "en")) == b"a"  # now the most recently used
    cache.put(("v", "c", "en"), b"c")
    assert (cache.get(("v", "a", "en")), cache.get(("v", "b", "en")), cache.get(("v", "c", "en"))) == (b"a", None, b"c")
    assert len(cache) == 2
