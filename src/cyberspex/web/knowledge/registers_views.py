"""The registers pages: the index of registers and one register, searchable by State and text.
Thin over ``registers`` (cached reference data, and the organisations on this platform)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cyberspex.web.knowledge import registers, states
from cyberspex.web.knowledge.reference import current_reference

MAX_QUERY = 100


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tables = [registers.register_table(register.id, today) for register in registers.REGISTERS]
    return render(request, "knowledge/registers/index.html", {"tables": tables})


@require_GET
def detail(request: HttpRequest, register_id: str) -> HttpResponse:
    if register_id not in registers.BY_ID:
        raise Http404(_("No register with this id."))
    table = registers.register_table(register_id, timezone.localdate())
    state, query, found = states.parse_state_query(request.GET.get("state", ""), request.GET.get("q", ""), MAX_QUERY)
    problem = found.message if found else ""
    rows = registers.filter_rows(table, state=state, query=query) if not problem else ()
    platform = registers.on_platform(table.register, state=state, query=query) if not problem else []
    data = current_reference()
    context = {
        "table": table,
        "register": table.register,
        "rows": rows,
        "platform": platform,
        "state": state,
        "query": query,
        "problem": problem,
        "states": sorted(((iso, record.name) for iso, record in data.states.items()), key=lambda item: item[1]),
        "filtered": bool(state or query),
        "is_notification_register": table.register.provision == "7(5)(e)",
    }
    return render(request, "knowledge/registers/detail.html", context, status=400 if problem else 200)
