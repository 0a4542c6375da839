"""The search across the organisation's cases and requests, and the lists that show each
request's state and next open deadline in a fixed number of queries (search.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cyberspex.web.accounts.models import Role
from cyberspex.web.cases.models import Case, Deadline
from cyberspex.web.cases.search import case_requests, case_rows, search
from tests.web.conftest import Org
from tests.web.helpers import NOW, make_case, make_request, move


def _found(org: Org, query: str, role: Role = Role.PROSECUTOR) -> tuple[list[str], list[int]]:
    results = search(user=org[role], query=query, case_page=1, request_page=1, now=NOW)
    return [c.reference for c in results.cases.object_list], [r.pk for r in results.requests.object_list]


def test_it_finds_a_case_by_reference_title_offence_and_identifier(fr: Org) -> None:
    make_case(fr[Role.PROSECUTOR], "PAR-2026-00412")
    make_case(fr[Role.PROSECUTOR], "LYON-2026-7")
    assert _found(fr, "par-2026")[0] == ["PAR-2026-00412"]
    assert _found(fr, "j.doe.1987@mail")[0] == ["LYON-2026-7", "PAR-2026-00412"]  # newest first
    assert _found(fr, "313-1")[0] == ["LYON-2026-7", "PAR-2026-00412"]  # the offence's provisions
    assert _found(fr, "Code PÉNAL")[0] == ["LYON-2026-7", "PAR-2026-00412"]  # letters outside ASCII too
    assert _found(fr, "phishing against")[0] == ["LYON-2026-7", "PAR-2026-00412"]  # the title
    assert _found(fr, "nothing like this") == ([], [])


def test_it_finds_requests_by_form_state_recipient_and_case_reference(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    draft = make_request(fr[Role.PROSECUTOR], case, recipient_state="DE")
    issued = move(fr[Role.PROSECUTOR], make_request(fr[Role.PROSECUTOR], case, recipient_state="IE"), "issued")
    assert _found(fr, "issued")[1] == [issued.pk]
    assert _found(fr, "Draft")[1] == [draft.pk]
    assert _found(fr, "ie")[1] == [issued.pk]
    assert _found(fr, "eu-epoc")[1] == [issued.pk, draft.pk]
    assert _found(fr, case.reference)[1] == [issued.pk, draft.pk]


def test_it_never_finds_another_organisations_cases_or_requests(fr: Org, de: Org) -> None:
    theirs = make_case(de[Role.PROSECUTOR], "KOELN-1")
    make_request(de[Role.PROSECUTOR], theirs)
    make_case(fr[Role.PROSECUTOR], "PAR-1")
    assert _found(fr, "KOELN") == ([], [])
    assert _found(fr, "j.doe.1987") == (["PAR-1"], [])  # the same identifier in both: only one's own
    assert _found(fr, "eu-epoc") == ([], [])


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMINISTRATOR, Role.CENTRAL_AUTHORITY])
def test_a_role_that_cannot_view_cases_finds_nothing(fr: Org, role: Role) -> None:
    make_request(fr[Role.PROSECUTOR], make_case(fr[Role.PROSECUTOR]))
    assert _found(fr, "PAR", role) == ([], [])


def test_results_are_paginated_twenty_at_a_time(fr: Org) -> None:
    for number in range(21):
        make_case(fr[Role.PROSECUTOR], f"PAR-{number:03}")
    first = search(user=fr[Role.PROSECUTOR], query="PAR-", case_page=1, request_page=1, now=NOW)
    second = search(user=fr[Role.PROSECUTOR], query="PAR-", case_page=2, request_page=1, now=NOW)
    assert (first.cases.paginator.count, len(first.cases.object_list), len(second.cases.object_list)) == (21, 20, 1)


def test_a_request_row_shows_the_soonest_open_deadline_and_the_days_left(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    issued = move(fr[Role.PROSECUTOR], make_request(fr[Role.PROSECUTOR], case), "issued")
    draft = make_request(fr[Role.PROSECUTOR], case)
    open_ = issued.deadlines.filter(done_at__isnull=True).order_by("due_at")
    soonest = open_.first()
    assert soonest is not None
    rows = {row.request.pk: row for row in case_requests(case=case, now=NOW + timedelta(days=2))}
    assert rows[issued.pk].next_due_at == soonest.due_at
    assert rows[issued.pk].days_left == (soonest.due_at - NOW - timedelta(days=2)).days
    assert (rows[issued.pk].state_label, rows[draft.pk].state_label) == ("Issued", "Draft")
    assert (rows[draft.pk].next_due_at, rows[draft.pk].days_left) == (None, None)

    Deadline.objects.filter(pk=soonest.pk).update(done_at=NOW)  # done: the next one is shown
    later = open_.exclude(pk=soonest.pk).first()
    row = next(r for r in case_requests(case=case, now=NOW) if r.request.pk == issued.pk)
    assert row.next_due_at == (later.due_at if later else None)


def _cases_with_requests(org: Org, count: int) -> None:
    for number in range(count):
        case = make_case(org[Role.PROSECUTOR], f"PAR-{number:03}")
        move(org[Role.PROSECUTOR], make_request(org[Role.PROSECUTOR], case, recipient_state="IE"), "issued")
        make_request(org[Role.PROSECUTOR], case, recipient_state="IE")


def _queries(function: object) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()  # type: ignore[operator]  # a callable
    return len(captured.captured_queries)


def test_the_cases_list_takes_as_many_queries_for_twenty_cases_as_for_one(fr: Org, de: Org) -> None:
    _cases_with_requests(fr, 1)
    _cases_with_requests(de, 20)

    def listing(org: Org) -> object:
        cases = Case.objects.filter(organisation=org.organisation).order_by("-pk")
        return lambda: [len(row.requests) for row in case_rows(Paginator(cases, 20).get_page(1), NOW)]

    assert _queries(listing(fr)) == _queries(listing(de))


def test_the_requests_list_of_a_case_takes_one_query_however_many_requests(fr: Org) -> None:
    one, many = make_case(fr[Role.PROSECUTOR], "PAR-1"), make_case(fr[Role.PROSECUTOR], "PAR-20")
    move(fr[Role.PROSECUTOR], make_request(fr[Role.PROSECUTOR], one), "issued")
    for _ in range(20):
        move(fr[Role.PROSECUTOR], make_request(fr[Role.PROSECUTOR], many), "issued")
    assert _queries(lambda: case_requests(case=one, now=NOW)) == 1
    assert _queries(lambda: case_requests(case=many, now=NOW)) == 1


def test_the_search_takes_as_many_queries_for_twenty_results_as_for_one(fr: Org, de: Org) -> None:
    _cases_with_requests(fr, 1)
    _cases_with_requests(de, 20)
    count = {
        name: _queries(lambda org=org: search(user=org[Role.PROSECUTOR], query="PAR-", case_page=1, request_page=1, now=NOW))
        for name, org in (("one", fr), ("twenty", de))
    }
    assert count["one"] == count["twenty"]
