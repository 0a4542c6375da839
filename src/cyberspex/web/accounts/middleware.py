"""Every page but the public ones needs a log-in that passed the second factor (TOTP).

Besides: a session ends ``SESSION_ABSOLUTE_HOURS`` after its log-in however active it is (the
idle timeout is Django's ``SESSION_COOKIE_AGE``), and no response to an authenticated request
may be stored by a browser or a proxy (``Cache-Control: no-store``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from cyberspex.web.accounts import kept
from cyberspex.web.accounts.access import membership_read_once
from cyberspex.web.accounts.preferences import preferred_time_zone

PUBLIC_PREFIXES = (
    "/healthz",
    "/accounts/login",
    "/accounts/logout",
    "/accounts/enrol/",  # a one-time enrolment link authenticates with its own secret
    "/static/",
    "/i18n/",
    "/ical/",  # calendar feeds authenticate with their own secret token
    "/api/v1/routes",
    "/api/v1/openapi.json",
    "/api/v1/docs",
    "/federation/v1/",  # other instances: authenticated by the envelope's signature (web/federation)
)
# The public knowledge portal (web/knowledge): every page under these prefixes is public.
PORTAL_PREFIXES = (
    "/registers/",
    "/treaties/",
    "/states/",
    "/what-if/",
    "/providers/",
    "/implementation/",
    "/indicators/",
)
# Public pages, matched exactly: the route advisor, help and the glossary (web/public).
PUBLIC_PAGES = frozenset({"/advisor/", "/help/", "/glossary/"})
# Public to a visitor who is not logged in: the front page (a member's dashboard is at the same address).
PUBLIC_TO_VISITORS = frozenset({"/"})
MFA_PREFIXES = ("/accounts/mfa/",)
API_PREFIX = "/api/"
LOGIN_AT_KEY = "cyberspex.login_at"
SECRET_PREFIXES = ("/ical/", "/accounts/enrol/")  # a secret in the address: personal data follows


def membership_once(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """The person's membership is read once per request, by access.py (not once per check)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        with membership_read_once():
            return get_response(request)

    return middleware


def require_mfa(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(PUBLIC_PREFIXES + PORTAL_PREFIXES) or path.startswith(API_PREFIX) or path in PUBLIC_PAGES:
            return get_response(request)  # the API authenticates with tokens, made only after MFA
        user = request.user
        if not user.is_authenticated and path in PUBLIC_TO_VISITORS and request.method in ("GET", "HEAD"):
            return get_response(request)
        if not user.is_authenticated:
            # A form sent after the session ended: its fields are kept for the member whose session it was.
            if request.method == "POST" and (owner := kept.ended_session_user(request)) is not None:
                kept.keep(request, user_id=owner)
            return redirect_to_login(request.get_full_path(), "/accounts/login/")
        if not user.is_verified() and not path.startswith(MFA_PREFIXES):  # type: ignore[attr-defined]  # added by OTPMiddleware
            return redirect("/accounts/mfa/")
        return get_response(request)

    return middleware


def stamp_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:  # noqa: ARG001  # signal
    """On every log-in: remember when, for the absolute session lifetime."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = timezone.now().timestamp()


def session_lifetime(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Log out a session older than SESSION_ABSOLUTE_HOURS (counted from its log-in)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_KEY)
            if login_at is None:  # a session from before this rule: its lifetime starts now
                request.session[LOGIN_AT_KEY] = timezone.now().timestamp()
            elif timezone.now().timestamp() - float(login_at) >= timedelta(hours=settings.SESSION_ABSOLUTE_HOURS).total_seconds():
                owner = request.user.pk
                logout(request)
                if request.path.startswith(API_PREFIX):
                    return get_response(request)  # now anonymous: the API answers 401 itself
                if kept.keep(request, user_id=owner):
                    messages.info(request, _("Your session has ended: log in again. What you sent is kept for you."))
                else:
                    messages.info(request, _("Your session has ended: log in again."))
                return redirect_to_login(request.get_full_path(), "/accounts/login/")
        return get_response(request)

    return middleware


def no_store(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """``Cache-Control: no-store`` on every response to a logged-in session, a bearer token, or
    an address that carries a secret (calendar feeds, enrolment links)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        private = authenticated or "HTTP_AUTHORIZATION" in request.META or request.path.startswith(SECRET_PREFIXES)
        if private and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"  # replaces any weaker caching rule
        return response

    return middleware


def user_time_zone(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Show every date and time in the person's time zone (their preference, else
    DEFAULT_USER_TIME_ZONE); storage and computation stay in UTC."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        timezone.activate(preferred_time_zone(user) if user is not None else settings.DEFAULT_USER_TIME_ZONE)
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware
