"""The panels of an inbox item: what its recipient can do there, by the role it received the
request in. Each module of the receiving side (answers, decisions of each authority) registers
its panel here; the item page shows the panels of the item's role, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.http import HttpRequest

if TYPE_CHECKING:
    from cyberspex.web.exchange.selectors import InboxItem


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]


PanelBuilder = Callable[[HttpRequest, User, "InboxItem", datetime], Panel | None]
_REGISTRY: list[tuple[frozenset[str], PanelBuilder]] = []


def register(roles: frozenset[str]) -> Callable[[PanelBuilder], PanelBuilder]:
    """Register a panel builder for deliveries received in one of ``roles`` (DeliveryRole values)."""

    def decorate(builder: PanelBuilder) -> PanelBuilder:
        _REGISTRY.append((roles, builder))
        return builder

    return decorate


def for_item(request: HttpRequest, user: User, item: InboxItem, now: datetime) -> list[Panel]:
    shown = []
    for roles, builder in _REGISTRY:
        if item.delivery.role in roles and (panel := builder(request, user, item, now)) is not None:
            shown.append(panel)
    return shown
