"""The public advisor's question: the route question of the case pages plus the issuing State
and the date. Nothing about a person or a case is asked."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cyberspex.web.cases.forms import DATE_INPUT, RouteForm


class PublicRouteForm(RouteForm):
    issuing = forms.ChoiceField(label=_("Issuing State (your State)"))
    as_of = forms.DateField(
        label=_("On this date"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: today. A past or future date answers with the law as recorded for that day."),
    )

    def __init__(self, *args: Any, states: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, states=states, **kwargs)
        self.fields["issuing"].choices = [("", _("(choose)")), *states]  # type: ignore[attr-defined]  # a ChoiceField

    def date_asked(self, today: date) -> date:
        return self.cleaned_data.get("as_of") or today
