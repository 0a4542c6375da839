"""Pages of one's own account (API tokens, password, recovery codes) and the administrator's
page of the organisation's members. Thin views over accounts/lifecycle.py and api/auth.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from cyberspex.web.accounts import lifecycle
from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.accounts.models import Role
from cyberspex.web.api.auth import token_create, token_revoke, token_state, tokens_visible
from cyberspex.web.errors import ApplicationError


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # the MFA middleware lets no anonymous request through
        raise PermissionDenied
    return user


def _error_page(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    message = _("This page does not exist, or you may not see it.") if error.status == 404 else error.message
    return render(request, "cases/error.html", {"message": message, "status": error.status}, status=error.status)


# -- API tokens -------------------------------------------------------------------------


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the new token"), max_length=100)


@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """My API tokens (an administrator: the organisation's), to create and revoke."""
    user = _user(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    status = 422 if request.method == "POST" else 200
    if form.is_valid():
        try:
            secret = token_create(
                user=user,
                name=form.cleaned_data["name"],
                verified=True,  # the MFA middleware let this request through
                now=timezone.now(),
                session_key=request.session.session_key,
            )
        except ApplicationError as error:
            form.add_error("name", error.message)
            status = error.status
        else:
            return render(request, "accounts/token_created.html", {"token": secret})
    now = timezone.now()
    rows = [{"token": t, "state": token_state(t, now)} for t in tokens_visible(user=user)]
    context = {"form": form, "rows": rows, "administrator": can(user, Action.MANAGE_ACCOUNTS)}
    return render(request, "accounts/tokens.html", context, status=status)


@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token_revoke(user=_user(request), token_id=token_id, now=timezone.now())
    except ApplicationError as error:
        return _error_page(request, error)
    messages.success(request, _("The token is revoked."))
    return redirect("accounts:tokens")


# -- password and recovery codes --------------------------------------------------------


class PasswordForm(forms.Form):
    current_password = forms.CharField(
        label=gettext_lazy("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        help_text=gettext_lazy("At least 12 characters, not a common password, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


@sensitive_post_parameters("current_password", "new_password")
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordForm(request.POST if request.method == "POST" else None)
    status = 422 if request.method == "POST" else 200
    if form.is_valid():
        try:
            lifecycle.password_change(
                user=user,
                current=form.cleaned_data["current_password"],
                new=form.cleaned_data["new_password"],
                now=timezone.now(),
            )
        except ApplicationError as error:
            form.add_error(error.field, error.message)
            status = error.status
        else:
            update_session_auth_hash(request, user)  # this session stays logged in; others end
            messages.success(request, _("Your password is changed."))
            return redirect("accounts:password")
    return render(request, "accounts/password.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        try:
            codes = lifecycle.recovery_codes_create(user=user, now=timezone.now())
        except ApplicationError as error:
            return _error_page(request, error)
        return render(request, "accounts/recovery_codes_created.html", {"codes": codes})
    return render(request, "accounts/recovery_codes.html", {"left": lifecycle.recovery_codes_left(user=user)})


# -- administrators ---------------------------------------------------------------------


class UserForm(forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": gettext_lazy("Letters, digits and @ . + - _ only.")},
    )
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    password = forms.CharField(
        label=gettext_lazy("Initial password"),
        strip=False,
        help_text=gettext_lazy("Give it to the person by another channel than the enrolment link; they can change it."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)


def _administrator(request: HttpRequest) -> User:
    user = _user(request)
    if not can(user, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied
    return user


def _link_page(request: HttpRequest, subject: User, token: str, status: int = 200) -> HttpResponse:
    context = {"subject": subject, "url": lifecycle.enrolment_url(token)}
    return render(request, "accounts/enrolment_link_created.html", context, status=status)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def administration(request: HttpRequest) -> HttpResponse:
    """The organisation's members, with a form to add one."""
    actor = _administrator(request)
    form = UserForm(request.POST if request.method == "POST" else None)
    status = 422 if request.method == "POST" else 200
    if form.is_valid():
        try:
            created = lifecycle.user_create(actor=actor, now=timezone.now(), **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field, error.message)
            status = error.status
        else:
            return _link_page(request, created.user, created.enrolment_token, status=201)
    context = {
        "form": form,
        "organisation": organisation(actor),
        "members": lifecycle.members(actor=actor),
        "roles": Role.choices,
        "me": actor.pk,
        "federation": can(actor, Action.MANAGE_FEDERATION),
    }
    return render(request, "accounts/administration.html", context, status=status)


@require_POST
def member_action(request: HttpRequest, user_id: int, action: str) -> HttpResponse:
    """One administrator's action on a member: deactivate, reset-totp, enrolment-link or role."""
    actor = _administrator(request)
    now = timezone.now()
    try:
        if action == "deactivate":
            subject = lifecycle.user_deactivate(actor=actor, user_id=user_id, now=now)
            messages.success(request, _("%(user)s is deactivated; their API tokens are revoked.") % {"user": subject.username})
        elif action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("Choose one of the roles."), field="role", status=422)
            found = lifecycle.role_change(actor=actor, user_id=user_id, role=form.cleaned_data["role"], now=now)
            messages.success(
                request,
                _("%(user)s now has the role %(role)s.") % {"user": found.user.username, "role": found.get_role_display()},
            )
        elif action == "reset-totp":
            token = lifecycle.totp_reset(actor=actor, user_id=user_id, now=now)
            return _link_page(request, User.objects.get(pk=user_id), token)
        elif action == "enrolment-link":
            token = lifecycle.enrolment_link_create(actor=actor, user_id=user_id, now=now)
            return _link_page(request, User.objects.get(pk=user_id), token)
        else:
            raise ApplicationError(_("Unknown action."), status=404)
    except ApplicationError as error:
        return _error_page(request, error)
    return redirect("accounts:administration")
