"""The pages of 24/7 points of contact and central authorities (exchange/emergency.py): the panel
of an emergency item (elapsed time, the checklist, the hand-off), and oral requests. Thin over
the services; the panel is registered with exchange/panels.py when the app starts."""

from __future__ import annotations

from datetime import datetime

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cyberspex.web.accounts.access import Action, can
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import emergency, panels
from cyberspex.web.exchange.models import OPEN_STATUSES, DeliveryRole, OralRequest
from cyberspex.web.exchange.selectors import InboxItem
from cyberspex.web.exchange.views import _error_page, _user


@panels.register(frozenset({DeliveryRole.CONTACT_247, DeliveryRole.CENTRAL}))
def emergency_panel(request: HttpRequest, user: User, item: InboxItem, now: datetime) -> panels.Panel | None:  # noqa: ARG001
    delivery = item.delivery
    state = emergency.state_of(delivery)
    may_decide = can(user, Action.DECIDE, delivery.organisation) and delivery.request.form_id in emergency.CHECKLISTS
    return panels.Panel(
        "exchange/_emergency_panel.html",
        {
            "delivery": delivery,
            "elapsed": emergency.elapsed(delivery.delivered_at, now),
            "checklist": emergency.checklist(delivery),
            "check": state["check"],
            "handed_off": state["handed_off"],
            "children": state["children"],
            "may_check": may_decide and state["check"] is None and delivery.status in OPEN_STATUSES,
            "may_hand_off": may_decide and state["check"] is not None and state["check"].kind == "emergency_accepted",
            "targets": emergency.hand_off_targets(delivery) if may_decide else [],
            "pass_on": emergency.pass_on_choices(delivery),
        },
    )


def _refusal(request: HttpRequest, error: ApplicationError, back: str, **kwargs: int) -> HttpResponse:
    """A refusal on a page: 404 as the error page; otherwise the message, with the right status."""
    if error.status == 404:
        return _error_page(request, error)
    context = {"message": error.message, "status": error.status, "back": reverse(back, kwargs=kwargs)}
    return render(request, "exchange/refusal.html", context, status=error.status)


@require_POST
def emergency_check(request: HttpRequest, delivery_id: int) -> HttpResponse:
    try:
        emergency.emergency_check(
            user=_user(request),
            delivery_id=delivery_id,
            accepted=request.POST.get("accepted") == "yes",
            reasons=request.POST.get("reasons", "")[:6000],
            checked=request.POST.getlist("checked")[:20],
            now=timezone.now(),
        )
    except ApplicationError as error:
        return _refusal(request, error, "exchange:item", delivery_id=delivery_id)
    messages.success(request, _("The check of the emergency facts is recorded; the requesting side sees it."))
    return redirect("exchange:item", delivery_id=delivery_id)


@require_POST
def hand_off(request: HttpRequest, delivery_id: int) -> HttpResponse:
    raw = request.POST.get("organisation_id", "")
    fields = request.POST.getlist("fields")[:30]
    try:  # no organisation chosen: 0, which the service refuses once it has checked access and order
        child = emergency.hand_off(
            user=_user(request),
            delivery_id=delivery_id,
            organisation_id=int(raw) if raw.isdigit() else 0,
            fields=fields or None,
            now=timezone.now(),
        )
    except ApplicationError as error:
        return _refusal(request, error, "exchange:item", delivery_id=delivery_id)
    messages.success(request, _("Handed off to %(name)s, signed by your organisation.") % {"name": child.organisation.name})
    return redirect("exchange:item", delivery_id=delivery_id)


