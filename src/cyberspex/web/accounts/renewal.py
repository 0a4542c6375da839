"""The idle timeout of a session without a database write on every page view.

Django renews a session's expiry (``SESSION_COOKIE_AGE`` from now) each time it saves it; with
``SESSION_SAVE_EVERY_REQUEST`` every request, a read included, was a write to the session
table. Here a session is saved, and so renewed, only when its content changed or when its last
renewal is at least ``interval()`` seconds old; the time of the last renewal is kept in the
session itself (``RENEWED_AT_KEY``).

The bounded error: the stored expiry is the last renewal plus ``SESSION_COOKIE_AGE``, and the
last request came less than ``interval()`` after that renewal. A session therefore ends between
``SESSION_COOKIE_AGE - interval()`` and ``SESSION_COOKIE_AGE`` after its last request: possibly
sooner than without this rule, never later (CJIS AC-11 holds). ``interval()`` is
``SESSION_RENEW_SECONDS`` (60 by default), and at most a tenth of the idle timeout.

The absolute lifetime (``middleware.session_lifetime``) and log-out (which deletes the session
record) are untouched.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

RENEWED_AT_KEY = "cyberspex.renewed_at"


def interval() -> int:
    """Seconds between two renewals of a session's expiry by requests that change nothing."""
    return min(int(settings.SESSION_RENEW_SECONDS), int(settings.SESSION_COOKIE_AGE) // 10)


def _since_renewal(session: SessionBase, now: float) -> float | None:
    renewed_at = session.get(RENEWED_AT_KEY)
    return None if renewed_at is None else now - float(renewed_at)


def renew(session: SessionBase) -> None:
    """Renew the session's expiry now: it is saved at the end of this request."""
    session[RENEWED_AT_KEY] = timezone.now().timestamp()


def seconds_left(session: SessionBase) -> int:
    """Seconds until the session ends without another request (at least; the server may keep it
    a little longer, never less): for the warning before the idle timeout (static/session.js)."""
    age = int(settings.SESSION_COOKIE_AGE)
    since = _since_renewal(session, timezone.now().timestamp())
    if since is None or since >= interval() or since < 0:
        return age  # renewed by this request
    return max(0, int(age - since))


def session_renewal(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Renew a session whose last renewal is ``interval()`` old; stamp the renewal on every save."""

    def middleware(request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key is not None:  # only a request that carries a session: no Vary: Cookie otherwise
            since = _since_renewal(session, timezone.now().timestamp())  # loads the session: an ended one is empty
            if not session.is_empty() and (since is None or since >= interval() or since < 0):
                renew(session)
        response = get_response(request)
        if session.modified and not session.is_empty():
            renew(session)  # saved anyway: its expiry moves, and so does the time of its renewal
        return response

    return middleware
