"""The directory pages: every organisation on the instance (any member reads it, to address a
request and to verify a signature), one organisation, and, for an organisation's administrator,
its policy profile and its signing keys. Thin over ``directory`` (reads) and
``directory_services`` (writes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cyberspex.forms.package import country_name
from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.accounts.models import Organisation
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import directory, directory_services
from cyberspex.web.exchange.models import Function, PolicyProfile, SigningKey
from cyberspex.web.exchange.views import _error_page, _user

FUNCTION_LABELS = {
    Function.PROVIDER.value: gettext_lazy("Service provider"),
    Function.REGISTRAR.value: gettext_lazy("Domain name registrar (CETS 224 Art 6)"),
    Function.NOTIFIED_AUTHORITY.value: gettext_lazy("Authority notified of Art 7 orders (CETS 224 Art 7(5)(a))"),
    Function.ENFORCING_AUTHORITY.value: gettext_lazy("Enforcing authority (Regulation (EU) 2023/1543 Arts 8 and 12)"),
    Function.REQUESTED_PARTY.value: gettext_lazy("Authority receiving Art 8 orders (CETS 224 Art 8(10), 8(11))"),
    Function.CENTRAL_AUTHORITY.value: gettext_lazy("Central authority (mutual assistance, CETS 224 Art 10)"),
    Function.CONTACT_247.value: gettext_lazy("24/7 point of contact (ETS 185 Art 35, CETS 224 Art 9)"),
}
ESTABLISHMENT_LABELS = {
    "designated_establishment": gettext_lazy("Designated establishment"),
    "legal_representative": gettext_lazy("Legal representative"),
}


@dataclass(frozen=True)
class KeyShown:
    key_id: str
    fingerprint: str
    created_at: Any
    retired_at: Any


@dataclass(frozen=True)
class EntryShown:
    """One organisation as the directory pages show it."""

    organisation: Organisation
    kind: str
    state: str
    functions: list[str]
    current_key: KeyShown | None
    retired_keys: list[KeyShown]
    policy: PolicyProfile | None
    establishment: str  # "Designated establishment" or "Legal representative"
    establishment_state: str
    publishes: bool  # a provider or registrar: it may publish a policy profile


def _key(key: SigningKey) -> KeyShown:
    return KeyShown(key.key_id, directory.fingerprint(key), key.created_at, key.retired_at)


def shown(found: Organisation, language: str) -> EntryShown:
    keys = list(found.signing_keys.all())
    policy = getattr(found, "policy", None) if directory.publishes_policy(found) else None
    return EntryShown(
        organisation=found,
        kind=str(found.get_kind_display()),
        state=country_name(found.country, language),
        functions=[str(FUNCTION_LABELS.get(f, f)) for f in found.functions],
        current_key=next((_key(k) for k in keys if k.retired_at is None), None),
        retired_keys=[_key(k) for k in keys if k.retired_at is not None],
        policy=policy,
        establishment=str(ESTABLISHMENT_LABELS.get(policy.eu_establishment_kind, "")) if policy else "",
        establishment_state=country_name(policy.eu_establishment_state, language)
        if policy and policy.eu_establishment_state
        else "",
        publishes=directory.publishes_policy(found),
    )


def _language() -> str:
    return translation.get_language() or "en"


@require_GET
def directory_list(request: HttpRequest) -> HttpResponse:
    _user(request)
    function = request.GET.get("function", "")
    function = function if function in Function.values else ""
    state = request.GET.get("state", "").strip().upper()[:2]
    query = request.GET.get("q", "").strip()[:100]
    language = _language()
    found = [shown(o, language) for o in directory.organisations(function=function, state=state, query=query)]
    states = sorted({o.country for o in Organisation.objects.all()})
    context = {
        "entries": found,
        "function": function,
        "state": state,
        "query": query,
        "functions": [(value, str(label)) for value, label in FUNCTION_LABELS.items()],
        "states": [(code, country_name(code, language)) for code in states],
        "may_manage": can(_user(request), Action.MANAGE_DIRECTORY),
        "may_publish": (own := organisation(_user(request))) is not None and directory.publishes_policy(own),
    }
    return render(request, "exchange/directory.html", context)


@require_GET
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = _user(request)
    found = directory.organisations().filter(pk=organisation_id).first()
    if found is None:
        return _error_page(request, ApplicationError("no such organisation", status=404))
    own = organisation(user)
    context = {
        "entry": shown(found, _language()),
        "may_manage": own is not None and own.pk == found.pk and can(user, Action.MANAGE_DIRECTORY, found),
    }
    return render(request, "exchange/directory_entry.html", context)


class PolicyForm(forms.Form):
    languages = forms.CharField(
        label=gettext_lazy("Languages accepted"),
        max_length=200,
        help_text=gettext_lazy("ISO 639-1 codes separated by commas, e.g. en, de."),
    )
    electronic_submission = forms.BooleanField(label=gettext_lazy("Accepts requests submitted electronically"), required=False)
    user_notification = forms.CharField(
        label=gettext_lazy("Notification of users"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Whether and when the organisation tells its users about requests for their data."),
    )
    confidentiality = forms.CharField(
        label=gettext_lazy("Confidentiality practice"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    emergency_disclosure = forms.CharField(
        label=gettext_lazy("Emergency disclosure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Whether and how it discloses data in an emergency, and how to reach it then."),
    )
    rdap_access = forms.CharField(
        label=gettext_lazy("WHOIS/RDAP access (registrars)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    eu_establishment_kind = forms.ChoiceField(
        label=gettext_lazy("In the European Union, requests go to its"),
        required=False,
        choices=[("", gettext_lazy("(none)")), *ESTABLISHMENT_LABELS.items()],
    )
    eu_establishment_state = forms.CharField(
        label=gettext_lazy("Member State (ISO 3166-1 code, e.g. IE)"), required=False, max_length=10
    )
    eu_establishment_name = forms.CharField(label=gettext_lazy("Name of the establishment or representative"), required=False)
    source = forms.CharField(
        label=gettext_lazy("Source (address of the organisation's own policy page)"), required=False, max_length=300
    )

    def given(self) -> directory_services.PolicyInput:
        data = self.cleaned_data
        codes = [c for c in data["languages"].replace(";", ",").split(",") if c.strip()]
        return directory_services.PolicyInput(
            languages=codes,
            electronic_submission=data["electronic_submission"],
            user_notification=data["user_notification"],
            confidentiality=data["confidentiality"],
            emergency_disclosure=data["emergency_disclosure"],
            rdap_access=data["rdap_access"],
            eu_establishment_kind=data["eu_establishment_kind"],
            eu_establishment_state=data["eu_establishment_state"],
            eu_establishment_name=data["eu_establishment_name"],
            source=data["source"],
        )


def _initial(policy: PolicyProfile | None) -> dict[str, Any]:
    if policy is None:
        return {"electronic_submission": True}
    fields = [f for f in directory.POLICY_FIELDS if f != "languages"]
    return {f: getattr(policy, f) for f in fields} | {"languages": ", ".join(policy.languages)}


def _administered(request: HttpRequest) -> Organisation:
    user = _user(request)
    own = organisation(user)
    if own is None or not can(user, Action.MANAGE_DIRECTORY, own):
        raise ApplicationError(_("Only an administrator of the organisation manages its directory entry."), status=403)
    return own


@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    try:
        own = _administered(request)
        if not directory.publishes_policy(own):
            raise ApplicationError(_("Only providers and registrars publish a policy profile in the directory."), status=403)
    except ApplicationError as error:
        return _error_page(request, error)
    policy = PolicyProfile.objects.filter(organisation=own).first()
    form = PolicyForm(request.POST if request.method == "POST" else None, initial=_initial(policy))
    if request.method == "POST" and form.is_valid():
        try:
            directory_services.policy_profile_save(user=_user(request), given=form.given(), now=timezone.now())
        except ApplicationError as error:
            if error.status != 422:
                return _error_page(request, error)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The policy profile is published in the directory."))
            return redirect("directory:organisation", organisation_id=own.pk)
    status = 422 if form.is_bound else 200
    return render(request, "exchange/policy.html", {"form": form, "organisation": own, "policy": policy}, status=status)


class RotateForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand: the current key is retired (it still verifies what it signed) and new deliveries are signed "
            "with a new key."
        )
    )


def _keys_page(request: HttpRequest, own: Organisation, form: RotateForm, status: int = 200) -> HttpResponse:
    found = directory.organisations().get(pk=own.pk)
    return render(request, "exchange/keys.html", {"entry": shown(found, _language()), "form": form}, status=status)


@require_GET
def keys(request: HttpRequest) -> HttpResponse:
    try:
        own = _administered(request)
    except ApplicationError as error:
        return _error_page(request, error)
    return _keys_page(request, own, RotateForm())


@require_POST
def key_rotate(request: HttpRequest) -> HttpResponse:
    try:
        own = _administered(request)
    except ApplicationError as error:
        return _error_page(request, error)
    form = RotateForm(request.POST)
    if not form.is_valid():
        return _keys_page(request, own, form, status=422)
    key = directory_services.signing_key_rotate(user=_user(request), now=timezone.now())
    messages.success(request, _("The key was rotated: new deliveries are signed with the key %(key)s.") % {"key": key.key_id})
    return redirect("directory:keys")
