"""The case pages: dashboard, cases, route advice, request drafts and requests, downloads and
the calendar feed. Each view parses its input, calls services or selectors, and renders;
an ApplicationError becomes a message next to its field, with the error's status."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cyberspex.forms.document import Document
from cyberspex.forms.render_docx import render_docx
from cyberspex.forms.render_html import render_html
from cyberspex.forms.render_pdf import render_pdf
from cyberspex.law.citations import parse_citation
from cyberspex.web.accounts import kept
from cyberspex.web.accounts import services as account_services
from cyberspex.web.accounts.access import Action, can
from cyberspex.web.cases import approval, escalation, selectors, services
from cyberspex.web.cases.attachments import attachments_of
from cyberspex.web.cases.editor import form_title
from cyberspex.web.cases.editor_prefill import THRESHOLD_CITATION, offence_threshold
from cyberspex.web.cases.forms import (
    PACKAGE_LABELS,
    STATE_LABELS,
    CaseForm,
    DeadlineDoneForm,
    IdentifierFormSet,
    IssueForm,
    JustificationForm,
    OffenceFormSet,
    PersonFormSet,
    RouteForm,
    SearchForm,
    ServiceForm,
    TransitionForm,
    rows,
)
from cyberspex.web.cases.models import Case
from cyberspex.web.cases.search import case_requests, case_rows
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import directory
from cyberspex.web.exchange import selectors as exchange_selectors
from cyberspex.web.federation import selectors as federation
from cyberspex.web.public.views import front_page

JUSTIFICATIONS = "cyberspex.justifications"  # session: case id -> justification given for it
RENDERERS: dict[str, tuple[str, Callable[[Document], bytes]]] = {
    "pdf": ("application/pdf", render_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
    "html": ("text/html; charset=utf-8", lambda doc: render_html(doc).encode("utf-8")),
}


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # the MFA middleware lets no anonymous request through
        raise PermissionDenied
    return user


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST (even an empty one, so the form reports what is missing)."""
    return request.POST if request.method == "POST" else None


def _language() -> str:
    return (get_language() or "en")[:2]


