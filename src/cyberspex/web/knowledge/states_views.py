"""The State profile pages: the list of States with their status per treaty (searchable) and one
State's profile. Thin over ``states`` (selectors cached per data version)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cyberspex.web.knowledge import states

MAX_QUERY = 100


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    problem = ""
    if len(query) > MAX_QUERY:
        problem, query = states.parse_state_query("", query, MAX_QUERY)[2].message, ""  # type: ignore[union-attr]
    rows = states.filter_list(states.state_list(timezone.localdate()), query)
    context = {"rows": rows, "query": query, "problem": problem, "treaties_url": _optional_url("knowledge:treaties")}
    return render(request, "knowledge/states/index.html", context, status=400 if problem else 200)


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    problem = states.code_problem(code)
    if problem is not None and problem.status == 404:
        raise Http404(problem.message)
    if problem is not None:
        return render(request, "knowledge/states/invalid.html", {"problem": problem.message}, status=problem.status)
    found = states.profile(code.upper(), timezone.localdate())
    context = {
        "profile": found,
        "treaties_url": _optional_url("knowledge:treaties"),
        "implementation_url": _optional_url("knowledge:implementation"),
    }
    return render(request, "knowledge/states/detail.html", context)


def _optional_url(name: str) -> str:
    """The page another part of the portal builds (``/treaties/``, ``/implementation/``), linked
    by its name once it exists, by its public prefix until then."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return "/" + name.split(":")[1] + "/"
