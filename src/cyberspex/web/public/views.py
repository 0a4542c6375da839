"""The public pages: the front door, the public route advisor, help and the glossary.

None needs a log-in (accounts/middleware.py lists them) and none asks for or shows personal
data: the advisor takes only States, the data category, the measure, an emergency, a date,
the offence threshold and the what-if switches."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cyberspex.web.cases import selectors
from cyberspex.web.errors import ApplicationError
from cyberspex.web.public.forms import PublicRouteForm
from cyberspex.web.public.glossary import TERMS
from cyberspex.web.public.throttle import allow_question


def front_page(request: HttpRequest) -> HttpResponse:
    """What the platform is, for a visitor who is not logged in (cases.views.dashboard calls it)."""
    return render(request, "public/front.html")


@require_GET
def advisor(request: HttpRequest) -> HttpResponse:
    states = selectors.state_choices(language=(get_language() or "en")[:2])
    form = PublicRouteForm(request.GET or None, states=states)
    context: dict[str, Any] = {"form": form, "advice": None, "login_url": reverse("accounts:login")}
    status = 422 if form.is_bound else 200
    if form.is_bound and not allow_question(request):
        context["form"] = PublicRouteForm(request.GET, states=states)  # the question stays as it was typed
        context["throttled"] = _("Too many questions from your address in the last minute: wait a minute and ask again.")
        return render(request, "public/advisor.html", context, status=429)
    if form.is_bound and form.is_valid():
        try:
            context["advice"] = selectors.advice_for(
                issuing=form.cleaned_data["issuing"], scenario=form.scenario(), as_of=form.date_asked(timezone.now().date())
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = error.status
        else:
            status = 200
    return render(request, "public/advisor.html", context, status=status)


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "public/help.html")


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "public/glossary.html", {"terms": TERMS})
