"""Statistics that practitioners own (issue 10, item 9): what an organisation sent and received on
this platform, per route, with the outcomes, the times taken and the deadlines met and missed.

Each organisation sees only its own figures, and only counts and durations: no case reference,
no person, no text of a request. Everything is aggregated in the database (``Count``, ``Avg``,
grouped ``values().annotate()``); percentiles are read by ordering the durations in SQL and taking
one row at an offset, which works alike on SQLite and PostgreSQL. No query grows with the number
of rows it reads but the database's own work.

Definitions (shown on the page as well):

- **Sent**: requests issued by the member's organisation (``Request.issued_at`` in the period),
  on the platform or outside it. **Received**: deliveries made to the member's organisation
  (``Delivery.delivered_at`` in the period); one request received in two capacities (e.g. as
  notified and as enforcing authority) counts twice.
- **Time to first response**: from the moment the request reached the recipient (received: the
  delivery; sent: the issue) to the first answer, decision or message *from a recipient*
  (not from the issuing side; opening it is not a response). Items with no response yet are not in the average.
- **Time to completion**: sent: from the issue to the first transition of the request to a final
  state (answered, partially answered, refused, lapsed, closed, withdrawn); received: from the
  delivery to the answer, or to the first concluding decision (``statistics_durations.CONCLUDING``).
- **Deadlines**: the deadlines of those requests. Met: done on or before they fell due; missed:
  done after, or still open after they fell due; open: not done and not yet due.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from cyberspex.web.accounts.models import Organisation, OrganisationKind
from cyberspex.web.cases.models import Request
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange.models import Answer, Decision, Delivery

PERCENTILES = (50, 90)
MAX_PERIOD_DAYS = 3660  # ten years: a longer period is a typing error
_STATE = re.compile(r"^[A-Z]{2}$")


# -- filters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The period (dates, both included, in the current time zone), the other side's State (sent:
    the recipient State; received: the sender's State) and the provider (the organisation the
    request was addressed to)."""

    start: date | None = None
    end: date | None = None
    state: str = ""
    provider: int | None = None

    def as_query(self) -> dict[str, str]:
        found = {
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "state": self.state,
            "provider": str(self.provider) if self.provider else "",
        }
        return {key: value for key, value in found.items() if value}


