"""The guided editor's pages: the form picker, a new draft, editing a draft (also read-only once
submitted), autosave, and the review screen before submission. Thin over ``drafting`` (writes),
``selectors`` and ``editor`` (the widgets generated from the form definition)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cyberspex.forms.definitions import forms
from cyberspex.forms.package import package_data
from cyberspex.web.accounts import kept
from cyberspex.web.accounts.access import Action, can
from cyberspex.web.accounts.models import Organisation
from cyberspex.web.cases import drafting, editor_prefill, selectors, services
from cyberspex.web.cases.editor import Choices, editor_for, form_title, language_choices, merge, read_posted, zone_names
from cyberspex.web.cases.forms import PACKAGE_LABELS, STATE_LABELS, RouteForm
from cyberspex.web.cases.models import Case, Request, State
from cyberspex.web.cases.review import columns
from cyberspex.web.cases.views import JUSTIFICATIONS, _error_page, _language, _user  # one definition of each
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import directory, routing

CARRIED = "carried"  # hidden: the draft's values the editor does not show (route advice, urgency)
HIDDEN = ("form_id", "idempotency_key", "assume_in_force", "assume_ratified")


def _choices() -> Choices:
    return Choices(states=selectors.state_choices(language=_language()), languages=language_choices())


# -- rendering -------------------------------------------------------------------------------


def _render(
    request: HttpRequest,
    *,
    case: Case,
    form_id: str,
    data: dict[str, Any],
    hidden: dict[str, Any],
    draft: Request | None = None,
    issues: list[dict[str, str]] | None = None,
    problems: dict[str, str] | None = None,
    notes: list[editor_prefill.PrefillNote] | None = None,
    json_error: str = "",
    page_error: str = "",
    consult_first: bool = False,
    address: Address | None = None,
    status: int = 200,
) -> HttpResponse:
    editor = editor_for(form_id, data, language=_language(), choices=_choices())
    shown = editor.attach(issues or [])
    named = editor.by_name()
    for name, message in (problems or {}).items():
        widget = named.get(name)
        if widget is not None:
            widget.errors.append(message)
            shown.insert(
                0,
                {
                    "severity": "error",
                    "message": message,
                    "anchor": widget.anchor,
                    "label": editor.label_path(list(name.split("."))),
                    "citation": widget.citation,
                    "path": name,
                },
            )
    edited = {w.path[0] for section in editor.sections for w in section.widgets}
    carried = {k: v for k, v in data.items() if k not in edited and k not in ("form", "issuing_state")}
    labels = [(note, named[note.field].label if note.field in named else note.field) for note in notes or []]
    filled, total = editor.progress()
    readonly = draft is not None and not drafting.editable(draft)
    context = {
        "case": case,
        "editor": editor,
        "draft": draft,
        "readonly": readonly,
        "state_label": STATE_LABELS.get(draft.state, draft.state) if draft else "",
        "issues": shown,
        "errors": sum(1 for i in shown if i.get("severity") == "error"),
        "checked": issues is not None,
        "progress": {"filled": filled, "total": total},
        "hidden": hidden,
        "carried": json.dumps(carried, ensure_ascii=False),
        "export": json.dumps(data, indent=2, ensure_ascii=False),
        "json_error": json_error,
        "page_error": page_error,
        "consult_first": consult_first,
        "notes": labels,
        "zones": zone_names(),
        "upload_limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0,
        "upload_limit_mb": round((settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) / (1024 * 1024), 1),
        "what_if": bool(hidden.get("assume_in_force")) or bool(hidden.get("assume_ratified")),
        "addressing": _addressing(form_id, data, draft, address),
        "action": reverse("cases:request_edit", kwargs={"request_id": draft.pk})
        if draft
        else reverse("cases:request_new", kwargs={"case_id": case.pk}),
    }
    return render(request, "cases/editor/editor.html", context, status=status)


@dataclass(frozen=True)
class Address:
    """The addressing posted with the editor: an organisation of the directory, or sent outside, or neither."""

    organisation: int | None
    sent_outside: bool


ADDRESS_FIELDS = ("addressing", "addressing_organisation", "addressing_outside")


def _posted_address(post: QueryDict) -> Address | None:
    """The addressing posted (None: the page had no addressing, e.g. the JSON import)."""
    if post.get("addressing") != "1":
        return None
    raw = post.get("addressing_organisation", "")
    outside = post.get("addressing_outside") in ("on", "1", "true", "True")
    return Address(int(raw) if raw.isdigit() and not outside else None, outside)


def _addressing(form_id: str, data: dict[str, Any], draft: Request | None, address: Address | None) -> dict[str, Any] | None:
    """What the editor shows to address the request: the organisations of the directory with the
    function its route needs in the recipient State, the one chosen, and the languages it accepts."""
    route_id = forms()[form_id].route
    rule = routing.ADDRESSING.get(route_id)
    if rule is None:
        return None
    state = str(data.get("recipient_state", "") or "")
    if address is None:
        address = Address(draft.recipient_organisation_id, draft.sent_outside) if draft else Address(None, False)
    options = directory.addressees(route_id, state)
    chosen = next((o for o in options if o.pk == address.organisation), None)
    return {
        "options": options,
        "chosen": address.organisation,
        "sent_outside": address.sent_outside,
        "languages": services.accepted_languages(chosen),
        "chosen_name": chosen.name if chosen else "",
        "wanted": " or ".join(sorted(routing.FUNCTION_NAMES[f] for f in rule.functions)),
        "citation": rule.citation,
        "state": state,
    }


def _picker(request: HttpRequest, case: Case, status: int = 200, message: str = "") -> HttpResponse:
    query = request.GET.copy()
    query.pop("form", None)
    language = _language()
    choices = [(form_id, form_title(form_id, language), _with_form(query, form_id)) for form_id in forms()]
    return render(request, "cases/editor/picker.html", {"case": case, "choices": choices, "message": message}, status=status)


def _with_form(query: QueryDict, form_id: str) -> str:
    copy = query.copy()
    copy["form"] = form_id
    return copy.urlencode()


# -- a new draft ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    try:
        case = services.case_get(user=user, case_id=case_id, action=Action.DRAFT_REQUEST)
    except ApplicationError as error:
        return _error_page(request, error)
    if request.method == "POST":
        return _post(request, case=case, draft=None, form_id=request.POST.get("form_id", ""))
    if (restored := kept.restore(request)) is not None:  # work kept when the session ended: shown, not sent
        return _shown(request, case=case, draft=None, post=restored)
    form_id = request.GET.get("form", "")
    if form_id not in forms():
        message = _("There is no form “%(form)s”: choose one below.") % {"form": form_id} if form_id else ""
        return _picker(request, case, status=422 if form_id else 200, message=message)
    try:
        data, hidden, notes = _prefilled(request, user, case, form_id)
    except ApplicationError as error:
        return _error_page(request, error)
    consult_first = not request.session.get(JUSTIFICATIONS, {}).get(str(case.pk))
    return _render(request, case=case, form_id=form_id, data=data, hidden=hidden, notes=notes, consult_first=consult_first)


def _prefilled(
    request: HttpRequest, user: User, case: Case, form_id: str
) -> tuple[dict[str, Any], dict[str, Any], list[editor_prefill.PrefillNote]]:
    """The new draft: from the route advice when the page was opened from it, else from the
    case and the organisation only; the case's personal data only after a justification."""
    now = timezone.now()
    justification = str(request.session.get(JUSTIFICATIONS, {}).get(str(case.pk), ""))
    route = RouteForm(request.GET, states=selectors.state_choices(language=_language()))
    hidden: dict[str, Any] = {"form_id": form_id, "idempotency_key": uuid.uuid4().hex}
    if "provider_state" in request.GET:
        if not route.is_valid():
            field, errors = next(iter(route.errors.items()))
            label = route.fields[field].label if field in route.fields else ""
            text = " ".join(str(e) for e in errors)
            raise ApplicationError(f"{label}: {text}" if label else text, status=422)
        scenario = route.scenario()
        if scenario.offence_threshold is None:
            # Only "met" can be concluded from the penalties: Art 5(4)(b)-(d) may hold when (a) does not.
            scenario = replace(scenario, offence_threshold=editor_prefill.offence_threshold(case.offences) or None)
        _case, data, _with = selectors.request_prefill(
            user=user,
            case_id=case.pk,
            form_id=form_id,
            scenario=scenario,
            justification=justification,
            language=_language(),
            now=now,
        )
        hidden |= {
            "assume_in_force": route.cleaned_data["assume_in_force"],
            "assume_ratified": route.cleaned_data["assume_ratified"],
        }
    elif justification:
        case = services.case_view(user=user, case_id=case.pk, justification=justification, now=now)
        data = selectors._with_case_data(form_id, case, _skeleton(form_id, now))
    else:
        data = _skeleton(form_id, now)
    notes = editor_prefill.fill(form_id, data, organisation=case.organisation, offences=case.offences if justification else [])
    return data, hidden, notes


