"""The public implementation tracker ``/implementation/`` (``?state=XX``): thin view over
``knowledge.implementation``, with a server-drawn chart of States per stage over time."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import charts
from cyberspex.web.knowledge import implementation
from cyberspex.web.knowledge.reference import current_reference


def stage_labels() -> dict[str, str]:
    return {
        "unknown": _("unknown"),
        "none": _("none"),
        "draft": _("draft"),
        "adopted": _("adopted"),
        "in_force": _("in force"),
    }


@require_GET
def page(request: HttpRequest) -> HttpResponse:
    labels = stage_labels()
    data = current_reference()
    context: dict[str, Any] = {
        "states": [(iso, data.state_name(iso)) for iso in implementation.member_states(data)],
        "selected": str(request.GET.get("state", "")).strip().upper()[:10],
    }
    try:
        state = implementation.parse_state(request.GET)
    except ApplicationError as error:
        context["error"] = error
        return render(request, "knowledge/implementation/page.html", context, status=error.status)
    context["selected"] = state
    tracker = implementation.tracker(state)
    today = timezone.localdate()
    progress = implementation.progress(today)
    series = ("none", *implementation.PROGRESS)
    context.update(
        tracker=tracker,
        rows=[
            {
                "state": row["state"],
                "name": row["name"],
                "cells": [
                    (p, row["cells"][p["id"]] | {"label": labels[row["cells"][p["id"]]["stage"]]}) for p in tracker["provisions"]
                ],
            }
            for row in tracker["states"]
        ],
        progress=[(point, [dict(counts)[s] for s in ("unknown", *series)]) for point, counts in progress],
        series=[labels[s] for s in ("unknown", *series)],
        chart=charts.stacked_bar_chart(
            chart_id="chart-implementation-progress",
            title=_("Member States by furthest stage reached, over time"),
            rows=[(point.isoformat(), [(labels[s], dict(counts)[s]) for s in series]) for point, counts in progress],
            total=len(implementation.member_states(data)),
        ),
    )
    return render(request, "knowledge/implementation/page.html", context)
