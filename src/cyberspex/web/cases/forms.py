"""Input parsing for the case pages: plain Django forms, no business rules (those are in
services.py). Also the translated labels of the choices the pages show."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cyberspex.law.scenario import DataCategory, EmergencyKind, Measure
from cyberspex.web.cases.models import Classification, State
from cyberspex.web.cases.selectors import ScenarioInput

CLASSIFICATIONS = [
    (Classification.RESTRICTED.value, _("Restricted")),
    (Classification.CONFIDENTIAL.value, _("Confidential")),
    (Classification.SECRET.value, _("Secret")),
]
STATE_LABELS = {
    State.DRAFT.value: _("Draft"),
    State.AWAITING_APPROVAL.value: _("Awaiting approval"),
    State.VALIDATED.value: _("Validated, ready to issue"),
    State.ISSUED.value: _("Issued"),
    State.ACKNOWLEDGED.value: _("Acknowledged"),
    State.ANSWERED.value: _("Answered"),
    State.REFUSED.value: _("Refused"),
    State.PARTIALLY_ANSWERED.value: _("Partially answered"),
    State.LAPSED.value: _("Lapsed"),
    State.CLOSED.value: _("Closed"),
    State.WITHDRAWN.value: _("Withdrawn"),
}
PACKAGE_LABELS = {
    "provider": _("Provider or addressee"),
    "authority": _("Authority of the receiving State"),
    "notification": _("Notified authority (CETS 224 Art 7(5))"),
    "full": _("Full copy (issuing authority)"),
}
DATA_CATEGORIES = [
    (DataCategory.SUBSCRIBER.value, _("Subscriber information")),
    (DataCategory.IDENTIFICATION.value, _("Data requested only to identify the user")),
    (DataCategory.TRAFFIC.value, _("Traffic data")),
    (DataCategory.CONTENT.value, _("Content data")),
    (DataCategory.DOMAIN_REGISTRATION.value, _("Domain name registration information")),
]
MEASURES = [(Measure.PRODUCTION.value, _("Production (disclosure)")), (Measure.PRESERVATION.value, _("Preservation"))]
EMERGENCIES = [
    ("", _("No emergency")),
    (EmergencyKind.LIFE.value, _("Threat to the life, physical integrity or safety of a person")),
    (EmergencyKind.INFRASTRUCTURE.value, _("Threat to a critical infrastructure")),
]
THRESHOLDS = [("", _("Not stated")), ("met", _("Met")), ("not_met", _("Not met"))]
IDENTIFIER_KINDS = [
    ("", _("(choose)")),
    ("email", _("E-mail address")),
    ("phone", _("Telephone number")),
    ("ip_address", _("IP address")),
    ("domain", _("Domain name")),
    ("url", _("URL")),
    ("account", _("Account")),
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UtcDateTimeField(forms.DateTimeField):
    """A date and time typed, and shown, in UTC whatever the person's display time zone (the
    label says so): identifiers' times of use and service on a provider are recorded in UTC."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def to_python(self, value: Any) -> datetime | None:
        with timezone.override(UTC):
            return super().to_python(value)


class CaseForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=64)
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("Shown in lists and calendars: do not put personal data in it.")
    )
    classification = forms.ChoiceField(label=_("Classification"), choices=CLASSIFICATIONS)
    retention_review_date = forms.DateField(
        label=_("Retention review date"), widget=DATE_INPUT, help_text=_("A future date (2AP Art 14(5)).")
    )
    summary_of_facts = forms.CharField(label=_("Summary of facts"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class OffenceForm(forms.Form):
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    provisions = forms.CharField(label=_("Provisions and penalty"), required=False, max_length=500)
    max_penalty_years = forms.IntegerField(label=_("Maximum penalty (years)"), required=False, min_value=0, max_value=100)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if self.row() is not None and not (data.get("description") and data.get("provisions")):
            raise forms.ValidationError(_("An offence needs both a description and its provisions."))
        return data

    def row(self) -> dict[str, Any] | None:
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
        return data or None


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IDENTIFIER_KINDS, required=False)
    value = forms.CharField(label=_("Value"), required=False, max_length=300)
    port = forms.IntegerField(label=_("Source port"), required=False, min_value=0, max_value=65535)
    time = UtcDateTimeField(label=_("Time of use (UTC)"), required=False)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        if self.row() is not None and not (data.get("kind") and data.get("value")):
            raise forms.ValidationError(_("An identifier needs a kind and a value."))
        return data

    def row(self) -> dict[str, Any] | None:
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
        if "time" in data:
            data["time"] = data["time"].astimezone(UTC).isoformat()
        return data or None


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    role = forms.CharField(label=_("Role in the case"), required=False, max_length=100)

    def row(self) -> dict[str, Any] | None:
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
        return data or None


OffenceFormSet = forms.formset_factory(OffenceForm, extra=2, max_num=20)
IdentifierFormSet = forms.formset_factory(IdentifierForm, extra=2, max_num=50)
PersonFormSet = forms.formset_factory(PersonForm, extra=2, max_num=50)


def rows(formset: forms.BaseFormSet[Any]) -> list[dict[str, Any]]:
    """The filled rows of a valid formset, blank ones left out."""
    return [row for form in formset.forms if (row := form.row()) is not None]


class JustificationForm(forms.Form):
    justification = forms.CharField(
        label=_("Why do you need to consult this case?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit trail with your name (LED Art 25)."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by reference or title"), required=False, max_length=100)


class RouteForm(forms.Form):
    provider_state = forms.ChoiceField(label=_("State of the provider (or of its addressee)"))
    category = forms.ChoiceField(label=_("Data category"), choices=DATA_CATEGORIES)
    measure = forms.ChoiceField(label=_("Measure"), choices=MEASURES)
    emergency = forms.ChoiceField(
        label=_("Emergency"),
        choices=EMERGENCIES,
        required=False,
        help_text=_(
            "A threat to critical infrastructure is an emergency for the EU Regulation (Art 3(18)) but not "
            "for Articles 9 and 10 of CETS 224, which require a risk to the life or safety of a person (Art 3(2)(c))."
        ),
    )
    offence_threshold = forms.ChoiceField(
        label=_("Offence threshold of Regulation (EU) 2023/1543 Art 5(4)"), choices=THRESHOLDS, required=False
    )
    assume_in_force = forms.BooleanField(label=_("Treat CETS 224 as in force"), required=False)
    assume_ratified = forms.CharField(
        label=_("Treat these States as Parties to CETS 224"),
        required=False,
        max_length=500,
        help_text=_("State codes separated by commas, or all-signatories."),
    )

    def __init__(self, *args: Any, states: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # No State is chosen for the user: the advice for the wrong country would look like an answer.
        self.fields["provider_state"].choices = [("", _("(choose)")), *states]  # type: ignore[attr-defined]  # a ChoiceField

    def scenario(self) -> ScenarioInput:
        data = self.cleaned_data
        return ScenarioInput(
            provider_state=data["provider_state"],
            data=DataCategory(data["category"]),
            measure=Measure(data["measure"]),
            emergency=EmergencyKind(data["emergency"]) if data.get("emergency") else None,
            offence_threshold={"": None, "met": True, "not_met": False}[data.get("offence_threshold") or ""],
            assume_in_force=data["assume_in_force"],
            assume_ratified=data["assume_ratified"].strip(),
        )


class TransitionForm(forms.Form):
    state = forms.ChoiceField(choices=list(STATE_LABELS.items()))
    note = forms.CharField(label=_("Note (optional; required to return with comments)"), required=False, max_length=1000)


class IssueForm(forms.Form):
    """The confirmation before a request is issued (views.request_issue)."""

    confirm = forms.BooleanField(label=_("I confirm that I issue this legal order"), required=True)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000)


class ServiceForm(forms.Form):
    """CETS 224 Art 8(6)(a): when the requested Party served the Article 8 order on the provider."""

    prefix = "service"  # the page also has the transition form, with its own note
    served_at = UtcDateTimeField(label=_("Served on the provider (UTC; empty: now)"), required=False)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000)


class DeadlineDoneForm(forms.Form):
    """Mark one deadline done, saying why (e.g. the data arrived; the condition does not hold)."""

    prefix = "done"
    reason = forms.CharField(label=_("Why is it done?"), max_length=300)