def _skeleton(form_id: str, now: datetime) -> dict[str, Any]:
    data: dict[str, Any] = {"form": form_id, "language": _language(), "date_of_issue": now.date().isoformat()}
    if "data_sought" in {n.name for n in forms()[form_id].fields()}:
        data["data_sought"] = {"category": forms()[form_id].data_categories[0]}
    return data


# -- editing a draft --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, request_id: int) -> HttpResponse:
    try:
        found = services.request_get(user=_user(request), request_id=request_id, action=Action.DRAFT_REQUEST)
    except ApplicationError as error:
        return _error_page(request, error)
    if request.method == "POST":
        return _post(request, case=found.case, draft=found, form_id=found.form_id)
    if (restored := kept.restore(request)) is not None:  # work kept when the session ended: shown, not sent
        return _shown(request, case=found.case, draft=found, post=restored)
    return _render(request, case=found.case, form_id=found.form_id, data=found.data, hidden=_hidden_of(found), draft=found)


def _hidden_of(draft: Request) -> dict[str, Any]:
    return {"form_id": draft.form_id, "idempotency_key": draft.idempotency_key or uuid.uuid4().hex}


def _intent(post: QueryDict) -> tuple[str, str, str]:
    """(intent, list to add an item to, item to remove)."""
    if add := post.get("editor_add", ""):
        return "add", add, ""
    if remove := post.get("editor_remove", ""):
        return "remove", "", remove
    return post.get("intent", "save"), "", ""