def _date(params: Mapping[str, Any], name: str) -> date | None:
    text = str(params.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApplicationError(f"{name} must be a date written YYYY-MM-DD, not {text[:20]!r}", field=name, status=422) from None


def parse_filters(params: Mapping[str, Any]) -> Filters:
    """The filters from a query string; a clear 422 naming the parameter otherwise."""
    start, end = _date(params, "start"), _date(params, "end")
    if start and end and start > end:
        raise ApplicationError("the period ends before it starts: end must be on or after start", field="end", status=422)
    if start and end and (end - start).days > MAX_PERIOD_DAYS:
        raise ApplicationError(f"the period is longer than {MAX_PERIOD_DAYS} days", field="start", status=422)
    state = str(params.get("state") or "").strip().upper()
    if state and not _STATE.match(state):
        raise ApplicationError("state must be a two-letter ISO 3166-1 code, e.g. DE", field="state", status=422)
    provider_text = str(params.get("provider") or "").strip()
    provider = None
    if provider_text:
        if not provider_text.isdigit() or not Organisation.objects.filter(pk=int(provider_text)).exists():
            raise ApplicationError("provider must be the id of an organisation in the directory", field="provider", status=422)
        provider = int(provider_text)
    return Filters(start=start, end=end, state=state, provider=provider)


def _bounds(filters: Filters) -> tuple[datetime | None, datetime | None]:
    """The period as [from, until) instants, in the current time zone."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(filters.start, time.min, tzinfo=zone) if filters.start else None
    until = datetime.combine(filters.end + timedelta(days=1), time.min, tzinfo=zone) if filters.end else None
    return since, until


# -- what is counted ------------------------------------------------------------------------


def sent_requests(own: Organisation, filters: Filters) -> QuerySet[Request]:
    """Requests issued by ``own`` in the period, to the State and provider filtered."""
    found = Request.objects.filter(organisation=own, issued_at__isnull=False)
    since, until = _bounds(filters)
    if since:
        found = found.filter(issued_at__gte=since)
    if until:
        found = found.filter(issued_at__lt=until)
    if filters.state:
        found = found.filter(recipient_state=filters.state)
    if filters.provider:
        found = found.filter(recipient_organisation_id=filters.provider)
    return found


def received_deliveries(own: Organisation, filters: Filters) -> QuerySet[Delivery]:
    """Deliveries made to ``own`` in the period, from the State and for the provider filtered."""
    found = Delivery.objects.filter(organisation=own)
    since, until = _bounds(filters)
    if since:
        found = found.filter(delivered_at__gte=since)
    if until:
        found = found.filter(delivered_at__lt=until)
    if filters.state:
        found = found.filter(signed_by__country=filters.state)
    if filters.provider:
        found = found.filter(request__recipient_organisation_id=filters.provider)
    return found


# -- the figures ----------------------------------------------------------------------------


def _seconds(value: timedelta | float | None) -> float | None:
    if value is None:
        return None
    return value.total_seconds() if isinstance(value, timedelta) else float(value) / 1_000_000


@dataclass(frozen=True)
class Durations:
    """How many items have the duration, and its average and percentiles, in seconds."""

    count: int = 0
    average: float | None = None
    percentiles: dict[int, float | None] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        return self.percentiles.get(50)


@dataclass(frozen=True)
class Deadlines:
    met: int = 0
    missed: int = 0
    open: int = 0


@dataclass(frozen=True)
class RouteRow:
    route_id: str
    count: int
    first_response: Durations
    completion: Durations
    deadlines: Deadlines


@dataclass(frozen=True)
class Side:
    """What an organisation sent, or what it received."""

    total: int
    by_route: list[RouteRow]
    by_state: list[tuple[str, int]]  # the other side's State
    states: list[tuple[str, int]]  # sent: the requests' states now; received: the deliveries' statuses
    outcomes: list[tuple[str, str, int]]  # answers: (outcome, reason code, count)
    decisions: list[tuple[str, int]]  # (decision kind, count)
    first_response: Durations
    completion: Durations
    deadlines: Deadlines


@dataclass(frozen=True)
class Statistics:
    organisation: Organisation
    filters: Filters
    now: datetime
    sent: Side | None  # None: the organisation neither issues requests nor sent any in the period
    received: Side | None


def _rank(count: int, percent: int) -> int:
    """The nearest rank: ceil(percent/100 * count), at least 1."""
    return max(1, -(-percent * count // 100))


def _percentiles(items: QuerySet[Any], name: str, count: int) -> dict[int, float | None]:
    """The nearest-rank percentiles, read in SQL in one query: the durations numbered in order
    (``ROW_NUMBER()``, SQLite and PostgreSQL alike) and the rows at the ranks sought kept."""
    if count == 0:
        return dict.fromkeys(PERCENTILES)
    ranks = {percent: _rank(count, percent) for percent in PERCENTILES}
    numbered = items.filter(**{f"{name}__isnull": False}).annotate(rank=Window(RowNumber(), order_by=F(name).asc()))
    found = dict(numbered.filter(rank__in=set(ranks.values())).values_list("rank", name))
    return {percent: _seconds(found.get(rank)) for percent, rank in ranks.items()}


def _durations(items: QuerySet[Any], name: str, per_route: list[Durations]) -> Durations:
    """The durations of all routes: count and average from the routes' (no query: the average
    weighted by each route's count), percentiles read in SQL."""
    count = sum(d.count for d in per_route)
    total = sum((d.average or 0.0) * d.count for d in per_route)
    return Durations(count=count, average=total / count if count else None, percentiles=_percentiles(items, name, count))


def _deadline_counts(now: datetime) -> dict[str, Any]:
    """Deadlines met, missed (done late, or overdue and open) and open, as conditional counts of
    the requests' deadlines."""
    done, due = "deadlines__done_at", "deadlines__due_at"
    return {
        "met": Count("deadlines", filter=Q(**{f"{done}__isnull": False, f"{done}__lte": F(due)})),
        "missed": Count("deadlines", filter=Q(**{f"{done}__gt": F(due)}) | Q(**{f"{done}__isnull": True, f"{due}__lt": now})),
        "open": Count("deadlines", filter=Q(**{f"{done}__isnull": True, f"{due}__gte": now})),
    }


def _deadlines(requests: QuerySet[Request], now: datetime) -> tuple[Deadlines, dict[str, Deadlines]]:
    """The deadlines of ``requests`` per route, and in all (the routes' sums: one query, from the
    requests' index to their deadlines' index)."""
    per_route = {
        row["route_id"]: Deadlines(row["met"], row["missed"], row["open"])
        for row in requests.values("route_id").annotate(**_deadline_counts(now)).order_by()
    }
    routes = per_route.values()
    total = Deadlines(sum(d.met for d in routes), sum(d.missed for d in routes), sum(d.open for d in routes))
    return total, per_route


def _mean(total: timedelta | float | None, count: int) -> float | None:
    """The average of ``count`` durations summing to ``total`` (a timedelta, or microseconds)."""
    seconds = _seconds(total)
    return None if seconds is None or count == 0 else seconds / count


def _route_row(route_id: str, groups: list[dict[str, Any]]) -> dict[str, Any]:
    """The groups of one route added up."""
    found: dict[str, Any] = {"route_id": route_id}
    for key in ("n", "responded", "completed"):
        found[key] = sum(group[key] for group in groups)
    for key in ("response_total", "completion_total"):
        totals = [group[key] for group in groups if group[key] is not None]
        found[key] = sum(totals[1:], start=totals[0]) if totals else None
    return found


def _side(
    items: QuerySet[Any],
    *,
    route: str,
    state: str,
    status: str,
    requests: QuerySet[Request],
    deliveries: QuerySet[Delivery],
    now: datetime,
) -> Side:
    """The figures of ``items``: requests or deliveries, each carrying its ``first_response`` and
    ``completion`` (kept by the database: statistics_durations.py)."""
    # One pass: the counts and duration sums per route, the other side's State and the status,
    # as few groups as there are distinct triples (never one per row), summed up below.
    groups = list(
        items.values(route, state, status)
        .annotate(
            n=Count("pk"),
            responded=Count("first_response"),
            response_total=Sum("first_response"),
            completed=Count("completion"),
            completion_total=Sum("completion"),
        )
        .order_by(route, state, status)
    )
    per_route: dict[str, list[dict[str, Any]]] = {}
    for group in groups:  # in the database's order of the routes
        per_route.setdefault(group[route], []).append(group)
    rows = [_route_row(route_id, found) for route_id, found in per_route.items()]
    responses = [Durations(row["responded"], _mean(row["response_total"], row["responded"])) for row in rows]
    completions = [Durations(row["completed"], _mean(row["completion_total"], row["completed"])) for row in rows]
    by_state: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for group in groups:
        by_state[group[state]] += group["n"]
        by_status[group[status]] += group["n"]
    deadlines, deadlines_per_route = _deadlines(requests, now)
    answers = Answer.objects.filter(delivery__in=deliveries)
    decisions = Decision.objects.filter(delivery__in=deliveries)
    return Side(
        total=sum(row["n"] for row in rows),
        by_route=[
            RouteRow(
                route_id=row["route_id"],
                count=row["n"],
                first_response=response,
                completion=completion,
                deadlines=deadlines_per_route.get(row["route_id"], Deadlines()),
            )
            for row, response, completion in zip(rows, responses, completions, strict=True)
        ],
        by_state=sorted(by_state.items()),
        states=sorted(by_status.items()),
        outcomes=[
            (row["outcome"], row["reason_code"], row["n"])
            for row in answers.values("outcome", "reason_code").annotate(n=Count("pk")).order_by("outcome", "reason_code")
        ],
        decisions=[(row["kind"], row["n"]) for row in decisions.values("kind").annotate(n=Count("pk")).order_by("kind")],
        first_response=_durations(items, "first_response", responses),
        completion=_durations(items, "completion", completions),
        deadlines=deadlines,
    )


def sent(own: Organisation, filters: Filters, now: datetime) -> Side:
    requests = sent_requests(own, filters)
    return _side(
        requests,
        route="route_id",
        state="recipient_state",
        status="state",
        requests=requests,
        deliveries=Delivery.objects.filter(request__in=requests.values("pk")),
        now=now,
    )


def received(own: Organisation, filters: Filters, now: datetime) -> Side:
    deliveries = received_deliveries(own, filters)
    return _side(
        deliveries,
        route="request__route_id",
        state="signed_by__country",
        status="status",
        requests=Request.objects.filter(pk__in=deliveries.values("request_id")),
        deliveries=deliveries,
        now=now,
    )


def statistics(*, own: Organisation, filters: Filters, now: datetime) -> Statistics:
    """The statistics of the member's organisation ``own`` (the caller resolved it from the
    member: no organisation ever sees another's). An issuing authority sees what it sent, a
    recipient what it received; an organisation that did both sees both."""
    issues = own.kind == OrganisationKind.ISSUING_AUTHORITY
    sent_side = (
        sent(own, filters, now) if issues or Request.objects.filter(organisation=own, issued_at__isnull=False).exists() else None
    )
    received_side = received(own, filters, now) if not issues or Delivery.objects.filter(organisation=own).exists() else None
    return Statistics(organisation=own, filters=filters, now=now, sent=sent_side, received=received_side)


def as_json(found: Statistics) -> dict[str, Any]:
    """The statistics as plain data (the API and the CSV export): counts, and durations in seconds."""

    def durations(value: Durations) -> dict[str, Any]:
        return {
            "count": value.count,
            "average_seconds": value.average,
            **{f"p{p}_seconds": value.percentiles.get(p) for p in PERCENTILES if value.percentiles},
        }

    def deadlines(value: Deadlines) -> dict[str, int]:
        return {"met": value.met, "missed": value.missed, "open": value.open}

    def side(value: Side | None) -> dict[str, Any] | None:
        if value is None:
            return None
        return {
            "total": value.total,
            "first_response": durations(value.first_response),
            "completion": durations(value.completion),
            "deadlines": deadlines(value.deadlines),
            "by_route": [
                {
                    "route_id": row.route_id,
                    "count": row.count,
                    "first_response": durations(row.first_response),
                    "completion": durations(row.completion),
                    "deadlines": deadlines(row.deadlines),
                }
                for row in value.by_route
            ],
            "by_state": [{"state": state, "count": n} for state, n in value.by_state],
            "states": [{"state": state, "count": n} for state, n in value.states],
            "outcomes": [{"outcome": o, "reason_code": r, "count": n} for o, r, n in value.outcomes],
            "decisions": [{"kind": k, "count": n} for k, n in value.decisions],
        }

    return {
        "organisation": found.organisation.name,
        "filters": {
            "start": found.filters.start.isoformat() if found.filters.start else None,
            "end": found.filters.end.isoformat() if found.filters.end else None,
            "state": found.filters.state or None,
            "provider": found.filters.provider,
        },
        "at": found.now.isoformat(),
        "sent": side(found.sent),
        "received": side(found.received),
    }


# -- CSV ------------------------------------------------------------------------------------

CSV_HEADER = ("side", "breakdown", "key", "detail", "measure", "value")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: object) -> object:
    """A text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
    carriage return) gets a leading apostrophe (OWASP "CSV injection"); numbers stay numbers."""
    if isinstance(cell, str) and cell.startswith(_FORMULA):
        return "'" + cell
    return cell


