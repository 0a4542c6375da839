"""Lists that do not grow with the table: each page and list API takes the same number of
queries for 3 rows as for 30, reads a person's membership once per request, and the list APIs
still refuse pagination parameters out of bounds with a clear answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cyberspex.web import paging
from cyberspex.web.accounts.access import membership, membership_read_once
from cyberspex.web.accounts.models import Membership, Role
from cyberspex.web.api import errors
from cyberspex.web.benchdata import add_requests
from cyberspex.web.cases import search, selectors
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, verified_session

FEW, MANY = 3, 30


@pytest.fixture
def few_and_many(fr: Org, de: Org) -> tuple[Org, Org]:
    """``fr`` with 3 requests (and their cases, deadlines and audit records), ``de`` with 30."""
    add_requests(organisation=fr.organisation, user=fr[Role.PROSECUTOR], count=FEW, now=NOW)
    add_requests(organisation=de.organisation, user=de[Role.PROSECUTOR], count=MANY, now=NOW)
    return fr, de


def _queries(run: Callable[[], object]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [q["sql"] for q in captured.captured_queries]


def _page(org: Org, path: str) -> list[str]:
    client = Client()
    verified_session(client, org[Role.PROSECUTOR])

    def get() -> None:
        response = client.get(path)
        assert response.status_code == 200, path

    get()  # the session's first page may refresh what it keeps; count the next one
    return _queries(get)


@pytest.mark.parametrize("path", ["/", "/?page=2", "/search/?q=BENCH", "/search/?q=draft"])
def test_a_page_takes_as_many_queries_for_thirty_rows_as_for_three(few_and_many: tuple[Org, Org], path: str) -> None:
    few, many = few_and_many
    assert len(_page(few, path)) == len(_page(many, path))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the plan of SQLite; PostgreSQL's depends on table sizes")
def test_the_request_search_reads_the_organisations_index_alone(few_and_many: tuple[Org, Org]) -> None:
    _, many = few_and_many
    user = many[Role.PROSECUTOR]
    searched = _queries(lambda: search.search(user=user, query="draft", case_page=1, request_page=1, now=NOW))
    counted = next(sql for sql in searched if sql.startswith("SELECT COUNT(*)") and "cases_request" in sql)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {counted}")
        plan = [row[3] for row in cursor.fetchall()]
    assert any("USING COVERING INDEX request_org_newest" in step for step in plan), plan
    assert not any(step.startswith("SCAN cases_request") for step in plan), plan


def test_the_dashboard_reads_the_membership_once(few_and_many: tuple[Org, Org]) -> None:
    _, many = few_and_many
    assert sum("accounts_membership" in sql for sql in _page(many, "/")) == 1


@pytest.mark.parametrize(
    ("path", "role", "query"),
    [
        ("/cases", Role.PROSECUTOR, {}),
        ("/cases", Role.PROSECUTOR, {"offset": 2, "limit": 5}),
        ("/deadlines", Role.PROSECUTOR, {}),
        ("/search", Role.PROSECUTOR, {"q": "BENCH"}),
        ("/audit", Role.AUDITOR, {"justification": "monthly review", "event": "create"}),
    ],
)
def test_a_list_api_takes_as_many_queries_for_thirty_rows_as_for_three(
    few_and_many: tuple[Org, Org], api: Api, path: str, role: Role, query: dict[str, object]
) -> None:
    few, many = few_and_many

    def listed(org: Org) -> int:
        api.get(path, org[role], **query)  # the token is made and first used outside the count

        def get() -> None:
            response = api.get(path, org[role], **query)
            assert response.status_code == 200, response.content

        return len(_queries(get))

    assert listed(few) == listed(many)


def test_the_lists_show_the_rows_of_ones_own_organisation_only(few_and_many: tuple[Org, Org], api: Api) -> None:
    few, many = few_and_many
    assert (
        api.get("/cases", few[Role.PROSECUTOR]).json()["count"],
        api.get("/cases", many[Role.PROSECUTOR]).json()["count"],
    ) == (
        1,
        8,
    )
    deadlines = api.get("/deadlines", many[Role.PROSECUTOR], limit=100).json()["items"]
    assert [d["due_at"] for d in deadlines] == sorted(d["due_at"] for d in deadlines)


def test_a_list_api_counts_only_as_far_as_one_can_page_and_says_when_more_follow(
    few_and_many: tuple[Org, Org], api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, many = few_and_many  # 8 cases
    monkeypatch.setattr(errors, "COUNT_AHEAD_PAGES", 1)

    def listed(offset: int) -> tuple[int, int, bool]:
        found = api.get("/cases", many[Role.PROSECUTOR], limit=3, offset=offset).json()
        return len(found["items"]), found["count"], found["more"]

    assert listed(0) == (3, 6, True)  # counted to this page and one more: "more than 6"
    assert listed(3) == (3, 8, False)
    assert listed(6) == (2, 8, False)


def test_the_case_list_pages_on_past_what_it_counted(few_and_many: tuple[Org, Org], monkeypatch: pytest.MonkeyPatch) -> None:
    _, many = few_and_many  # 8 cases: 4 pages of 2
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "COUNT_AHEAD_PAGES", 1)
    client = Client()
    verified_session(client, many[Role.PROSECUTOR])
    first = client.get("/").content.decode()
    assert "Page 1 of more than 2" in first
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    last = client.get("/", {"page": 4}).content.decode()
    assert "Page 4 of 4" in last
    assert 'rel="prev"' in last
    assert 'rel="next"' not in last


def test_the_search_says_more_than_it_counted(few_and_many: tuple[Org, Org], api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    _, many = few_and_many  # 8 cases, 30 requests, every reference "BENCH-…"
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "COUNT_AHEAD_PAGES", 1)
    client = Client()
    verified_session(client, many[Role.PROSECUTOR])
    page = client.get("/search/", {"q": "BENCH"}).content.decode()
    assert "More than 4 cases" in page
    assert "More than 4 requests" in page
    found = api.get("/search", many[Role.PROSECUTOR], q="BENCH").json()
    assert (found["cases_count"], found["cases_more"], found["requests_count"], found["requests_more"]) == (4, True, 4, True)
    last = api.get("/search", many[Role.PROSECUTOR], q="BENCH", page=15).json()  # requests 29-30
    assert (last["requests_count"], last["requests_more"], len(last["requests"])) == (30, False, 2)


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"offset": -1}, "offset"), ({"limit": "ten"}, "limit")],
)
def test_list_pagination_still_refuses_parameters_out_of_bounds(fr: Org, api: Api, query: dict[str, object], field: str) -> None:
    response = api.get("/cases", fr[Role.PROSECUTOR], **query)
    assert response.status_code in {400, 422}
    assert field in response.content.decode()


def test_a_membership_read_once_is_read_again_when_it_changes(fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    with membership_read_once():
        first = membership(prosecutor)
        assert len(_queries(lambda: membership(prosecutor))) == 0  # read once in the request
        assert first is not None
        Membership.objects.filter(pk=first.pk).get().save()  # a change (saved): read again
        assert len(_queries(lambda: membership(prosecutor))) == 1
    assert len(_queries(lambda: membership(prosecutor))) == 1  # outside a request: every call reads
