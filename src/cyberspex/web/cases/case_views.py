"""The pages that change a case (its contents, retention review date and attachments) and the
search across cases and requests. Thin over editing.py, attachments.py and search.py; a refusal
is shown next to its field with the service's status, and what was typed stays in the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cyberspex.web.accounts import kept
from cyberspex.web.accounts.access import Action, can
from cyberspex.web.cases import attachments, editing, services
from cyberspex.web.cases.edit_forms import AttachmentForm, CaseEditForm, RetentionForm, SiteSearchForm
from cyberspex.web.cases.forms import IdentifierFormSet, OffenceFormSet, PersonFormSet, rows
from cyberspex.web.cases.models import Case
from cyberspex.web.cases.search import search
from cyberspex.web.errors import ApplicationError

JUSTIFICATIONS = "cyberspex.justifications"  # as in views.py: case id -> justification given this session


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # the MFA middleware lets no anonymous request through
        raise PermissionDenied
    return user


def _error_page(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    message = _("This page does not exist, or you may not see it.") if error.status == 404 else error.message
    return render(request, "cases/error.html", {"message": message, "status": error.status}, status=error.status)


def _attach(form: forms.Form, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _formsets(data: Any, case: Case | None) -> dict[str, forms.BaseFormSet[Any]]:
    initial = {"offences": case.offences, "identifiers": case.identifiers, "persons": case.persons} if case else {}
    return {
        "offences": OffenceFormSet(data, prefix="offences", initial=initial.get("offences")),
        "identifiers": IdentifierFormSet(data, prefix="identifiers", initial=initial.get("identifiers")),
        "persons": PersonFormSet(data, prefix="persons", initial=initial.get("persons")),
    }


def _consulted(request: HttpRequest, case_id: int) -> Case | ApplicationError | None:
    """The case with its personal data when a justification for it was given in this session
    (the consultation is recorded again); None when none was given."""
    justification = str(request.session.get(JUSTIFICATIONS, {}).get(str(case_id), ""))
    user = _user(request)
    try:
        case = services.case_get(user=user, case_id=case_id)
        if not can(user, Action.EDIT_CASE, case.organisation):
            raise ApplicationError(_("Your role cannot change cases."), status=403)
        if not justification:
            return None
        return services.case_view(user=user, case_id=case_id, justification=justification, now=timezone.now())
    except ApplicationError as error:
        return error


def _edit_page(request: HttpRequest, case: Case, status: int = 200, **parts: Any) -> HttpResponse:
    context = {
        "case": case,
        "form": parts.get("form") or CaseEditForm(initial=_initial(case)),
        **(parts.get("sets") or _formsets(None, case)),
        "retention": parts.get("retention") or RetentionForm(),
        "upload": parts.get("upload") or AttachmentForm(),
        "attachments": list(attachments.attachments_of(case)),
        "max_mb": max(1, settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)),
    }
    return render(request, "cases/case_edit.html", context, status=status)


def _initial(case: Case) -> dict[str, Any]:
    return {"title": case.title, "classification": case.classification, "summary_of_facts": case.summary_of_facts} | {
        "version": editing.case_version(case)
    }


def _need_justification(request: HttpRequest, case_id: int) -> HttpResponse:
    messages.info(request, _("Say why you consult the case first; then you can change it."))
    return redirect("cases:case_detail", case_id=case_id)


def _edit_page_shown(request: HttpRequest, case: Case) -> HttpResponse:
    """The edit page as opened: with the work kept when the session ended (shown, not sent), if any."""
    restored = kept.restore(request)
    if restored is None:
        return _edit_page(request, case)
    return _edit_page(request, case, form=CaseEditForm(restored), sets=_formsets(restored, None))


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    """Change the case's title, classification, facts, offences, identifiers and persons."""
    case = _consulted(request, case_id)
    if isinstance(case, ApplicationError):
        return _error_page(request, case)
    if case is None:
        return _need_justification(request, case_id)
    if request.method == "GET":
        return _edit_page_shown(request, case)
    form, sets = CaseEditForm(request.POST), _formsets(request.POST, None)
    if not all([form.is_valid(), *(s.is_valid() for s in sets.values())]):
        return _edit_page(request, case, 422, form=form, sets=sets)
    version = form.cleaned_data.pop("version")
    changes = {**form.cleaned_data, **{name: rows(formset) for name, formset in sets.items()}}
    try:
        _case, changed = editing.case_update(
            user=_user(request), case_id=case_id, changes=changes, now=timezone.now(), version=version
        )
    except ApplicationError as error:
        _attach(form, error)
        return _edit_page(request, case, error.status, form=form, sets=sets)
    messages.success(request, _("The case is saved.") if changed else _("Nothing was changed."))
    return redirect("cases:case_edit", case_id=case_id)


