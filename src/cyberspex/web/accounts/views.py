"""Log-in, the second factor (TOTP enrolment or verification) and log-out."""

from __future__ import annotations

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from cyberspex.web.accounts import lifecycle, services
from cyberspex.web.accounts.throttle import client_address
from cyberspex.web.api.auth import digest, tokens_revoke_for_session
from cyberspex.web.errors import ApplicationError

NEXT_KEY = "cyberspex.next"
ENROLMENT_KEY = "cyberspex.enrolment_link"  # the SHA-256 of the enrolment link opened in this session


class LoginForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Six-digit code"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": gettext_lazy("Enter the six digits your authenticator shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}),
    )

    def digits(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST (even an empty one, so the form reports what is missing)."""
    return request.POST if request.method == "POST" else None


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # the MFA middleware lets no anonymous request through
        raise PermissionDenied
    return user


def _next_url(request: HttpRequest, candidate: str) -> str:
    ok = url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return candidate if candidate and ok else str(settings.LOGIN_REDIRECT_URL)


def _verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and _verified(request):
        return redirect(_next_url(request, request.GET.get("next", "")))
    form = LoginForm(_posted(request))
    status = 200
    if form.is_valid():
        try:
            user = services.login_attempt(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                now=timezone.now(),
                address=client_address(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            login(request, user)  # rotates the session key
            request.session[NEXT_KEY] = _next_url(request, request.POST.get("next", ""))
            return redirect("accounts:mfa")
    elif request.method == "POST":
        status = 422
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/login.html", context, status=status)


def _second_factor_passed(request: HttpRequest, device: object) -> HttpResponseRedirect:
    django_otp.login(request, device)
    request.session.cycle_key()  # a new session key once the session is fully authenticated
    return redirect(_next_url(request, request.session.pop(NEXT_KEY, "")))


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if _verified(request):
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not services.totp_confirmed(user=user):
        return redirect("accounts:mfa_enrol")
    form = CodeForm(_posted(request))
    status = 422 if request.method == "POST" else 200
    if form.is_valid():
        try:
            device = services.totp_verify(user=user, code=form.digits(), now=timezone.now())
        except ApplicationError as error:
            form.add_error("code", error.message)
            status = error.status
        else:
            return _second_factor_passed(request, device)
    return render(request, "accounts/mfa_verify.html", {"form": form}, status=status)


@require_http_methods(["GET"])
def enrolment_link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-time enrolment link: remembered in the session, then the log-in (or the enrolment)."""
    now = timezone.now()
    user = request.user if isinstance(request.user, User) else None
    link = lifecycle.enrolment_link_valid(user=user, link_digest=digest(token), now=now)
    if link is None:
        context = {"message": _("This enrolment link is not valid: it was used already, has expired or was replaced.")}
        return render(request, "accounts/enrolment_needed.html", context, status=404)
    request.session[ENROLMENT_KEY] = link.digest
    if user is None:
        messages.info(request, _("Log in with your password to set up your authenticator."))
        return redirect("accounts:login")
    return redirect("accounts:mfa_enrol")


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if services.totp_confirmed(user=user):
        return redirect("accounts:mfa")
    link_digest = str(request.session.get(ENROLMENT_KEY, ""))
    try:
        device = services.totp_enrolment_device(user=user, link_digest=link_digest, now=timezone.now())
    except ApplicationError as error:
        return render(request, "accounts/enrolment_needed.html", {"message": error.message}, status=error.status)
    form = CodeForm(_posted(request))
    status = 422 if request.method == "POST" else 200
    if form.is_valid():
        try:
            device = services.totp_confirm(user=user, code=form.digits(), now=timezone.now(), link_digest=link_digest)
        except ApplicationError as error:
            form.add_error("code", error.message)
            status = error.status
        else:
            request.session.pop(ENROLMENT_KEY, None)
            return _second_factor_passed(request, device)
    context = {
        "form": form,
        "secret": services.totp_secret_text(device),
        # segno writes the SVG itself (title escaped); nothing in it comes from the request.
        "qr_svg": mark_safe(services.totp_qr_svg(device, title=_("QR code of your authenticator secret"))),  # noqa: S308
    }
    return render(request, "accounts/mfa_enrol.html", context, status=status)


class RecoveryForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Recovery code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "size": 16}),
    )


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def mfa_recovery(request: HttpRequest) -> HttpResponse:
    """A one-time recovery code instead of the authenticator's code."""
    user = _user(request)
    if _verified(request):
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = RecoveryForm(_posted(request))
    status = 422 if request.method == "POST" else 200
    if form.is_valid():
        try:
            device = lifecycle.recovery_code_verify(user=user, code=form.cleaned_data["code"], now=timezone.now())
        except ApplicationError as error:
            form.add_error("code", error.message)
            status = error.status
        else:
            messages.warning(request, _("You used a recovery code: each works only once. Make new ones when few are left."))
            return _second_factor_passed(request, device)
    return render(request, "accounts/mfa_recovery.html", {"form": form}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):  # the API tokens this session created die with it
        tokens_revoke_for_session(user=request.user, session_key=request.session.session_key, now=timezone.now())
    logout(request)  # flushes the session, OTP verification included
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")
