"""Pages of a list counted only as far as someone can page: the rows are counted up to
``COUNT_AHEAD_PAGES`` pages past the page asked for, never to the end of the table.

An organisation with 25,000 cases asking for page 1 of its case list counts at most 221 rows
(from the index of its cases, newest first), and its page shows "Page 1 of more than 11": the
truth, and enough to page on. Asking for page 60 counts up to 70 pages of rows, about the cost
of the offset that page needs anyway. When fewer rows remain, the count is exact (the last page
is the real last page).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet

COUNT_AHEAD_PAGES = 10  # pages counted past the one asked for
MAX_PAGE = 1_000_000  # a page number past any list (bounds the LIMIT of the count)

_M = TypeVar("_M", bound=Model)
if TYPE_CHECKING:
    _Paginator = Paginator[Any]  # generic in django-stubs only
else:
    _Paginator = Paginator


def wanted_page(number: Any) -> int:
    """The page number asked for, as the paginator will read it: 1 for what is not a whole number,
    at least 1, at most ``MAX_PAGE``."""
    try:
        wanted = int(str(number))
    except ValueError:
        return 1
    return min(max(wanted, 1), MAX_PAGE)


class BoundedPaginator(_Paginator):
    """A Paginator of a query set whose count stops ``ahead`` rows (a whole number of pages;
    by default COUNT_AHEAD_PAGES) past the page asked for. ``more``: there are more rows than
    ``count`` (the template says "more than"; ``count`` ends a page, so the next page exists)."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, page: Any, ahead: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.bound = wanted_page(page) * per_page + (COUNT_AHEAD_PAGES * per_page if ahead is None else ahead)

    @cached_property
    def _found(self) -> int:
        # A sliced query set counts in a subquery: SELECT COUNT(*) FROM (SELECT … LIMIT bound + 1).
        return self.queryset[: self.bound + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._found, self.bound)

    @property
    def more(self) -> bool:
        return self._found > self.bound


def bounded_page(queryset: QuerySet[_M], per_page: int, page: Any) -> Page[_M]:
    """The page asked for: the first for what is not a whole number or is below 1, the last past the end."""
    return BoundedPaginator(queryset, per_page, page=page).get_page(wanted_page(page))
