"""Every page but the public ones needs a log-in that passed the second factor (TOTP)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

PUBLIC_PREFIXES = (
    "/healthz",
    "/accounts/login",
    "/accounts/logout",
    "/static/",
    "/i18n/",
    "/ical/",  # calendar feeds authenticate with their own secret token
    "/api/v1/routes",
    "/api/v1/openapi.json",
    "/api/v1/docs",
)
MFA_PREFIXES = ("/accounts/mfa/",)
API_PREFIX = "/api/"


def require_mfa(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(PUBLIC_PREFIXES) or path.startswith(API_PREFIX):
            return get_response(request)  # the API authenticates with tokens, made only after MFA
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "/accounts/login/")
        if not user.is_verified() and not path.startswith(MFA_PREFIXES):  # type: ignore[attr-defined]  # added by OTPMiddleware
            return redirect("/accounts/mfa/")
        return get_response(request)

    return middleware
