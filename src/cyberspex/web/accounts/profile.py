"""The organisation profile: how the organisation signs its orders (issuing authority's name,
address and contact), pre-filled into every form it drafts. Its administrator edits it; every
change is one audited transaction."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.accounts.models import OrganisationProfile
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError

FIELDS = ("authority_name", "address", "contact_person", "email", "phone")


class ProfileForm(forms.Form):
    authority_name = forms.CharField(
        label=gettext_lazy("Name of the issuing authority"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("As it signs its orders; empty: the organisation's name."),
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    contact_person = forms.CharField(label=gettext_lazy("Contact person or office"), max_length=200, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"), max_length=200, required=False)
    phone = forms.RegexField(
        label=gettext_lazy("Telephone"),
        regex=r"^\+[1-9]\d{1,14}$",
        max_length=40,
        required=False,
        help_text=gettext_lazy("With the country code, digits only, e.g. +33100000000."),
        error_messages={"invalid": gettext_lazy("Give the number with its country code, digits only, e.g. +33100000000.")},
    )


@transaction.atomic
def profile_update(*, actor: User, values: dict[str, str], now: datetime) -> OrganisationProfile:
    """Save the administrator's organisation profile; audited with the names of the fields changed."""
    own = organisation(actor)
    if own is None or not can(actor, Action.MANAGE_ACCOUNTS, own):
        raise ApplicationError("only an administrator of the organisation edits its profile", status=403)
    profile, _created = OrganisationProfile.objects.select_for_update().get_or_create(organisation=own)
    changed = sorted(k for k in FIELDS if getattr(profile, k) != values.get(k, ""))
    for key in FIELDS:
        setattr(profile, key, values.get(key, ""))
    profile.save()
    append(
        at=now,
        actor=actor.get_username(),
        organisation=own.name,
        event=Event.CHANGE,
        object_type="organisation",
        object_id=str(own.pk),
        details={"profile": changed},
    )
    return profile


@require_http_methods(["GET", "POST"])
def organisation_profile(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not isinstance(actor, User) or not can(actor, Action.MANAGE_ACCOUNTS):
        raise PermissionDenied
    own = organisation(actor)
    current = OrganisationProfile.objects.filter(organisation=own).first()
    initial = {k: getattr(current, k) for k in FIELDS} if current else {}
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            profile_update(actor=actor, values=form.cleaned_data, now=timezone.now())
            messages.success(request, _("The organisation profile is saved: new drafts are pre-filled with it."))
            return redirect("accounts:organisation_profile")
    return render(request, "accounts/organisation_profile.html", {"form": form, "organisation": own}, status=status)
