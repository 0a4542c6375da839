"""The inbox pages: the list of what was delivered to the member's organisation and one item,
with the panels of what its recipient can do (panels.py). Thin over selectors and services."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cyberspex.web.accounts.access import Action, can
from cyberspex.web.cases.editor import form_title
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import emergency, panels, selectors, services
from cyberspex.web.exchange.models import DeliveryStatus


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _error_page(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    message = _("This page does not exist, or you may not see it.") if error.status == 404 else error.message
    return render(request, "cases/error.html", {"message": message, "status": error.status}, status=error.status)


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can(user, Action.VIEW_INBOX):
        return _error_page(request, ApplicationError(_("Your role has no inbox."), status=403))
    status = request.GET.get("status", "")
    if status not in DeliveryStatus.values:
        status = ""
    query = request.GET.get("q", "").strip()[:100]
    items = list(selectors.inbox(user=user, status=status, query=query)[:200])
    language = translation.get_language() or "en"
    titles = {form_id: form_title(form_id, language) for form_id in {d.request.form_id for d in items}}
    for delivery in items:
        delivery.form_title = titles[delivery.request.form_id]  # type: ignore[attr-defined]  # for the page only
    context = {"items": items, "status": status, "query": query, "statuses": DeliveryStatus.choices, "now": timezone.now()}
    context["oral_intakes"] = emergency.oral_requests_for_inbox(user=user)  # 24/7 points of contact only, else None
    return render(request, "exchange/inbox.html", context)


@require_GET
def item(request: HttpRequest, delivery_id: int) -> HttpResponse:
    return item_page(request, delivery_id)


def item_page(request: HttpRequest, delivery_id: int, *, status: int = 200) -> HttpResponse:
    """The item's page (also shown again, with ``status``, by a panel's form that was refused)."""
    user, now = _user(request), timezone.now()
    try:
        services.delivery_open(user=user, delivery_id=delivery_id, now=now)
        shown = selectors.inbox_item(user=user, delivery_id=delivery_id, now=now)
    except ApplicationError as error:
        return _error_page(request, error)
    context = {
        "item": shown,
        "delivery": shown.delivery,
        "document": selectors.readable(shown.delivery, translation.get_language() or "en"),
        "now": now,
        "panels": panels.for_item(request, user, shown, now),
    }
    return render(request, "exchange/item.html", context, status=status)


@require_GET
def document(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """The signed PDF as delivered (its SHA-256 is on the item's page and in the signature)."""
    user, now = _user(request), timezone.now()
    try:
        found, content = services.delivery_document(user=user, delivery_id=delivery_id, now=now)
    except ApplicationError as error:
        return _error_page(request, error)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"cyberspex-inbox-{found.pk}-{found.request.form_id}-{found.package}-{found.document_language}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    response["Cache-Control"] = "no-store"
    response["X-Content-SHA256"] = found.document_sha256
    return response
