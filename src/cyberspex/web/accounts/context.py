"""Template context: whether the logged-in person administers their organisation (menu); the
idle timeout of the session, for the warning before it ends (static/session.js); whether work
sent after the session ended is kept, waiting for the log-in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from cyberspex.web.accounts import kept
from cyberspex.web.accounts.access import Action, can

WARN_BEFORE_SECONDS = 120


def account(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    idle = int(settings.SESSION_COOKIE_AGE)
    warn_before = min(WARN_BEFORE_SECONDS, idle // 2)
    return {
        "is_administrator": bool(user is not None and user.is_authenticated and can(user, Action.MANAGE_ACCOUNTS)),
        "session_idle_seconds": idle,
        "session_warn_seconds": warn_before,
        "session_warn_minutes": max(1, round(warn_before / 60)),
        "kept_work_waiting": kept.waiting(request),
    }
