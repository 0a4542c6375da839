"""Training pages under /training/ (login and MFA, like every page outside the public portal):
the library, an exercise with the route choice and the same form editor as real drafting, the
graded result, and the trainers' cohorts and training sessions. Thin: the services and selectors
decide, ``cyberspex.forms.exercises`` grades."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cyberspex.forms.exercises import Exercise, form_for_route, route_titles
from cyberspex.web.accounts.access import Action, can
from cyberspex.web.cases import selectors as case_selectors
from cyberspex.web.cases.editor import Choices, editor_for, language_choices, read_posted, zone_names
from cyberspex.web.cases.views import _error_page, _language, _user
from cyberspex.web.errors import ApplicationError
from cyberspex.web.training import selectors, services
from cyberspex.web.training.models import Delivery

UNPROCESSABLE = 422  # a page's answer to input it refuses, as the other pages of the site


def _choices() -> Choices:
    return Choices(states=case_selectors.state_choices(language=_language()), languages=language_choices())


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        rows = selectors.exercise_rows(user)
    except ApplicationError as error:
        return _error_page(request, error)
    return render(request, "training/index.html", {"rows": rows, "trainer": can(user, Action.TRAIN)})


def _exercise_page(
    request: HttpRequest,
    exercise: Exercise,
    *,
    route: str,
    data: dict[str, Any],
    problems: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    titles = route_titles()
    form = form_for_route(route) if route in titles else None
    editor = editor_for(form.id, data, language=_language(), choices=_choices()) if form else None
    if editor is not None:
        named = editor.by_name()
        for name, text in (problems or {}).items():
            if name in named:
                named[name].errors.append(text)
    context = {
        "exercise": exercise,
        "routes": list(titles.items()),
        "route": route if route in titles else "",
        "route_title": titles.get(route, ""),
        "editor": editor,
        "zones": zone_names() if editor else [],
        "attempts": selectors.attempts_of(_user(request), exercise.id),
        "message": message,
        "problems": problems or {},
    }
    return render(request, "training/exercise.html", context, status=status)


@require_http_methods(["GET", "POST"])
def exercise(request: HttpRequest, exercise_id: str) -> HttpResponse:
    """GET: the facts and the route choice (``?route=`` opens that route's form). POST: the
    editor's add/remove of a list item re-renders; otherwise the answer is graded and recorded."""
    user = _user(request)
    try:
        services.member_for(user, Action.ATTEMPT_EXERCISE)
        found = services.exercise_get(exercise_id)
    except ApplicationError as error:
        return _error_page(request, error)
    if request.method == "GET":
        return _exercise_page(request, found, route=request.GET.get("route", ""), data={})
    route = request.POST.get("route", "")
    form = form_for_route(route)
    if route not in route_titles():
        return _exercise_page(request, found, route="", data={}, message=_("Choose a route first."), status=UNPROCESSABLE)
    posted = (
        read_posted(form.id, request.POST, remove=request.POST.get("editor_remove", ""), add=request.POST.get("editor_add", ""))
        if form
        else None
    )
    data = posted.data if posted else {}
    if posted is not None and (posted.problems or "editor_add" in request.POST or "editor_remove" in request.POST):
        status = UNPROCESSABLE if posted.problems else 200
        return _exercise_page(request, found, route=route, data=data, problems=posted.problems, status=status)
    try:
        attempt = services.attempt_submit(user=user, exercise_id=found.id, route=route, form=data, now=timezone.now())
    except ApplicationError as error:
        return _exercise_page(request, found, route=route, data=data, message=error.message, status=error.status)
    return redirect("training:attempt", attempt_id=attempt.pk)


@require_GET
def attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = _user(request)
    try:
        found = selectors.attempt_get(user, attempt_id)
        exercise = services.exercise_get(found.exercise_id)
    except ApplicationError as error:
        return _error_page(request, error)
    titles = route_titles()
    context = {
        "attempt": found,
        "exercise": exercise,
        "result": found.result,
        "chosen_title": titles.get(found.route, found.route),
        "expected_title": titles.get(exercise.expected_route, exercise.expected_route),
        "own": found.user_id == user.pk,
    }
    return render(request, "training/attempt.html", context)


class CohortForm(django_forms.Form):
    name = django_forms.CharField(label=gettext_lazy("Name of the cohort"), max_length=200)


class TraineeForm(django_forms.Form):
    cohort = django_forms.IntegerField(widget=django_forms.HiddenInput)
    username = django_forms.CharField(label=gettext_lazy("Username of the trainee"), max_length=150)


@require_http_methods(["GET", "POST"])
def cohorts(request: HttpRequest) -> HttpResponse:
    """A trainer's cohorts and results per trainee and exercise; POST makes a cohort or adds a trainee."""
    user = _user(request)
    message = ""
    status = 200
    if request.method == "POST":
        try:
            if "username" in request.POST:
                posted = TraineeForm(request.POST)
                if not posted.is_valid():
                    raise ApplicationError(_("Give the username of a trainee."), field="username")
                services.cohort_add_trainee(
                    user=user, cohort_id=posted.cleaned_data["cohort"], username=posted.cleaned_data["username"]
                )
            else:
                made = CohortForm(request.POST)
                if not made.is_valid():
                    raise ApplicationError(_("Give the cohort a name."), field="name")
                services.cohort_create(user=user, name=made.cleaned_data["name"], now=timezone.now())
        except ApplicationError as error:
            if error.status == 403:
                return _error_page(request, error)
            message, status = error.message, UNPROCESSABLE if error.status == 400 else error.status
        else:
            return redirect("training:cohorts")
    try:
        results = selectors.cohort_results(user)
    except ApplicationError as error:
        return _error_page(request, error)
    context = {"results": results, "form": CohortForm(), "message": message}
    return render(request, "training/cohorts.html", context, status=status)


class SessionForm(django_forms.Form):
    held_on = django_forms.DateField(label=gettext_lazy("Date"), widget=django_forms.DateInput(attrs={"type": "date"}))
    title = django_forms.CharField(label=gettext_lazy("Title"), max_length=200)
    delivery = django_forms.ChoiceField(label=gettext_lazy("Held"), choices=Delivery.choices)
    place = django_forms.CharField(label=gettext_lazy("Place (town or venue; empty online)"), max_length=200, required=False)
    participants = django_forms.IntegerField(label=gettext_lazy("Number of participants"), min_value=1)


@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest) -> HttpResponse:
    """Training sessions of the trainer's organisation; POST records one."""
    user = _user(request)
    form = SessionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values: dict[str, Any] = form.cleaned_data
            held_on: date = values["held_on"]
            try:
                services.session_record(
                    user=user,
                    held_on=held_on,
                    title=values["title"],
                    delivery=values["delivery"],
                    place=values["place"],
                    participants=values["participants"],
                    now=timezone.now(),
                )
            except ApplicationError as error:
                if error.status == 403:
                    return _error_page(request, error)
                form.add_error(error.field if error.field in form.fields else None, error.message)
                status = UNPROCESSABLE if error.status == 400 else error.status
            else:
                return redirect("training:sessions")
        else:
            status = UNPROCESSABLE
    try:
        found = selectors.sessions_of(user)
    except ApplicationError as error:
        return _error_page(request, error)
    return render(request, "training/sessions.html", {"sessions": found, "form": form}, status=status)
