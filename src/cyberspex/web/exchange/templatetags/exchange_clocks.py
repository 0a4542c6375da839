"""``{% decision_clock_of delivery as clock %}``: the decision clock of a delivery received by a
notified or enforcing authority (exchange/decision_clock.py), for the issuing side's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from cyberspex.web.exchange.decision_clock import Clock, decision_clock
from cyberspex.web.exchange.models import Delivery

register = template.Library()


@register.simple_tag(takes_context=True)
def decision_clock_of(context: dict[str, Any], delivery: Delivery) -> Clock | None:
    now = context.get("now") or timezone.now()
    return decision_clock(delivery, now)


@register.simple_tag(takes_context=True)
def clock_now(context: dict[str, Any]) -> Any:
    return context.get("now") or timezone.now()