def _error_page(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    message = _("This page does not exist, or you may not see it.") if error.status == 404 else error.message
    return render(request, "cases/error.html", {"message": message, "status": error.status}, status=error.status)


def _attach(form: forms.Form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# -- dashboard and cases ----------------------------------------------------------------


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:  # a visitor: the front door (the middleware lets only "/" through)
        return front_page(request)
    if can(_user(request), Action.VIEW_INBOX) and not can(_user(request), Action.VIEW_CASE):
        return redirect("exchange:inbox")  # a recipient's work is in its inbox
    if can(_user(request), Action.ATTEMPT_EXERCISE):
        return redirect("training:index")  # an exercise organisation has no cases: its work is training
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    now = timezone.now()
    board = selectors.dashboard(user=_user(request), query=query, page=request.GET.get("page"), now=now)
    context = {
        "board": board,
        "search": search,
        "query": query,
        "case_rows": case_rows(board.cases, now),
        "approval_queue": approval.awaiting_my_approval(_user(request)),
        # The instance administrator's short list of messages other instances have not received.
        "stuck_messages": federation.stuck(now, limit=5) if can(_user(request), Action.MANAGE_FEDERATION) else None,
    }
    return render(request, "cases/dashboard.html", context)


@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can(user, Action.EDIT_CASE):
        return _error_page(request, ApplicationError(_("Your role cannot open cases."), status=403))
    data = _posted(request)
    shown = data if data is not None else kept.restore(request)  # work kept when the session ended: shown, not sent
    form = CaseForm(shown)
    sets: dict[str, forms.BaseFormSet[Any]] = {
        "offences": OffenceFormSet(shown, prefix="offences"),
        "identifiers": IdentifierFormSet(shown, prefix="identifiers"),
        "persons": PersonFormSet(shown, prefix="persons"),
    }
    status = 200
    if data is not None:
        status = 422
        if all([form.is_valid(), *(s.is_valid() for s in sets.values())]):
            try:
                case = _create_case(user, form.cleaned_data, sets)
            except ApplicationError as error:
                _attach(form, error)
                status = error.status
            else:
                messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
                return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/case_new.html", {"form": form, **sets}, status=status)


def _create_case(user: User, cleaned: dict[str, Any], sets: dict[str, forms.BaseFormSet[Any]]) -> Case:
    return services.case_create(
        user=user,
        reference=cleaned["reference"],
        title=cleaned["title"],
        classification=cleaned["classification"],
        retention_review_date=cleaned["retention_review_date"],
        summary_of_facts=cleaned["summary_of_facts"],
        offences=rows(sets["offences"]),
        identifiers=rows(sets["identifiers"]),
        persons=rows(sets["persons"]),
        now=timezone.now(),
    )


def _remember_justification(request: HttpRequest, case_id: int, justification: str) -> None:
    given = dict(request.session.get(JUSTIFICATIONS, {}))
    given[str(case_id)] = justification
    request.session[JUSTIFICATIONS] = given


@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """Reference and requests for anyone of the organisation; the personal data only after a
    justification, each consultation recorded (services.case_view)."""
    user = _user(request)
    try:
        case = services.case_get(user=user, case_id=case_id)
    except ApplicationError as error:
        return _error_page(request, error)
    form = JustificationForm(_posted(request))
    consulted: Case | None = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            justification = form.cleaned_data["justification"]
            try:
                consulted = services.case_view(user=user, case_id=case_id, justification=justification, now=timezone.now())
            except ApplicationError as error:
                _attach(form, error)
                status = error.status
            else:
                _remember_justification(request, case_id, justification)
                status = 200
    context = {
        "case": case,
        "consulted": consulted,
        "form": form,
        "request_rows": case_requests(case=case, now=timezone.now()),
        "attachments": list(attachments_of(case)) if consulted else [],
        "can_edit": can(user, Action.EDIT_CASE, case.organisation),
        "can_draft": can(user, Action.DRAFT_REQUEST, case.organisation),
    }
    return render(request, "cases/case_detail.html", context, status=status)


# -- route advice and drafting ----------------------------------------------------------


def _route_form(data: Any) -> RouteForm:
    return RouteForm(data, states=selectors.state_choices(language=_language()))


def _threshold_from_case(case: Case, query: QueryDict) -> tuple[QueryDict | None, bool]:
    """The question with the Art 5(4)(a) threshold worked out from the case when the user did not
    state it: met if an offence of the case is punishable by a maximum of at least 3 years. A lower
    maximum is never taken as "not met": the grounds of Art 5(4)(b)-(d) may still apply."""
    met = offence_threshold(case.offences) is True
    if not query:
        return None, met
    if not met or "offence_threshold" in query or query.get("category") not in ("traffic", "content"):
        return query, False
    worked_out = query.copy()
    worked_out["offence_threshold"] = "met"
    return worked_out, True


@require_GET
def route_advice(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = services.case_get(user=_user(request), case_id=case_id)
    except ApplicationError as error:
        return _error_page(request, error)
    query, threshold_from_case = _threshold_from_case(case, request.GET)
    form = _route_form(query)
    if threshold_from_case and not form.is_bound:
        form.initial["offence_threshold"] = "met"
    context: dict[str, Any] = {"case": case, "form": form, "advice": None, "threshold_from_case": threshold_from_case}
    cited = parse_citation(THRESHOLD_CITATION)
    context["threshold_verified"] = bool(cited and cited.verified)  # the provisions table decides (law/provisions.py)
    status = 422 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            context["advice"] = selectors.route_advice(case=case, scenario=form.scenario(), now=timezone.now())
        except ApplicationError as error:
            _attach(form, error)
            status = error.status
        else:
            status = 200
            # The law core has no input for a provider's policy: the voluntary route says it depends on it,
            # so the policies published in the directory are shown next to that route.
            context["voluntary_policies"] = directory.published_policies(form.scenario().provider_state)
            # The draft page gets every choice made here: threshold, emergency and what-if included.
            context["draft_url"] = reverse("cases:request_new", kwargs={"case_id": case.pk})
            context["draft_query"] = urlencode({k: form.data[k] for k in form.fields if k in form.data})
    return render(request, "cases/route_advice.html", context, status=status)


# -- a request --------------------------------------------------------------------------


def _request_page(
    request: HttpRequest,
    request_id: int,
    *,
    error: ApplicationError | None = None,
    form: TransitionForm | None = None,
    service_form: ServiceForm | None = None,
    done_form: DeadlineDoneForm | None = None,
) -> HttpResponse:
    try:
        overview = selectors.request_overview(
            user=_user(request), request_id=request_id, ui_language=_language(), now=timezone.now()
        )
    except ApplicationError as failure:
        return _error_page(request, failure)
    context = {
        "o": overview,
        "state_label": STATE_LABELS[overview.request.state],
        "targets": [(t, STATE_LABELS[t]) for t in overview.targets],
        "packages": [(p, PACKAGE_LABELS.get(p.package, p.package)) for p in overview.packages],
        "history": [
            (t, STATE_LABELS.get(t.from_state, t.from_state), STATE_LABELS.get(t.to_state, t.to_state)) for t in overview.history
        ],
        "form": form or TransitionForm(),
        "error": error,
        "refused_issues": (error.extra.get("issues") if error else None) or [],
        "follow_up_due": services.follow_up_due(overview.request, timezone.now()),
        "service_recordable": services.service_recordable(overview.request)
        and can(_user(request), Action.RECORD_OUTCOME, overview.request.case.organisation),
        "service_form": service_form or ServiceForm(),
        "exercise": services.stamped_as_exercise(overview.request),
        "what_if": services.made_under_what_if(overview.request),
        "planning_only": not services.may_leave_planning(overview.request),
        "can_mark_done": can(_user(request), Action.RECORD_OUTCOME, overview.request.case.organisation),
        "done_form": done_form or DeadlineDoneForm(),
        "approval": selectors.approval_panel(user=_user(request), request=overview.request),
        "exchange": exchange_selectors.issuer_view(overview.request),
        # Escalation without retyping (cases/escalation.py); the Art 7(7) follow-up has its own button above.
        "escalations": [
            o
            for o in escalation.offers(overview.request, timezone.now())
            if o.target != "2ap-8-order" or overview.request.form_id != "2ap-7-order"
        ]
        if can(_user(request), Action.DRAFT_REQUEST, overview.request.case.organisation)
        else [],
    }
    invalid = any(f is not None and f.errors for f in (form, service_form, done_form))
    status = error.status if error else (422 if invalid else 200)
    return render(request, "cases/request_detail.html", context, status=status)


@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _request_page(request, request_id)


@require_POST
def request_transition(request: HttpRequest, request_id: int) -> HttpResponse:
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _request_page(request, request_id, form=form)
    if form.cleaned_data["state"] == "issued":  # issuing is confirmed on its own page first
        return redirect("cases:request_issue", request_id=request_id)
    try:
        services.request_transition(
            user=_user(request),
            request_id=request_id,
            target=form.cleaned_data["state"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
    except ApplicationError as error:
        if error.status == 404:
            return _error_page(request, error)
        return _request_page(request, request_id, error=error)
    label = STATE_LABELS[form.cleaned_data["state"]]
    messages.success(request, _("The request is now: %(state)s.") % {"state": label})
    return redirect("cases:request_detail", request_id=request_id)


@require_http_methods(["GET", "POST"])
def request_issue(request: HttpRequest, request_id: int) -> HttpResponse:
    """The confirmation step before a request is issued: what is issued, to whom, as a legal order."""
    user = _user(request)
    form = IssueForm(request.POST if request.method == "POST" else None)
    try:
        confirmation = selectors.issue_confirmation(user=user, request_id=request_id, language=_language())
    except ApplicationError as error:
        return _error_page(request, error)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_transition(
                user=user, request_id=request_id, target="issued", note=form.cleaned_data["note"], now=timezone.now()
            )
        except ApplicationError as error:
            if error.status == 404:
                return _error_page(request, error)
            return _request_page(request, request_id, error=error)
        messages.success(request, _("The request is now: %(state)s.") % {"state": STATE_LABELS["issued"]})
        return redirect("cases:request_detail", request_id=request_id)
    status = 422 if form.is_bound else 200
    title = form_title(confirmation.form_id, _language())
    context = {"c": confirmation, "form": form, "title": title, "exercise": services.stamped_as_exercise(confirmation.request)}
    if context["exercise"]:
        form.fields["confirm"].label = _("I confirm that I issue this order as an exercise")
    return render(request, "cases/request_issue.html", context, status=status)


@require_POST
def request_validate(request: HttpRequest, request_id: int) -> HttpResponse:
    """Validate an order issued in an emergency without prior validation (Reg 2023/1543 Art 4(5))."""
    try:
        services.request_validate_ex_post(user=_user(request), request_id=request_id, now=timezone.now())
    except ApplicationError as error:
        if error.status == 404:
            return _error_page(request, error)
        return _request_page(request, request_id, error=error)
    messages.success(request, _("The validation is recorded."))
    return redirect("cases:request_detail", request_id=request_id)


@require_POST
def request_deadline_done(request: HttpRequest, request_id: int, deadline_id: int) -> HttpResponse:
    """Mark one deadline of the request done, with the reason (audited by the service)."""
    form = DeadlineDoneForm(request.POST)
    if not form.is_valid():
        return _request_page(request, request_id, done_form=form)
    try:
        services.deadline_mark_done(
            user=_user(request),
            deadline_id=deadline_id,
            request_id=request_id,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )
    except ApplicationError as error:
        if error.status == 404:
            return _error_page(request, error)
        return _request_page(request, request_id, error=error, done_form=form)
    messages.success(request, _("The deadline is marked done."))
    return redirect("cases:request_detail", request_id=request_id)


@require_POST
def request_service(request: HttpRequest, request_id: int) -> HttpResponse:
    """Record service of an Article 8 order on the provider (CETS 224 Art 8(6)(a))."""
    form = ServiceForm(request.POST)
    if not form.is_valid():
        return _request_page(request, request_id, service_form=form)
    served_at = form.cleaned_data["served_at"]
    try:
        services.request_record_service(
            user=_user(request),
            request_id=request_id,
            now=timezone.now(),
            served_at=served_at.astimezone(UTC) if served_at else None,
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:
        if error.status == 404:
            return _error_page(request, error)
        return _request_page(request, request_id, error=error, service_form=form)
    messages.success(
        request,
        _("Service on the provider is recorded: the provider's time to return the data runs from it (CETS 224 Art 8(6)(a))."),
    )
    return redirect("cases:request_detail", request_id=request_id)


@require_POST
def request_follow_up(request: HttpRequest, request_id: int) -> HttpResponse:
    """Draft the Article 8 order that follows an Article 7 order (CETS 224 Art 7(7))."""
    try:
        made, _created = services.request_follow_up(user=_user(request), request_id=request_id, now=timezone.now())
    except ApplicationError as error:
        if error.status == 404:
            return _error_page(request, error)
        return _request_page(request, request_id, error=error)
    messages.success(request, _("An Article 8 order was drafted from the Article 7 order: complete it and check it."))
    return redirect("cases:request_detail", request_id=made.pk)


@require_POST
def request_escalate(request: HttpRequest, request_id: int) -> HttpResponse:
    """Draft the request that follows an issued one, pre-filled from it (cases/escalation.py)."""
    try:
        made, _created = escalation.escalate(
            user=_user(request), request_id=request_id, to_form=request.POST.get("to_form", "")[:40], now=timezone.now()
        )
    except ApplicationError as error:
        if error.status == 404:
            return _error_page(request, error)
        return _request_page(request, request_id, error=error)
    messages.success(request, _("A draft was made from the issued request, its fields carried: complete it and check it."))
    return redirect("cases:request_detail", request_id=made.pk)


def _safe_name(*parts: object) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(str(p) for p in parts)).strip("-.") or "document"


@require_GET
def request_download(request: HttpRequest, request_id: int, package: str, fmt: str) -> HttpResponse:
    """One recipient package as a file; the export is recorded by the service."""
    user, now = _user(request), timezone.now()
    try:
        found, language = selectors.download_check(
            user=user,
            request_id=request_id,
            package=package,
            fmt=fmt,
            language=request.GET.get("lang", ""),
            ui_language=_language(),
        )
        if fmt == "json":
            body = services.request_package(user=user, request_id=request_id, package=package, now=now)
            content, content_type = json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8"), "application/json"
        else:
            content_type, render_as = RENDERERS[fmt]
            doc = services.request_document(user=user, request_id=request_id, package=package, language=language, now=now)
            content = render_as(doc)
    except ApplicationError as error:
        return _error_page(request, error)
    response = HttpResponse(content, content_type=content_type)
    name = _safe_name("cyberspex-request", found.pk, found.form_id, package, language) + f".{fmt}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    response["Cache-Control"] = "no-store"
    return response


# -- calendar feed ----------------------------------------------------------------------


@require_POST
def calendar_create(request: HttpRequest) -> HttpResponse:
    try:
        token = account_services.calendar_feed_create(user=_user(request), now=timezone.now())
    except ApplicationError as error:
        return _error_page(request, error)
    url = settings.SITE_ROOT.rstrip("/") + reverse("cases:calendar_feed", kwargs={"token": token})
    response = render(request, "cases/calendar_created.html", {"url": url})
    response["Cache-Control"] = "no-store"  # the link is shown once and must not be cached
    return response


@require_POST
def calendar_revoke(request: HttpRequest, feed_id: int) -> HttpResponse:
    try:
        account_services.calendar_feed_revoke(user=_user(request), feed_id=feed_id, now=timezone.now())
    except ApplicationError as error:
        return _error_page(request, error)
    messages.success(request, _("The calendar link was revoked: calendars using it no longer update."))
    return redirect("cases:dashboard")


@require_GET
def calendar_feed(_request: HttpRequest, token: str) -> HttpResponse:
    """Public, secret URL: the organisation's open deadlines as iCalendar. No session needed;
    a revoked or unknown token is a plain 404."""
    try:
        body = selectors.calendar_ics(token=token, now=timezone.now())
    except ApplicationError:
        return HttpResponseNotFound(b"", content_type="text/plain")
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="cyberspex-deadlines.ics"'
    return response