class OralRequestForm(django_forms.Form):
    caller_name = django_forms.CharField(label=gettext_lazy("Caller's name"), max_length=200)
    caller_authority = django_forms.CharField(
        label=gettext_lazy("Caller's authority (foreign 24/7 point of contact)"), max_length=200
    )
    caller_state = django_forms.CharField(
        label=gettext_lazy("Caller's State"), max_length=2, min_length=2, help_text=gettext_lazy("Two-letter code, e.g. ES.")
    )
    caller_phone = django_forms.CharField(label=gettext_lazy("Caller's telephone number"), max_length=50, required=False)
    called_at = django_forms.DateTimeField(
        label=gettext_lazy("Time of the call"),
        widget=django_forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("In your time zone."),
    )
    asked = django_forms.CharField(
        label=gettext_lazy("What was asked"),
        widget=django_forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=gettext_lazy("The provider, the account or identifier, the data sought."),
    )
    emergency_facts = django_forms.CharField(
        label=gettext_lazy("The emergency facts the caller gave"),
        widget=django_forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=gettext_lazy("Who is at risk, of what, how soon, and how the data relate to it (CETS 224 Art 9(3)(e))."),
    )
    callback_verified = django_forms.BooleanField(
        label=gettext_lazy(
            "I verified the caller by calling back on a number of their 24/7 point of contact known independently"
        ),
        required=False,
    )


@require_http_methods(["GET", "POST"])
def oral_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = OralRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = emergency.oral_intake_create(user=user, now=timezone.now(), **form.cleaned_data)
        except ApplicationError as error:
            if error.status in (403, 404):
                return _error_page(request, error)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The oral request is recorded. Its written confirmation is outstanding."))
            return redirect("exchange:oral_detail", oral_request_id=made.pk)
    elif request.method == "GET" and not emergency.may_take_calls(user):
        return _error_page(
            request, ApplicationError(_("Only a 24/7 point of contact's members who decide record oral requests."), status=403)
        )
    status = 422 if request.method == "POST" else 200
    return render(request, "exchange/oral_new.html", {"form": form}, status=status)


class ConfirmationForm(django_forms.Form):
    delivery_id = django_forms.TypedChoiceField(
        label=gettext_lazy("The written request, delivered to your inbox"), coerce=int, required=False, empty_value=None
    )
    note = django_forms.CharField(
        label=gettext_lazy("Or: the written confirmation received by other means"),
        widget=django_forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    confirmation_date = django_forms.DateField(
        label=gettext_lazy("Its date"), widget=django_forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(self, *args: object, choices: list[tuple[object, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["delivery_id"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


def _confirmation_form(user: User, data: object = None) -> ConfirmationForm:
    choices = [
        (d.pk, f"{d.request.form_id} — {d.signed_by.name} — {timezone.localtime(d.delivered_at):%Y-%m-%d %H:%M}")
        for d in emergency.written_requests(user=user)
    ]
    return ConfirmationForm(data, choices=choices)  # type: ignore[arg-type]


@require_GET
def oral_detail(request: HttpRequest, oral_request_id: int) -> HttpResponse:
    user = _user(request)
    try:
        oral = emergency.oral_get(user=user, oral_request_id=oral_request_id)
    except ApplicationError as error:
        return _error_page(request, error)
    return _oral_page(request, user, oral, _confirmation_form(user))


def _oral_page(request: HttpRequest, user: User, oral: OralRequest, form: ConfirmationForm, status: int = 200) -> HttpResponse:
    context = {
        "oral": oral,
        "elapsed": emergency.elapsed(oral.called_at, timezone.now()),
        "form": form,
        "may_confirm": oral.confirmed_at is None and can(user, Action.DECIDE, oral.organisation),
    }
    return render(request, "exchange/oral_detail.html", context, status=status)


@require_POST
def oral_confirm(request: HttpRequest, oral_request_id: int) -> HttpResponse:
    user = _user(request)
    form = _confirmation_form(user, request.POST)
    try:
        oral = emergency.oral_get(user=user, oral_request_id=oral_request_id)
        if not form.is_valid():
            raise ApplicationError(_("Check the fields of the confirmation."), status=422)
        emergency.oral_intake_confirm(
            user=user,
            oral_request_id=oral_request_id,
            now=timezone.now(),
            delivery_id=form.cleaned_data["delivery_id"],
            note=form.cleaned_data["note"],
            confirmation_date=form.cleaned_data["confirmation_date"],
        )
    except ApplicationError as error:
        if error.status in (403, 404, 409):
            return _refusal(request, error, "exchange:oral_detail", oral_request_id=oral_request_id)
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _oral_page(request, user, oral, form, status=error.status)
    messages.success(request, _("The written confirmation is recorded."))
    return redirect("exchange:oral_detail", oral_request_id=oral_request_id)
