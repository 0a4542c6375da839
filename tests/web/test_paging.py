"""Pages counted only as far as one can page (web/paging.py): the first, a middle and the last
page show the right rows and say honestly whether more follow; rows with the same time come in
one stable order (every row on exactly one page); a page number that is not one never fails."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet

from cyberspex.web.accounts.models import Role
from cyberspex.web.benchdata import REQUESTS_PER_CASE, add_requests
from cyberspex.web.cases.models import Case
from cyberspex.web.paging import MAX_PAGE, BoundedPaginator, bounded_page, wanted_page
from tests.web.conftest import Org
from tests.web.helpers import NOW

CASES, PER_PAGE, AHEAD = 11, 2, 4  # 6 pages; the count stops 2 pages past the one asked for


@pytest.fixture
def cases(fr: Org) -> QuerySet[Case]:
    add_requests(organisation=fr.organisation, user=fr[Role.PROSECUTOR], count=CASES * REQUESTS_PER_CASE, now=NOW)
    return Case.objects.filter(organisation=fr.organisation).order_by("-created_at", "-pk")


def _page(cases: QuerySet[Case], number: object) -> tuple[int, list[int], int, bool, bool]:
    page = BoundedPaginator(cases, PER_PAGE, page=number, ahead=AHEAD).get_page(wanted_page(number))
    paginator = page.paginator
    assert isinstance(paginator, BoundedPaginator)
    return page.number, [c.pk for c in page.object_list], paginator.count, paginator.more, page.has_next()


def test_the_first_page_counts_only_a_few_pages_ahead_and_says_more_follow(cases: QuerySet[Case]) -> None:
    ids = list(cases.values_list("pk", flat=True))
    assert _page(cases, 1) == (1, ids[:2], PER_PAGE + AHEAD, True, True)


def test_a_middle_page_shows_its_rows_and_counts_past_itself(cases: QuerySet[Case]) -> None:
    ids = list(cases.values_list("pk", flat=True))
    assert _page(cases, 3) == (3, ids[4:6], 3 * PER_PAGE + AHEAD, True, True)


def test_the_last_page_is_counted_exactly(cases: QuerySet[Case]) -> None:
    ids = list(cases.values_list("pk", flat=True))
    assert _page(cases, 6) == (6, ids[10:], CASES, False, False)
    assert _page(cases, 9) == (6, ids[10:], CASES, False, False)  # past the end: the last page


def test_rows_of_the_same_time_come_each_on_exactly_one_page(cases: QuerySet[Case]) -> None:
    cases.update(created_at=NOW)
    shown = [pk for number in range(1, 7) for pk in _page(cases, number)[1]]
    assert sorted(shown) == sorted(cases.values_list("pk", flat=True))
    assert len(shown) == CASES


@pytest.mark.parametrize("tampered", ["abc", "", None, "-3", "0", "2.5", "1e9", "9" * 40, "1; DROP TABLE cases_case"])
def test_a_page_number_that_is_not_one_gives_the_first_page_or_the_last(cases: QuerySet[Case], tampered: object) -> None:
    page = bounded_page(cases, PER_PAGE, tampered)
    assert page.number in (1, 6)
    assert len(page.object_list) in (1, 2)


def test_the_page_number_asked_for_is_bounded() -> None:
    assert [wanted_page(n) for n in ("7", 7, "x", None, "-1", "9" * 40)] == [7, 7, 1, 1, 1, MAX_PAGE]
