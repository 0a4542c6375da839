"""Editing a draft request: save it at any time, complete or not, until it is submitted for
approval. One transaction each, audited (the changed element names, never their values)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from cyberspex.forms.definitions import forms
from cyberspex.forms.validate import schema_issues
from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.access import Action
from cyberspex.web.audit.models import Event
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError

# Problems that make a draft unstorable as form data: a value of the wrong JSON type, or an
# element the form does not have. Everything else (missing, badly formatted) may be saved in
# a draft and is listed as a problem until the draft is complete.
UNSAVEABLE = frozenset({"invalid_type", "unknown_field"})
SUBMITTED = "this request was submitted for approval ({state}): it can no longer be edited"
ADDRESSED = "this request is {state}: its recipients can no longer be changed"


def editable(request: Request) -> bool:
    """Only a draft is edited; once submitted for approval it is read-only."""
    return request.state == State.DRAFT


def _route_question(data: dict[str, Any]) -> tuple[Any, Any, Any]:
    """What the route advice depends on in the form data: the recipient State, the urgency, the data category."""
    sought = data.get("data_sought")
    return data.get("recipient_state"), data.get("emergency"), sought.get("category") if isinstance(sought, dict) else None


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge, ``null`` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def _field(path: str) -> str:
    """``$.offences[0].provisions`` -> ``data.offences.0.provisions`` (the API's field names)."""
    return "data" + path[1:].replace("[", ".").replace("]", "")


def check_storable(form_id: str, data: dict[str, Any]) -> None:
    """422 naming the first value of the wrong type or the first element the form does not have."""
    for issue in schema_issues(form_id, data):
        if issue.code in UNSAVEABLE:
            where = issue.path.removeprefix("$.")
            raise ApplicationError(f"{where}: {issue.message}", field=_field(issue.path), status=422)


@transaction.atomic
def request_update(*, user: User, request_id: int, data: dict[str, Any], now: datetime, patch: bool = False) -> Request:
    """Save the form data of a draft (all of it, or merged as a JSON merge patch when ``patch``).

    Incomplete data is saved; a value of the wrong type is refused (422 with its field); a
    request submitted for approval is no longer editable (409). The route advice is asked again
    when the recipient State, the urgency or the data sought changed."""
    found = services.request_get(user=user, request_id=request_id, action=Action.DRAFT_REQUEST)
    request = Request.objects.select_for_update().select_related("case__organisation").get(pk=found.pk)
    if not editable(request):
        raise ApplicationError(SUBMITTED.format(state=request.state.replace("_", " ")), field="state", status=409)
    if not isinstance(data, dict):
        raise ApplicationError("the form data must be a JSON object", field="data", status=422)
    merged = merge_patch(request.data, data) if patch else dict(data)
    merged = {**merged, "form": request.form_id, "issuing_state": request.case.organisation.country}
    check_storable(request.form_id, merged)
    changed = sorted(k for k in set(merged) | set(request.data) if merged.get(k) != request.data.get(k))
    if not changed:  # e.g. an autosave with nothing typed since the last one: nothing to write or record
        return request
    if _route_question(merged) != _route_question(request.data) and merged.get("recipient_state"):
        advice = services._route_advice(request.case, request.form_id, merged, now, services.what_if_of(request))
        request.route_advice = advice
        request.requires_approval = request.requires_approval or services._needs_approval(user, request.form_id, merged, advice)
    request.recipient_state = str(merged.get("recipient_state", ""))
    request.data = merged
    request.save(update_fields=["data", "route_advice", "recipient_state", "requires_approval"])
    services._audit(
        user,
        now,
        Event.CHANGE,
        request,
        organisation=request.case.organisation,  # the user's: request_get checked it
        details={"edited": changed, "form": request.form_id},
    )
    return request


def draft_create(
    *, user: User, case_id: int, form_id: str, data: dict[str, Any], now: datetime, idempotency_key: str, what_if: WhatIf
) -> tuple[Request, bool]:
    """A new draft from the editor, complete or not (values of the wrong type refused)."""
    if form_id not in forms():
        raise ApplicationError(f"unknown form id {form_id!r}", field="form_id", status=422)
    check_storable(form_id, {**data, "form": form_id})
    return services.request_draft(
        user=user, case_id=case_id, form_id=form_id, data=data, now=now, idempotency_key=idempotency_key, what_if=what_if
    )


@transaction.atomic
def request_address(
    *, user: User, request_id: int, recipient_organisation: int | None, sent_outside: bool, now: datetime
) -> Request:
    """Address a draft to an organisation of the directory (checked against the route's function
    and the recipient State, exchange/routing.py), or mark it as sent outside the platform, or
    neither (not yet addressed). Only a draft: once submitted or issued its recipients are fixed (409)."""
    found = services.request_get(user=user, request_id=request_id, action=Action.DRAFT_REQUEST)
    request = Request.objects.select_for_update().select_related("case__organisation").get(pk=found.pk)
    if not editable(request):
        raise ApplicationError(
            ADDRESSED.format(state=request.state.replace("_", " ")), field="recipient_organisation", status=409
        )
    addressee = services.addressee_of(request.route_id, request.recipient_state, recipient_organisation, sent_outside)
    if addressee == request.recipient_organisation and sent_outside == request.sent_outside:
        return request
    request.recipient_organisation = addressee
    request.sent_outside = sent_outside
    request.save(update_fields=["recipient_organisation", "sent_outside"])
    services._audit(
        user,
        now,
        Event.CHANGE,
        request,
        organisation=request.case.organisation,
        details={"addressed": addressee.pk if addressee else None, "sent_outside": sent_outside, "form": request.form_id},
    )
    return request
