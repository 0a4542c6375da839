"""Template filters of the 24/7 workstream: the time elapsed since an emergency item was received."""

from __future__ import annotations

from datetime import datetime

from django import template

from cyberspex.web.exchange import emergency

register = template.Library()


@register.filter
def elapsed_since(since: datetime, now: datetime) -> str:
    """``{{ delivery.delivered_at|elapsed_since:now }}``: e.g. "3 h 05 min"."""
    return emergency.elapsed(since, now)


@register.filter
def urgent_item(delivery: object) -> bool:
    """Whether the inbox shows the time elapsed since receipt for this item (24/7 and central authority items)."""
    return emergency.is_urgent_item(delivery)  # type: ignore[arg-type]
