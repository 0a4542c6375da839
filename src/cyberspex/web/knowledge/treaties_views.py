"""The public treaty status page ``/treaties/``: thin, over the selectors in ``treaties.py``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from cyberspex.law.model import Treaty
from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge import treaties


@require_GET
def treaty_status(request: HttpRequest) -> HttpResponse:
    """Status of every State towards a treaty on a date: map, table, CETS 224 timeline and
    reservations and declarations. A bad query parameter gives the page with a message (400)."""
    today = timezone.now().date()
    try:
        query = treaties.parse_query(request.GET, today=today)
    except ApplicationError as error:
        context: dict[str, Any] = {"error": error.message, "field": error.field, "today": today, "params": request.GET}
        return render(request, "knowledge/treaties/page.html", context, status=error.status)
    table = treaties.table_on(query.as_of)
    rows = treaties.rows(query)
    language = (get_language() or "en")[:2]
    context = {
        "query": query,
        "today": today,
        "treaty_choices": [(t.value, treaties.TREATY_NAMES[t]) for t in (Treaty.CETS_224, Treaty.ETS_185)],
        "status_choices": [(s.value, label) for s, label in treaties.STANDING_LABELS.items()],
        "treaty_name": treaties.TREATY_NAMES[query.treaty],
        "map": treaties.map_svg(query.treaty, query.as_of, query.view, language),
        "views": [(v, treaties.page_url(query, view=v)) for v in treaties.VIEWS],
        "legend": treaties.legend(query, table.counts(query.treaty)),
        "rows": [(r, treaties.standing_label(r)) for r in rows],
        "all_count": len(table.rows_for(query.treaty)),
        "sorts": treaties.sort_links(query),
        "timeline": table.timeline,
        "timeline_chart": treaties.timeline_svg(query.as_of, language) if query.treaty is Treaty.CETS_224 else "",
        "with_positions": [r for r in rows if r.positions or r.positions_note],
        "position_kinds": treaties.POSITION_KINDS,
        "consent_kinds": treaties.CONSENT_KINDS,
        "csv_url": treaties.api_url(query, "csv"),
        "json_url": treaties.api_url(query, "json"),
        "clear_status_url": treaties.page_url(query, status=""),
        "sources": treaties.sources_cited(query.treaty, query.as_of),
    }
    return render(request, "knowledge/treaties/page.html", context)
