"""Template context for the layout: which menu entries and tools the logged-in person's role
may use (actions a role cannot take are not offered); what is left of the session's idle timeout, for the
warning before it ends (static/session.js); whether work sent after the session ended is kept,
waiting for the log-in (accounts/kept.py)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from cyberspex.web.accounts import kept, renewal
from cyberspex.web.accounts.access import Action, can

WARN_BEFORE_SECONDS = 120


def _session(request: HttpRequest) -> dict[str, object]:
    idle = int(settings.SESSION_COOKIE_AGE)
    warn_before = min(WARN_BEFORE_SECONDS, idle // 2)
    session = getattr(request, "session", None)
    return {
        # what is left of the idle timeout: a request renews it at most once per renewal interval
        "session_idle_seconds": renewal.seconds_left(session) if session is not None else idle,
        "session_age_seconds": idle,
        "session_warn_seconds": warn_before,
        "session_warn_minutes": max(1, round(warn_before / 60)),
        "kept_work_waiting": kept.waiting(request),
    }


def account(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "is_administrator": False,
            "can_open_cases": False,
            "can_view_cases": False,
            "can_view_inbox": False,
            "can_train": False,
            "can_curate": False,
            **_session(request),
        }
    return {
        "is_administrator": can(user, Action.MANAGE_ACCOUNTS),
        "can_open_cases": can(user, Action.EDIT_CASE),
        "can_view_cases": can(user, Action.VIEW_CASE),
        "can_view_inbox": can(user, Action.VIEW_INBOX),
        "can_train": can(user, Action.ATTEMPT_EXERCISE),
        "can_curate": can(user, Action.CURATE),
        **_session(request),
    }
