"""Input parsing for changing a case, its retention review date and its attachments, for
and searching. No business rules (editing.py, attachments.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cyberspex.web.cases.forms import CLASSIFICATIONS, DATE_INPUT


class CaseEditForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("Shown in lists and calendars: do not put personal data in it.")
    )
    classification = forms.ChoiceField(label=_("Classification"), choices=CLASSIFICATIONS)
    summary_of_facts = forms.CharField(label=_("Summary of facts"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    version = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)  # editing.case_version


class RetentionForm(forms.Form):
    prefix = "retention"
    retention_review_date = forms.DateField(
        label=_("New retention review date"), widget=DATE_INPUT, help_text=_("A future date (2AP Art 14(5)).")
    )
    reason = forms.CharField(
        label=_("Why does the review date change?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit trail; erased with the case's personal data."),
    )


class AttachmentForm(forms.Form):
    prefix = "attachment"
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG, plain text, DOCX or ODT, recognised by its content."),
    )


class SiteSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search cases and requests"),
        max_length=100,
        help_text=_("Reference, title, offence, identifier, form, state or recipient State."),
    )
