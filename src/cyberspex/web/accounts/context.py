"""Template context for the layout: which menu entries and tools the logged-in person's role
may use (actions a role cannot take are not offered)."""

from __future__ import annotations

from django.http import HttpRequest

from cyberspex.web.accounts.access import Action, can


def account(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_administrator": False, "can_open_cases": False, "can_view_cases": False}
    return {
        "is_administrator": can(user, Action.MANAGE_ACCOUNTS),
        "can_open_cases": can(user, Action.EDIT_CASE),
        "can_view_cases": can(user, Action.VIEW_CASE),
    }