@dataclass
class _Posting:
    """One submission of the editor: what was posted, read back into form data."""

    request: HttpRequest
    case: Case
    draft: Request | None
    form_id: str
    hidden: dict[str, Any]
    intent: str
    data: dict[str, Any]
    problems: dict[str, str]
    address: Address | None = None

    def page(self, *, status: int = 200, **context: Any) -> HttpResponse:
        return _render(
            self.request,
            case=self.case,
            form_id=self.form_id,
            data=context.pop("data", self.data),
            hidden=self.hidden,
            draft=self.draft,
            status=status,
            address=self.address,
            **context,
        )

    def refuse(self, error: ApplicationError, *, data: dict[str, Any] | None = None) -> HttpResponse:
        """The refusal as JSON for the autosave script, else the page with the message by its field."""
        if self.intent == "autosave":
            return JsonResponse({"message": error.message, "field": error.field}, status=error.status)
        name = (error.field or "").removeprefix("data.")
        problems = {name: error.message} if name else {}
        return self.page(data=data or self.data, problems=problems, page_error=error.message, status=error.status)


def _shown(request: HttpRequest, *, case: Case, draft: Request | None, post: QueryDict) -> HttpResponse:
    """The editor with the fields kept when the session ended: shown with their problems, not saved."""
    form_id = draft.form_id if draft else post.get("form_id", "")
    if form_id not in forms():
        return _picker(request, case)
    posting = _read(request, case, draft, form_id, post)
    if isinstance(posting, HttpResponse):
        return posting
    return posting.page(problems=posting.problems)


