"""Changing a case after it was opened: its contents, and its retention review date (CETS 224
Art 14(5)). Each function is one transaction with its audit record; the record names the
fields that changed, never their personal values (ADR 0013)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.cases.models import Case, Classification
from cyberspex.web.cases.services import case_get
from cyberspex.web.errors import ApplicationError
from cyberspex.web.validation import check_case_identifiers

EDITABLE = ("title", "offences", "summary_of_facts", "identifiers", "persons", "classification")
MAX_REASON = 500


def _audit(user: User, now: datetime, case: Case, details: dict[str, Any], personal: dict[str, str] | None = None) -> None:
    found = membership(user)
    append(
        at=now,
        actor=user.get_username(),
        organisation=found.organisation.name if found else "",
        event=Event.CHANGE,
        object_type="case",
        object_id=str(case.pk),
        details=details,
        personal_details=personal,
    )


def _locked_for_edit(user: User, case_id: int) -> Case:
    case = case_get(user=user, case_id=case_id)  # 404 first, for another organisation
    if not can(user, Action.EDIT_CASE, case.organisation):
        raise ApplicationError("your role cannot change cases", status=403)
    return Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)


def _check(case: Case) -> None:
    if case.classification not in Classification.values:
        raise ApplicationError(f"unknown classification {case.classification!r}", field="classification", status=422)
    check_case_identifiers(reference=case.reference, identifiers=case.identifiers)
    try:
        case.full_clean(exclude=["created_by", "organisation", "retention_review_date"], validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(f"{field}: {' '.join(messages)}", field=field, status=422) from None


def case_version(case: Case) -> str:
    """A fingerprint of the case's editable contents: a page sends back the one it was shown, so
    that a change made meanwhile by someone else is not overwritten unseen."""
    contents = json.dumps({name: getattr(case, name) for name in EDITABLE}, sort_keys=True, default=str)
    return hashlib.sha256(contents.encode("utf-8")).hexdigest()[:32]


STALE = (
    "someone changed this case after you opened the page: nothing was saved. Your text is kept below "
    "so that you can copy it; open the page again to see their change"
)


@transaction.atomic
def case_update(*, user: User, case_id: int, changes: dict[str, Any], now: datetime, version: str = "") -> tuple[Case, list[str]]:
    """Change some of the case's title, offences, facts, identifiers, persons and
    classification. Returns the case and the names of the fields that changed (none: nothing
    is recorded). The reference stays: requests and documents cite it. With ``version`` (see
    case_version), a case changed since then is refused with 409."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ApplicationError(f"{unknown[0]} cannot be changed here", field=unknown[0], status=422)
    case = _locked_for_edit(user, case_id)
    if version and version != case_version(case):
        raise ApplicationError(STALE, status=409)
    changed = [name for name in EDITABLE if name in changes and changes[name] != getattr(case, name)]
    before = case.classification
    for name in changed:
        setattr(case, name, changes[name])
    _check(case)
    if not changed:
        return case, []
    case.save(update_fields=changed)
    details: dict[str, Any] = {"changed": changed}
    if "classification" in changed:
        details["classification"] = {"from": before, "to": case.classification}
    _audit(user, now, case, details)
    return case, changed


@transaction.atomic
def case_set_retention_review(*, user: User, case_id: int, review_date: date, reason: str, now: datetime) -> Case:
    """Move the case's retention review date (CETS 224 Art 14(5): periodic review of the need to
    keep the data), saying why. The date must be after today; the reason is erasable with the case."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError("say why the review date changes", field="reason", status=422)
    if len(reason) > MAX_REASON:
        raise ApplicationError(f"the reason is longer than {MAX_REASON} characters", field="reason", status=422)
    if review_date <= now.date():
        raise ApplicationError(
            "the retention review date must be in the future (2AP Art 14(5))", field="retention_review_date", status=422
        )
    case = _locked_for_edit(user, case_id)
    before = case.retention_review_date
    case.retention_review_date = review_date
    case.save(update_fields=["retention_review_date"])
    details = {
        "retention_review_date": {"from": before.isoformat(), "to": review_date.isoformat()},
        "citation": "CETS 224 Art 14(5)",
    }
    _audit(user, now, case, details, {"reason": reason})
    return case


@transaction.atomic
def case_patch(*, user: User, case_id: int, body: dict[str, Any], now: datetime) -> Case:
    """The API's PATCH: the contents and, with its reason, the retention review date, together
    or not at all. Fields given as null are left as they are."""
    reason = str(body.pop("retention_review_reason", "") or "")
    review = body.pop("retention_review_date", None)
    changes = {k: v for k, v in body.items() if v is not None}
    if reason and review is None:
        raise ApplicationError("a reason is given without a new retention review date", field="retention_review_date", status=422)
    case, _changed = case_update(user=user, case_id=case_id, changes=changes, now=now)
    if review is not None:
        if not reason.strip():
            raise ApplicationError("say why the retention review date changes", field="retention_review_reason", status=422)
        case = case_set_retention_review(user=user, case_id=case_id, review_date=review, reason=reason, now=now)
    return case