@require_POST
def case_retention(request: HttpRequest, case_id: int) -> HttpResponse:
    """Move the retention review date (CETS 224 Art 14(5)), with the reason."""
    case = _consulted(request, case_id)
    if isinstance(case, ApplicationError):
        return _error_page(request, case)
    if case is None:
        return _need_justification(request, case_id)
    retention = RetentionForm(request.POST)
    if not retention.is_valid():
        return _edit_page(request, case, 422, retention=retention)
    try:
        editing.case_set_retention_review(
            user=_user(request),
            case_id=case_id,
            review_date=retention.cleaned_data["retention_review_date"],
            reason=retention.cleaned_data["reason"],
            now=timezone.now(),
        )
    except ApplicationError as error:
        _attach(retention, error)
        return _edit_page(request, case, error.status, retention=retention)
    messages.success(request, _("The retention review date is changed."))
    return redirect("cases:case_edit", case_id=case_id)


@require_POST
def attachment_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    """Attach a file: over the size limit 413 (a body far over it: cases/middleware.py), a type
    not allowed 422; nothing is stored then."""
    case = _consulted(request, case_id)
    if isinstance(case, ApplicationError):
        return _error_page(request, case)
    if case is None:
        return _need_justification(request, case_id)
    upload = AttachmentForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _edit_page(request, case, 422, upload=upload)
    sent = upload.cleaned_data["file"]
    try:
        attachments.check_size(int(sent.size or 0))
        added = attachments.attachment_add(
            user=_user(request), case_id=case_id, name=str(sent.name), content=sent.read(), now=timezone.now()
        )
    except ApplicationError as error:
        _attach(upload, error)
        return _edit_page(request, case, error.status, upload=upload)
    messages.success(request, _("%(name)s is attached (SHA-256 %(hash)s).") % {"name": added.name, "hash": added.sha256})
    return redirect("cases:case_edit", case_id=case_id)


@require_GET
def attachment_download(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    """The file, always as a download (never shown inline), its type from its content."""
    try:
        found = attachments.attachment_download(
            user=_user(request), attachment_id=attachment_id, case_id=case_id, now=timezone.now()
        )
    except ApplicationError as error:
        return _error_page(request, error)
    return attachments.attachment_response(found)


@require_POST
def attachment_remove(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    try:
        attachments.attachment_remove(user=_user(request), attachment_id=attachment_id, case_id=case_id, now=timezone.now())
    except ApplicationError as error:
        return _error_page(request, error)
    messages.success(request, _("The attachment is removed."))
    return redirect("cases:case_edit", case_id=case_id)


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Search the organisation's cases and requests; results show references and states only."""
    user = _user(request)
    if not can(user, Action.VIEW_CASE):
        return _error_page(request, ApplicationError(_("Your role cannot see cases."), status=403))
    form = SiteSearchForm(request.GET or None)
    results = None
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            status = 200
            results = search(
                user=user,
                query=form.cleaned_data["q"],
                case_page=request.GET.get("page"),
                request_page=request.GET.get("rpage"),
                now=timezone.now(),
            )
    return render(request, "cases/search.html", {"form": form, "results": results}, status=status)