def _read(
    request: HttpRequest, case: Case, draft: Request | None, form_id: str, post: QueryDict | None = None
) -> _Posting | HttpResponse:
    post = request.POST if post is None else post
    hidden: dict[str, Any] = {k: post.get(k, "") for k in HIDDEN} | {"form_id": form_id}
    hidden["assume_in_force"] = post.get("assume_in_force") in ("True", "true", "on", "1")
    intent, add, remove = _intent(post)
    base = draft.data if draft else _carried(post)
    if "form_data" not in post:
        posted = read_posted(form_id, post, remove=remove, add=add)
        data = merge(base, posted.data, form_id)
        return _Posting(request, case, draft, form_id, hidden, intent, data, posted.problems, _posted_address(post))
    try:  # the advanced JSON import (and the former JSON editor)
        data = _json_object(str(post["form_data"]))
    except ValueError as problem:
        return _Posting(request, case, draft, form_id, hidden, intent, base, {}).page(json_error=str(problem), status=422)
    return _Posting(request, case, draft, form_id, hidden, intent, {**data, "form": form_id}, {})


def _post(request: HttpRequest, *, case: Case, draft: Request | None, form_id: str) -> HttpResponse:
    if form_id not in forms():
        return _picker(request, case, status=422, message=_("Choose a form first."))
    posting = _read(request, case, draft, form_id)
    if isinstance(posting, HttpResponse):
        return posting
    refusal = _refusal(posting)
    if refusal is not None:
        return posting.refuse(refusal, data=draft.data if refusal.status == 409 and draft else None)
    now = timezone.now()
    if posting.problems or posting.intent in ("add", "remove", "check", "import"):
        issues = _issues(posting, now) if posting.intent in ("check", "import") else None
        return posting.page(issues=issues, problems=posting.problems, status=422 if posting.problems else 200)
    try:
        saved = _save(posting, now)
    except ApplicationError as error:
        return _error_page(request, error) if error.status == 404 else posting.refuse(error)
    return _saved(posting, saved, now)


def _refusal(posting: _Posting) -> ApplicationError | None:
    """Why nothing may be done with the posting: a draft no longer editable; for the autosave
    script, the first value that could not be read (the page shows them all on saving)."""
    draft = posting.draft
    if draft is not None and not drafting.editable(draft):
        state = STATE_LABELS.get(draft.state, draft.state)
        return ApplicationError(drafting.SUBMITTED.format(state=state), field="state", status=409)
    if posting.problems and posting.intent == "autosave":
        name, message = next(iter(posting.problems.items()))
        return ApplicationError(message, field=name, status=422)
    return None


def _saved(posting: _Posting, saved: Request, now: datetime) -> HttpResponse:
    at = time_format(timezone.localtime(now), "H:i")
    if posting.intent == "autosave":
        return JsonResponse({"saved_at": at, "edit_url": reverse("cases:request_edit", kwargs={"request_id": saved.pk})})
    if posting.intent == "review":
        return redirect("cases:request_review", request_id=saved.pk)
    messages.success(posting.request, _("Draft saved at %(time)s. You can leave and resume it at any time.") % {"time": at})
    return redirect("cases:request_edit", request_id=saved.pk)