def csv_rows(found: Statistics) -> list[tuple[object, ...]]:
    """The statistics as rows of :data:`CSV_HEADER` (durations in seconds, empty when none)."""
    rows: list[tuple[object, ...]] = []

    def durations(side: str, breakdown: str, key: str, name: str, value: Durations) -> None:
        rows.append((side, breakdown, key, "", f"{name}_count", value.count))
        rows.append((side, breakdown, key, "", f"{name}_average_seconds", _rounded(value.average)))
        for percent in PERCENTILES:
            if percent in value.percentiles:
                rows.append((side, breakdown, key, "", f"{name}_p{percent}_seconds", _rounded(value.percentiles[percent])))

    def deadlines(side: str, breakdown: str, key: str, value: Deadlines) -> None:
        rows.extend((side, breakdown, key, "", f"deadlines_{name}", getattr(value, name)) for name in ("met", "missed", "open"))

    for name, value in (("sent", found.sent), ("received", found.received)):
        if value is None:
            continue
        rows.append((name, "total", "", "", "count", value.total))
        durations(name, "total", "", "first_response", value.first_response)
        durations(name, "total", "", "completion", value.completion)
        deadlines(name, "total", "", value.deadlines)
        for row in value.by_route:
            rows.append((name, "route", row.route_id, "", "count", row.count))
            durations(name, "route", row.route_id, "first_response", row.first_response)
            durations(name, "route", row.route_id, "completion", row.completion)
            deadlines(name, "route", row.route_id, row.deadlines)
        rows.extend((name, "state", state, "", "count", n) for state, n in value.by_state)
        rows.extend((name, "status", state, "", "count", n) for state, n in value.states)
        rows.extend((name, "outcome", outcome, reason, "count", n) for outcome, reason, n in value.outcomes)
        rows.extend((name, "decision", kind, "", "count", n) for kind, n in value.decisions)
    return [tuple(neutralised(cell) for cell in row) for row in rows]


def _rounded(seconds: float | None) -> float | str:
    return "" if seconds is None else round(seconds, 1)
