"""The curation pages (curators only, behind log-in and the second factor): the queue of changes,
the propose form, one change with its diff and review, the version history, the import and the
stale values. Thin over knowledge/curation.py and knowledge/curation_facts.py."""

from __future__ import annotations

from typing import Any, cast

import yaml
from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge import curation, curation_facts
from cyberspex.web.knowledge.models import ChangeStatus, SourceKind, Version
from cyberspex.web.knowledge.reference import current_reference

MAX_IMPORT_BYTES = 1_000_000


def _curator(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    curation.require_curator(user)
    return user


def _error_page(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    message = _("This page does not exist, or you may not see it.") if error.status == 404 else error.message
    return render(request, "cases/error.html", {"message": message, "status": error.status}, status=error.status)


def _yaml(value: Any) -> str:
    if value is None:
        return _("(none)")
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, default_flow_style=False).strip()


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    try:
        user = _curator(request)
        status = request.GET.get("status", ChangeStatus.PROPOSED)
        status = status if status in {*ChangeStatus.values, ""} else ChangeStatus.PROPOSED
        found = curation.changes(user, status=status)
    except ApplicationError as error:
        return _error_page(request, error)
    state = request.GET.get("state", "").strip().upper()[:2]
    if state:
        found = found.filter(file=f"states/{state}.yaml")
    context = {"changes": list(found[:200]), "status": status, "state": state, "statuses": ChangeStatus.choices}
    return render(request, "knowledge/curation/queue.html", context)


class ChooseForm(forms.Form):
    """What to change: a State, a treaty and which of its values."""

    state = forms.ChoiceField(label=pgettext_lazy("a country", "State"))
    treaty = forms.ChoiceField(label=gettext_lazy("Treaty"), choices=list(curation_facts.TREATY_LABELS.items()))
    what = forms.ChoiceField(label=gettext_lazy("What changes"), choices=list(curation_facts.WHAT.items()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = current_reference().states
        field = cast("forms.ChoiceField", self.fields["state"])
        field.choices = [(iso, f"{states[iso].name} ({iso})") for iso in sorted(states, key=lambda i: states[i].name)]


class ProposeForm(forms.Form):
    """The new value and its source."""

    date = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        help_text=gettext_lazy("YYYY-MM-DD: the date of the signature, deposit or entry into force"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of consent"),
        required=False,
        choices=[("", "—"), *((k, k) for k in curation_facts.CONSENT_KINDS)],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", "—"), *((s, s) for s in curation_facts.STATUSES)]
    )
    code = forms.CharField(label=gettext_lazy("Position code"), required=False, max_length=20)
    summary = forms.CharField(
        label=gettext_lazy("What the reservation or declaration provides"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope of the position"), required=False, choices=[("", "—"), *((s, s) for s in curation_facts.SCOPES)]
    )
    note = forms.CharField(label=gettext_lazy("Note shown with the value"), required=False, max_length=500)
    source_url = forms.URLField(label=gettext_lazy("Source URL"), max_length=500, assume_scheme="https")
    source_title = forms.CharField(label=gettext_lazy("Source title"), max_length=300)
    source_kind = forms.ChoiceField(label=gettext_lazy("Kind of source"), choices=SourceKind.choices)
    as_of = forms.DateField(label=gettext_lazy("Source consulted on"), help_text=gettext_lazy("YYYY-MM-DD"))
    verified_by = forms.CharField(label=gettext_lazy("Checked against the source by"), max_length=200)
    reason = forms.CharField(label=gettext_lazy("Reason for the change"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, what: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = {
            "signature": {"date"},
            "consent": {"date", "kind"},
            "entry_into_force": {"date"},
            "status": {"status"},
            "position": {"code", "summary", "scope"},
        }.get(what, set())
        for name in ("date", "kind", "status", "code", "summary", "scope"):
            if name not in keep:
                del self.fields[name]

    def source(self) -> curation.SourceInput:
        data = self.cleaned_data
        return curation.SourceInput(
            url=data["source_url"],
            title=data["source_title"],
            kind=data["source_kind"],
            as_of=data["as_of"],
            verified_by=data["verified_by"],
            reason=data["reason"],
        )


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    try:
        user = _curator(request)
    except ApplicationError as error:
        return _error_page(request, error)
    choose = ChooseForm(request.GET or None)
    if not choose.is_valid():
        return render(request, "knowledge/curation/propose.html", {"choose": choose, "form": None})
    chosen = choose.cleaned_data
    what = chosen["what"]
    form = ProposeForm(
        request.POST if request.method == "POST" else None, what=what, initial={"source_kind": SourceKind.OFFICIAL}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fact = curation_facts.Fact(
            state=chosen["state"],
            treaty=chosen["treaty"],
            what=what,
            date=data.get("date"),
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            code=data.get("code", ""),
            summary=data.get("summary", ""),
            scope=data.get("scope", ""),
            note=data.get("note", ""),
        )
        try:
            change = curation_facts.propose_fact(user, fact=fact, source=form.source(), now=timezone.now())
        except ApplicationError as error:
            if error.status != 422:
                return _error_page(request, error)
            problems = error.extra.get("problems") or []
            for problem in problems if isinstance(problems, list) else []:
                form.add_error(None, f"{problem['file']}: {problem['key']}: {problem['message']}")
            if not problems:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("The change is proposed. Another curator reviews it before it is published."))
            return redirect("knowledge:curation_change", change_id=change.pk)
    code = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    value, source_url = curation_facts.current_entry(chosen["state"], chosen["treaty"], what, code)
    context = {
        "choose": choose,
        "form": form,
        "chosen": chosen,
        "what_label": curation_facts.WHAT[what],
        "treaty_label": curation_facts.TREATY_LABELS[chosen["treaty"]],
        "state_name": current_reference().states[chosen["state"]].name,
        "current": _yaml(value),
        "current_source": source_url,
        "codes": curation_facts.position_codes(chosen["treaty"]) if what == "position" else [],
    }
    return render(request, "knowledge/curation/propose.html", context, status=422 if form.is_bound else 200)


@require_GET
def change_detail(request: HttpRequest, change_id: int) -> HttpResponse:
    try:
        user = _curator(request)
        change = curation.change_get(user, change_id)
    except ApplicationError as error:
        return _error_page(request, error)
    own = change.proposer_id == user.pk
    context = {
        "change": change,
        "diff": curation.diff_text(change),
        "own": own,
        "own_reason": curation.OWN_CHANGE,
        "open": change.status == ChangeStatus.PROPOSED,
        "version": Version.objects.filter(change=change).first(),
    }
    return render(request, "knowledge/curation/change.html", context)


def _decide(request: HttpRequest, change_id: int, action: str) -> HttpResponse:
    try:
        user = _curator(request)
        now, reason = timezone.now(), request.POST.get("reason", "").strip()
        if action == "publish":
            version = curation.publish(user, change_id=change_id, now=now, reason=reason)
            messages.success(request, _("Published as version %(number)s.") % {"number": version.number})
        elif action == "reject":
            curation.reject(user, change_id=change_id, now=now, reason=reason)
            messages.success(request, _("The change is rejected."))
        else:
            curation.withdraw(user, change_id=change_id, now=now)
            messages.success(request, _("The change is withdrawn."))
    except ApplicationError as error:
        return _error_page(request, error)
    return redirect("knowledge:curation_change", change_id=change_id)


@require_POST
def change_publish(request: HttpRequest, change_id: int) -> HttpResponse:
    return _decide(request, change_id, "publish")


@require_POST
def change_reject(request: HttpRequest, change_id: int) -> HttpResponse:
    return _decide(request, change_id, "reject")


@require_POST
def change_withdraw(request: HttpRequest, change_id: int) -> HttpResponse:
    return _decide(request, change_id, "withdraw")


@require_GET
def versions(request: HttpRequest) -> HttpResponse:
    try:
        _curator(request)
    except ApplicationError as error:
        return _error_page(request, error)
    return render(request, "knowledge/curation/versions.html", {"versions": list(curation.versions()[:200])})


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or YAML file"),
        help_text=gettext_lazy("One change per row. Columns: %(columns)s.") % {"columns": ", ".join(curation_facts.COLUMNS)},
    )


@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    try:
        user = _curator(request)
    except ApplicationError as error:
        return _error_page(request, error)
    form = ImportForm(request.POST or None, request.FILES or None)
    rows: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("An import is at most %(size)s bytes.") % {"size": MAX_IMPORT_BYTES})
        else:
            kind = "csv" if upload.name.lower().endswith(".csv") else "yaml"
            try:
                text = upload.read().decode("utf-8-sig")
                made = curation_facts.import_changes(user, content=text, kind=kind, now=timezone.now())
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            except curation_facts.ImportRefused as refused:
                rows = refused.rows
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("%(count)s changes are proposed.") % {"count": len(made)})
                return redirect("knowledge:curation_queue")
    status = 400 if rows else (422 if form.is_bound and form.errors else 200)
    return render(request, "knowledge/curation/import.html", {"form": form, "rows": rows}, status=status)


@require_GET
def stale(request: HttpRequest) -> HttpResponse:
    try:
        _curator(request)
        text = request.GET.get("days", "365")
        if not text.isdigit():
            raise ApplicationError(_("days is a positive number of days"), field="days", status=400)
        days = int(text)
        found = curation.stale_values(today=timezone.now().date(), days=days)
    except ApplicationError as error:
        return _error_page(request, error)
    return render(request, "knowledge/curation/stale.html", {"values": found, "days": days})
