"""The statistics page ``/statistics/`` and its CSV export: the member's own organisation's
figures (exchange/statistics.py), with a filter form, tables and server-drawn charts."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from cyberspex.web.accounts.access import organisation
from cyberspex.web.accounts.models import Organisation, OrganisationKind
from cyberspex.web.cases.models import State
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import charts
from cyberspex.web.exchange import statistics as stats
from cyberspex.web.exchange.models import DecisionKind, DeliveryStatus, Outcome

DAY = 86400.0


def _own(request: HttpRequest) -> Organisation:
    user = request.user
    own = organisation(user) if isinstance(user, User) else None
    if own is None:
        raise PermissionDenied
    return own


def duration_text(seconds: float | None) -> str:
    """A duration as the page shows it: hours under two days, days above."""
    if seconds is None:
        return "—"
    if seconds < 2 * DAY:
        return _("%(hours).1f h") % {"hours": seconds / 3600}
    return _("%(days).1f d") % {"days": seconds / DAY}


def _labels(choices: Any) -> dict[str, str]:
    return {str(value): str(label) for value, label in choices}


def _charts(found: stats.Statistics) -> dict[str, Any]:
    made: dict[str, Any] = {}
    for name, side in (("sent", found.sent), ("received", found.received)):
        if side is None or side.total == 0:
            continue
        made[f"{name}_routes"] = charts.bar_chart(
            chart_id=f"chart-{name}-routes",
            title=_("Requests sent, per route") if name == "sent" else _("Requests received, per route"),
            bars=[(row.route_id, row.count) for row in side.by_route],
        )
        made[f"{name}_deadlines"] = charts.bar_chart(
            chart_id=f"chart-{name}-deadlines",
            title=_("Deadlines met, missed and open"),
            bars=[(_("Met"), side.deadlines.met), (_("Missed"), side.deadlines.missed), (_("Open"), side.deadlines.open)],
        )
        responded = [(row.route_id, row.first_response.average or 0.0) for row in side.by_route if row.first_response.count]
        if responded:
            in_days = max(seconds for _, seconds in responded) >= 2 * DAY
            made[f"{name}_response"] = charts.bar_chart(
                chart_id=f"chart-{name}-response",
                title=_("Average time to first response, per route, in days")
                if in_days
                else _("Average time to first response, per route, in hours"),
                bars=[(route, seconds / (DAY if in_days else 3600)) for route, seconds in responded],
                unit=" " + (pgettext("days, abbreviated", "d") if in_days else pgettext("hours, abbreviated", "h")),
            )
    return made


def _shown(name: str, side: stats.Side) -> dict[str, Any]:
    """One side of the statistics as the page shows it: labels, durations as text."""
    outcomes, decisions = _labels(Outcome.choices), _labels(DecisionKind.choices)
    states = _labels(State.choices) if name == "sent" else _labels(DeliveryStatus.choices)
    return {
        "name": name,
        "heading": _("Sent") if name == "sent" else _("Received"),
        "side": side,
        "first_response": {
            "average": duration_text(side.first_response.average),
            "median": duration_text(side.first_response.median),
            "p90": duration_text(side.first_response.percentiles.get(90)),
        },
        "completion": {
            "average": duration_text(side.completion.average),
            "median": duration_text(side.completion.median),
            "p90": duration_text(side.completion.percentiles.get(90)),
        },
        "routes": [
            {
                "route_id": row.route_id,
                "count": row.count,
                "responded": row.first_response.count,
                "response": duration_text(row.first_response.average),
                "completed": row.completion.count,
                "completion": duration_text(row.completion.average),
                "deadlines": row.deadlines,
            }
            for row in side.by_route
        ],
        "states": [(states.get(value, value), n) for value, n in side.states],
        "outcomes": [(outcomes.get(outcome, outcome), reason, n) for outcome, reason, n in side.outcomes],
        "decisions": [(decisions.get(kind, kind), n) for kind, n in side.decisions],
    }


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    own, now = _own(request), timezone.now()
    context: dict[str, Any] = {
        "own": own,
        "params": {key: request.GET.get(key, "")[:20] for key in ("start", "end", "state", "provider")},
        "providers": Organisation.objects.filter(kind__in=[OrganisationKind.PROVIDER, OrganisationKind.REGISTRAR]).order_by(
            "name"
        ),
        "now": now,
    }
    try:
        filters = stats.parse_filters(request.GET)
    except ApplicationError as error:
        context["error"] = error
        return render(request, "exchange/statistics.html", context, status=error.status)
    found = stats.statistics(own=own, filters=filters, now=now)
    context.update(
        stats=found,
        sides=[_shown(name, side) for name, side in (("sent", found.sent), ("received", found.received)) if side is not None],
        charts=_charts(found),
        export_query=urlencode(filters.as_query()),
    )
    return render(request, "exchange/statistics.html", context)


def csv_text(found: stats.Statistics) -> str:
    """RFC 4180: a header row, CRLF line ends, fields quoted where needed; formula cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(stats.CSV_HEADER)
    writer.writerows(stats.csv_rows(found))
    return out.getvalue()


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    own, now = _own(request), timezone.now()
    try:
        filters = stats.parse_filters(request.GET)
    except ApplicationError as error:
        return HttpResponse(f"{error.message}\r\n", status=error.status, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        csv_text(stats.statistics(own=own, filters=filters, now=now)).encode("utf-8"),
        content_type="text/csv; charset=utf-8; header=present",
    )
    name = f"cyberspex-statistics-{now.date().isoformat()}.csv"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    response["Cache-Control"] = "no-store"
    return response
