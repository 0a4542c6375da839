"""The decision panel of an inbox item received by an authority notified of a request (CETS 224
Art 7(5)(a): ``notified``; Regulation (EU) 2023/1543 Art 8: ``enforcing``), its form, and the
issuing authority's reply to a consultation. Thin over exchange/decisions.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cyberspex.web.accounts.access import Action, can
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import decisions, grounds, panels
from cyberspex.web.exchange.decision_clock import decision_clock
from cyberspex.web.exchange.models import Channel, DeliveryRole
from cyberspex.web.exchange.selectors import InboxItem
from cyberspex.web.exchange.views import _error_page, _user, item_page

ROLES = frozenset({DeliveryRole.NOTIFIED.value, DeliveryRole.ENFORCING.value})


@dataclass(frozen=True)
class Refused:
    """A decision form the platform refused: shown again with the message and what was entered."""

    error: ApplicationError
    kind: str
    grounds: list[str]
    reasons: str
    message: str


@panels.register(ROLES)
def decision_panel(request: HttpRequest, user: User, item: InboxItem, now: datetime) -> panels.Panel | None:
    competence = grounds.competence(item.delivery.role)
    if competence is None:
        return None
    clock = decision_clock(item.delivery, now)
    refused: Refused | None = getattr(request, "decision_refused", None)
    context: dict[str, Any] = {
        "delivery": item.delivery,
        "competence": competence,
        "outcomes": [k for k in competence.kinds if k in competence.conclusive],
        "blocking": competence.blocking,
        "clock": clock,
        "now": now,
        "thread": [m for m in item.messages if m.channel == Channel.CONSULTATION],
        "decisions": item.decisions,
        "may_decide": can(user, Action.DECIDE, item.delivery.organisation),
        "open": clock is not None and clock.running and item.delivery.status != "withdrawn",
        "refused": refused,
        "chosen": set(refused.grounds) if refused else set(),
    }
    return panels.Panel("exchange/_decision_panel.html", context)


@require_POST
def decide(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """A decision (or a consultation of the issuing authority) from the item's decision panel."""
    user = _user(request)
    kind = request.POST.get("kind", "")
    chosen = request.POST.getlist("grounds")
    reasons = request.POST.get("reasons", "")
    message = request.POST.get("message", "")
    try:
        decisions.decision_take(
            user=user,
            delivery_id=delivery_id,
            kind=kind,
            grounds=chosen,
            reasons=message if kind == "consult" else reasons,
            now=timezone.now(),
        )
    except ApplicationError as error:
        if error.status in {403, 404}:
            return _error_page(request, error)
        request.decision_refused = Refused(error, kind, chosen, reasons, message)  # type: ignore[attr-defined]  # read by decision_panel
        return item_page(request, delivery_id, status=error.status)
    done = _("Your question was sent to the issuing authority.") if kind == "consult" else _("Your decision was recorded.")
    messages.success(request, done)
    return redirect("exchange:item", delivery_id=delivery_id)


@require_POST
def consultation_reply(request: HttpRequest, delivery_id: int) -> HttpResponse:
    """The issuing authority's reply in a consultation; back to its request's page."""
    try:
        reply = decisions.consultation_reply(
            user=_user(request), delivery_id=delivery_id, message=request.POST.get("message", ""), now=timezone.now()
        )
    except ApplicationError as error:
        return _error_page(request, error)
    messages.success(request, _("Your reply was sent."))
    return redirect("cases:request_detail", request_id=reply.delivery.request_id)
