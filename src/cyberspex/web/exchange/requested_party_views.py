"""The Article 8 requested Party's panel on its inbox item, and the page forms it posts to
(thin over exchange/requested_party.py)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from cyberspex.web.cases.services import RUNS_FROM_SERVICE, SERVICE_CLOCK
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import panels, requested_party
from cyberspex.web.exchange.models import Answer, DecisionKind, DeliveryRole
from cyberspex.web.exchange.selectors import InboxItem
from cyberspex.web.exchange.views import _error_page, _user


@panels.register(frozenset({DeliveryRole.REQUESTED_PARTY}))
def panel(request: HttpRequest, user: User, item: InboxItem, now: datetime) -> panels.Panel:  # noqa: ARG001
    delivery = item.delivery
    child = requested_party.served(delivery)
    kinds = {d.kind for d in item.decisions}
    missing: list[str] = next((d.grounds for d in reversed(item.decisions) if d.kind == DecisionKind.INCOMPLETE), [])
    context = {
        "delivery": delivery,
        "may_decide": requested_party.may_decide(user, delivery),
        "checklist": requested_party.CHECKLIST,
        "missing": missing,
        "complete_at": requested_party.complete_at(delivery),
        "service_clocks": [d for d in item.deadlines if d.rule == SERVICE_CLOCK],
        "return_clocks": [d for d in item.deadlines if d.rule in RUNS_FROM_SERVICE],
        "served": child,
        "answer": Answer.objects.filter(delivery=child).first() if child else None,
        "providers": requested_party.providers_to_serve(delivery),
        "refused": DecisionKind.REFUSED in kinds,
        "passed_back": DecisionKind.DATA_PASSED_BACK in kinds,
        "execution": [(key, kind.label) for key, (kind, _citation) in requested_party.EXECUTION.items()],
        "now": now,
    }
    return panels.Panel("exchange/_requested_party.html", context)


def _done(delivery_id: int) -> HttpResponse:
    return redirect("exchange:item", delivery_id=delivery_id)


@require_POST
def completeness(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = _user(request)
    try:
        requested_party.completeness_check(
            user=user,
            delivery_id=delivery_id,
            complete=request.POST.get("complete") == "yes",
            missing=request.POST.getlist("missing"),
            reasons=request.POST.get("reasons", ""),
            now=timezone.now(),
        )
    except ApplicationError as error:
        return _error_page(request, error)
    return _done(delivery_id)


@require_POST
def service(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = _user(request)
    try:
        provider = int(request.POST.get("provider", ""))
    except ValueError:
        return _error_page(request, ApplicationError("choose the provider to serve", field="provider", status=422))
    try:
        requested_party.serve_provider(user=user, delivery_id=delivery_id, provider_organisation_id=provider, now=timezone.now())
    except ApplicationError as error:
        return _error_page(request, error)
    return _done(delivery_id)


@require_POST
def execution(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = _user(request)
    try:
        requested_party.execution(
            user=user,
            delivery_id=delivery_id,
            decision=request.POST.get("decision", ""),
            reasons=request.POST.get("reasons", ""),
            now=timezone.now(),
        )
    except ApplicationError as error:
        return _error_page(request, error)
    return _done(delivery_id)


@require_POST
def pass_back(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = _user(request)
    try:
        requested_party.pass_back(user=user, delivery_id=delivery_id, now=timezone.now())
    except ApplicationError as error:
        return _error_page(request, error)
    return _done(delivery_id)


@require_POST
def supplement(request: HttpRequest, request_id: int) -> HttpResponse:
    """The requesting side sends the requested Party what it said was missing (from the request's page)."""
    user = _user(request)
    try:
        requested_party.supplement(user=user, request_id=request_id, body=request.POST.get("body", ""), now=timezone.now())
    except ApplicationError as error:
        return _error_page(request, error)
    return redirect("cases:request_detail", request_id=request_id)
