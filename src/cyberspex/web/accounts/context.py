"""Template context: whether the logged-in person administers their organisation (menu)."""

from __future__ import annotations

from django.http import HttpRequest

from cyberspex.web.accounts.access import Action, can


def account(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    return {"is_administrator": bool(user is not None and user.is_authenticated and can(user, Action.MANAGE_ACCOUNTS))}
