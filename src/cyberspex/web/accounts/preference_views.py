"""The page of one's preferences: the time zone in which dates and times are shown."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from cyberspex.web.accounts.preferences import preference_set_time_zone, preferred_time_zone, time_zones
from cyberspex.web.errors import ApplicationError


def _zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in time_zones()]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        choices=_zone_choices,
        help_text=gettext_lazy("Every date and time on the pages is shown in it; the API and the calendar feed give UTC times."),
    )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):  # the MFA middleware lets no anonymous request through
        raise PermissionDenied
    if request.method == "GET":
        form = TimeZoneForm(initial={"time_zone": preferred_time_zone(user)})
        return render(request, "accounts/preferences.html", {"form": form, "now": timezone.now()})
    form = TimeZoneForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            preference_set_time_zone(user=user, time_zone=form.cleaned_data["time_zone"], now=timezone.now())
        except ApplicationError as error:
            form.add_error("time_zone", error.message)
            status = error.status
        else:
            messages.success(request, _("Dates and times are now shown in %(zone)s.") % {"zone": form.cleaned_data["time_zone"]})
            return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form, "now": timezone.now()}, status=status)