def _issues(posting: _Posting, now: datetime) -> list[dict[str, str]]:
    """The problems of the data, under the what-if of the draft (or of the page that makes it)."""
    if posting.draft is not None:
        what_if = services.what_if_of(posting.draft)
    else:
        hidden = posting.hidden
        what_if = selectors.what_if(
            assume_in_force=bool(hidden["assume_in_force"]), assume_ratified=str(hidden["assume_ratified"])
        )
    chosen = (
        posting.address.organisation if posting.address else (posting.draft.recipient_organisation_id if posting.draft else None)
    )
    addressee = Organisation.objects.select_related("policy").filter(pk=chosen).first() if chosen else None
    return selectors.draft_issues(
        case=posting.case,
        form_id=posting.form_id,
        data=posting.data,
        now=now,
        what_if=what_if,
        accepted_languages=services.accepted_languages(addressee),
    )


def _carried(post: QueryDict) -> dict[str, Any]:
    try:
        value = json.loads(post.get(CARRIED, "") or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            _("This is not valid JSON (line %(line)d, column %(column)d): %(problem)s")
            % {"line": error.lineno, "column": error.colno, "problem": error.msg}
        ) from None
    if not isinstance(value, dict):
        raise ValueError(_("The request data must be a JSON object ({ ... })."))
    return value


@transaction.atomic
def _save(posting: _Posting, now: datetime) -> Request:
    """The draft saved with its addressing, if the page posted one (both or neither)."""
    saved = _save_data(posting, now)
    address = posting.address
    if address is None or (
        address.organisation == saved.recipient_organisation_id and address.sent_outside == saved.sent_outside
    ):
        return saved
    return drafting.request_address(
        user=_user(posting.request),
        request_id=saved.pk,
        recipient_organisation=address.organisation,
        sent_outside=address.sent_outside,
        now=now,
    )


def _save_data(posting: _Posting, now: datetime) -> Request:
    user, data = _user(posting.request), posting.data
    if posting.draft is not None:
        return drafting.request_update(user=user, request_id=posting.draft.pk, data=data, now=now)
    if not data.get("recipient_state"):
        raise ApplicationError(
            _("Choose the recipient State: the route advice depends on it."), field="recipient_state", status=422
        )
    hidden = posting.hidden
    what_if = selectors.what_if(assume_in_force=bool(hidden["assume_in_force"]), assume_ratified=str(hidden["assume_ratified"]))
    made, created = drafting.draft_create(
        user=user,
        case_id=posting.case.pk,
        form_id=posting.form_id,
        data=data,
        now=now,
        idempotency_key=str(hidden["idempotency_key"]) or uuid.uuid4().hex,
        what_if=what_if,
    )
    if not created:  # the same page saved again (autosave, a second click): update that draft
        return drafting.request_update(user=user, request_id=made.pk, data=data, now=now)
    return made


# -- the review screen ------------------------------------------------------------------------


@require_GET
def request_review(request: HttpRequest, request_id: int) -> HttpResponse:
    """Each recipient's package side by side, from ``forms.package`` (what that recipient will
    receive, nothing more), the problems left, and the way to submit."""
    user = _user(request)
    try:
        overview = selectors.request_overview(user=user, request_id=request_id, ui_language=_language(), now=timezone.now())
    except ApplicationError as error:
        return _error_page(request, error)
    found = overview.request
    form = forms()[found.form_id]
    editor = editor_for(found.form_id, found.data, language=_language(), choices=_choices())
    issues = editor.attach(overview.issues)
    recipients = [p for p in form.packages if p != "full"]
    shown = [
        (package, PACKAGE_LABELS.get(package, package), columns(editor, package_data(found.form_id, found.data, package)))
        for package in recipients
    ]
    submit = [t for t in overview.targets if t in (State.AWAITING_APPROVAL, State.ISSUED)]
    context = {
        "o": overview,
        "editor": editor,
        "packages": shown,
        "issues": issues,
        "targets": [(t, STATE_LABELS[t]) for t in submit],
        "editable": drafting.editable(found) and can(user, Action.DRAFT_REQUEST, found.case.organisation),
        "state_label": STATE_LABELS.get(found.state, found.state),
    }
    return render(request, "cases/editor/review.html", context)
