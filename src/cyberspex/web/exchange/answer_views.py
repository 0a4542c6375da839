"""The answer pages: the answer panel of an inbox item (registered in panels.py), posting an
answer with its produced files, the clarification thread (both sides post here) and the download
of a produced file. Thin over exchange/answers.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cyberspex.web.accounts.access import Action, can
from cyberspex.web.cases import attachments
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import answers, panels, selectors
from cyberspex.web.exchange.downloads import produced_file_response
from cyberspex.web.exchange.models import Answer, Delivery
from cyberspex.web.exchange.views import _error_page, _user


def answer_context(user: User, delivery: Delivery, answerable: bool) -> dict[str, Any]:
    """What the answer panel and the issuing side show of an answer: the answer, its files with
    their SHA-256 and whether the stored file still matches it."""
    answer = Answer.objects.select_related("by").filter(delivery=delivery).first()
    reason = answers.REASONS.get(answer.reason_code) if answer else None
    return {
        "delivery": delivery,
        "answer": answer,
        "reason_label": reason.label if reason else "",
        "files": answers.file_rows(answer),
        "answerable": answerable,
        "outcomes": [(o.value, o.label) for o in answers.outcomes_for(delivery)],
        "reasons": answers.REASONS,
        "max_mb": settings.PRODUCED_FILE_MAX_MB,
        "max_files": settings.PRODUCED_FILES_PER_ANSWER,
        "allowed": attachments.ALLOWED,
        "may_write": can(user, Action.ANSWER, delivery.organisation) or can(user, Action.DECIDE, delivery.organisation),
    }


@panels.register(frozenset(selectors.PROVIDER_ROLES))
def answer_panel(request: HttpRequest, user: User, item: selectors.InboxItem, now: datetime) -> panels.Panel:  # noqa: ARG001
    context = answer_context(user, item.delivery, item.answerable)
    context["messages"] = item.messages
    context["error"] = getattr(request, "answer_error", None)
    context["posted"] = request.POST if request.method == "POST" else {}
    return panels.Panel("exchange/_answer_panel.html", context)


def _item_again(request: HttpRequest, user: User, delivery_id: int, error: ApplicationError) -> HttpResponse:
    """The item page again, the refusal shown in the answer panel, with the refusal's status."""
    if error.status in (401, 404):
        return _error_page(request, error)
    now = timezone.now()
    request.answer_error = error  # type: ignore[attr-defined]  # read by answer_panel
    try:
        shown = selectors.inbox_item(user=user, delivery_id=delivery_id, now=now)
    except ApplicationError as again:
        return _error_page(request, again)
    context = {
        "item": shown,
        "delivery": shown.delivery,
        "document": selectors.readable(shown.delivery, translation.get_language() or "en"),
        "now": now,
        "panels": panels.for_item(request, user, shown, now),
    }
    return render(request, "exchange/item.html", context, status=error.status)


@require_POST
def answer(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user, now = _user(request), timezone.now()
    uploads = [answers.Upload(str(f.name), f.read()) for f in request.FILES.getlist("files")]
    try:
        answers.answer_create(
            user=user,
            delivery_id=delivery_id,
            outcome=request.POST.get("outcome", ""),
            reason_code=request.POST.get("reason_code", ""),
            reason=request.POST.get("reason", ""),
            files=uploads,
            now=now,
        )
    except ApplicationError as error:
        return _item_again(request, user, delivery_id, error)
    messages.success(request, _("Your answer was sent. The issuing authority sees it and the files' SHA-256."))
    return redirect("exchange:item", delivery_id=delivery_id)


@require_POST
def message(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """A clarification message, by the recipient (back to the item) or the issuing authority (back to the request)."""
    user, now = _user(request), timezone.now()
    try:
        sent = answers.message_send(user=user, delivery_id=delivery_id, body=request.POST.get("body", ""), now=now)
    except ApplicationError as error:
        return _error_page(request, error)
    messages.success(request, _("Your message was sent."))
    delivery = sent.delivery
    if sent.organisation_id == delivery.organisation_id and can(user, Action.VIEW_INBOX, delivery.organisation):
        return redirect("exchange:item", delivery_id=delivery_id)
    return redirect(reverse("cases:request_detail", kwargs={"request_id": delivery.request_id}) + f"#delivery-{delivery.pk}")


@require_GET
def produced_file(request: HttpRequest, delivery_id: int, file_id: int) -> HttpResponseBase:
    """A produced file, hashed again after unsealing; a file that no longer matches is not served."""
    user, now = _user(request), timezone.now()
    try:
        found = answers.file_download(user=user, delivery_id=delivery_id, file_id=file_id, now=now)
    except ApplicationError as error:
        return _error_page(request, error)
    if not found.verified:
        message = _("Not verified: %(reason)s. The file is not served; ask the provider to send it again.") % {
            "reason": found.reason
        }
        return _error_page(request, ApplicationError(message, status=409))
    return produced_file_response(found)
