"""Lists of cases and requests with each request's state and next open deadline, and the search
across the cases and requests of the user's organisation. Each list is a fixed number of queries
whatever its length (the next deadline is an aggregate in SQL, never a query per row), and only
the organisation's cases are ever read (access.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.paginator import Page
from django.db.models import Min, Q, QuerySet

from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.cases.forms import STATE_LABELS
from cyberspex.web.cases.models import Case, Request, State
from cyberspex.web.cases.selectors import CASE_LIST_FIELDS, time_left
from cyberspex.web.paging import BoundedPaginator, bounded_page

PAGE_SIZE = 20
MAX_QUERY = 100


@dataclass(frozen=True)
class RequestRow:
    """A request in a list: its state and its next open deadline."""

    request: Request
    state_label: str
    next_due_at: datetime | None
    overdue: bool
    days_left: int | None  # whole days until the next open deadline (0: less than a day); None if none or overdue
    hours_left: int | None  # whole hours beyond days_left (0 to 23); None if none or overdue

    @classmethod
    def at(cls, request: Request, now: datetime) -> RequestRow:
        due: datetime | None = getattr(request, "next_due_at", None)
        return cls(request, str(STATE_LABELS.get(request.state, request.state)), due, *time_left(due, now))


def with_next_deadline(requests: QuerySet[Request]) -> QuerySet[Request]:
    """``requests`` annotated with ``next_due_at``: the soonest deadline not yet done."""
    return requests.annotate(next_due_at=Min("deadlines__due_at", filter=Q(deadlines__done_at__isnull=True)))


# What a list of requests shows: never the form data or the route advice (JSON of some kilobytes).
REQUEST_LIST_FIELDS = ("case_id", "form_id", "route_id", "recipient_state", "state", "created_at")


def case_requests(*, case: Case, now: datetime) -> list[RequestRow]:
    """The case's requests, newest first, with state and next deadline: one query."""
    requests = with_next_deadline(Request.objects.filter(case=case).only(*REQUEST_LIST_FIELDS)).order_by("-created_at", "-pk")
    return [RequestRow.at(r, now) for r in requests]


@dataclass(frozen=True)
class CaseRow:
    case: Case
    requests: list[RequestRow]


def case_rows(page: Page[Case], now: datetime) -> list[CaseRow]:
    """The cases of ``page`` with their requests' state and next deadline (one query for all the
    page's requests, however many cases it holds)."""
    cases: list[Case] = list(page.object_list)
    requests = with_next_deadline(Request.objects.only(*REQUEST_LIST_FIELDS)).order_by("-created_at", "-pk")
    by_case: dict[int, list[RequestRow]] = {c.pk: [] for c in cases}
    if cases:
        for request in requests.filter(case__in=cases):
            by_case[request.case_id].append(RequestRow.at(request, now))
    return [CaseRow(c, by_case[c.pk]) for c in cases]


def _own(user: User) -> tuple[QuerySet[Case], QuerySet[Request]]:
    """The organisation's cases not erased, and their requests (on Request.organisation: the
    requests newest first are one index range, request_org_newest)."""
    own = organisation(user)
    if own is None or not can(user, Action.VIEW_CASE, own):
        return Case.objects.none(), Request.objects.none()
    return (
        Case.objects.filter(organisation=own, erased_at__isnull=True),
        Request.objects.filter(organisation=own, case__erased_at__isnull=True),
    )


def _state_values(query: str) -> list[str]:
    """The request states whose value or label contains ``query`` ("issued", "awaiting")."""
    text = query.casefold().replace(" ", "_")
    return [value for value, label in State.choices if text in value or query.casefold() in str(label).casefold()]


@dataclass(frozen=True)
class SearchResults:
    query: str
    cases: Page[Case]
    case_rows: list[CaseRow]
    requests: Page[Request]
    request_rows: list[RequestRow]

    @property
    def cases_more(self) -> bool:
        """More cases match than counted (web/paging.py)."""
        return isinstance(self.cases.paginator, BoundedPaginator) and self.cases.paginator.more

    @property
    def requests_more(self) -> bool:
        return isinstance(self.requests.paginator, BoundedPaginator) and self.requests.paginator.more


def search(
    *, user: User, query: str, case_page: str | int | None, request_page: str | int | None, now: datetime
) -> SearchResults:
    """Cases whose reference, title, offences or identifiers contain ``query``, and requests
    whose form, state, recipient State or case reference does, within the user's organisation.
    The results show references and states, never the personal value that matched."""
    query = query.strip()[:MAX_QUERY]
    own, own_requests = _own(user)
    if not query:
        own, own_requests = own.none(), own_requests.none()
    # JSON text holds letters outside ASCII as \u escapes on SQLite (PostgreSQL's jsonb does not):
    # both forms are searched, the escaped one in lower case (the escapes themselves do not fold).
    escaped = json.dumps(query.lower())[1:-1]
    cases = own.filter(
        Q(reference__icontains=query)
        | Q(title__icontains=query)
        | Q(offences__icontains=query)
        | Q(identifiers__icontains=query)
        | Q(offences__icontains=escaped)
        | Q(identifiers__icontains=escaped)
    ).order_by("-created_at", "-pk")
    request_match = (
        Q(form_id__icontains=query)
        | Q(route_id__icontains=query)
        | Q(recipient_state__iexact=query)
        | Q(case__reference__icontains=query)
        | Q(state__in=_state_values(query))
    )
    # Read newest first on the organisation's index, and counted only as far as one can page
    # (web/paging.py), without the next-deadline aggregate (a COUNT over a GROUP BY joining every
    # deadline); the aggregate is computed for the page's rows only.
    requests = own_requests.filter(request_match).order_by("-created_at", "-pk")
    case_results = bounded_page(cases.only(*CASE_LIST_FIELDS), PAGE_SIZE, case_page)
    request_results = bounded_page(requests.only("pk"), PAGE_SIZE, request_page)
    page_ids = [r.pk for r in request_results.object_list]
    shown = with_next_deadline(
        Request.objects.filter(pk__in=page_ids).select_related("case").only(*REQUEST_LIST_FIELDS, "case__reference")
    ).order_by("-created_at", "-pk")
    request_results.object_list = list(shown) if page_ids else []
    return SearchResults(
        query=query,
        cases=case_results,
        case_rows=case_rows(case_results, now),
        requests=request_results,
        request_rows=[RequestRow.at(r, now) for r in request_results.object_list],
    )
