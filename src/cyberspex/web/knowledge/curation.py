"""Curation of the reference data: propose a change with its source, review it with four eyes,
publish it as a new data version. Each write is one transaction with its audit record.

A change is a patch of one document of ``data/`` (refdata/overlay.py). A proposal is validated
on top of the data as published (the shipped files and every published change), with exactly the
checks of ``cyberspex data check``; a proposal that would make the data invalid is refused with
every problem named. Another curator than the proposer publishes or rejects it; publishing checks
it again against the data as then published, so a change published in between that touched the
same value, or made this one invalid, is a conflict (409)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from cyberspex.refdata import overlay
from cyberspex.refdata.check import review
from cyberspex.refdata.loader import Problem, ReferenceDataError, checked_raw, raw_document
from cyberspex.refdata.overlay import Patch
from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.knowledge.models import Change, ChangeStatus, SourceKind, Version
from cyberspex.web.knowledge.reference import latest_publication, published_patches, version_name

NOT_A_CURATOR = "only a reference-data curator may do this"
OWN_CHANGE = "you proposed this change: another curator must review it (four-eyes rule)"


@dataclass(frozen=True)
class Target:
    """What a change changes: a value at a key path of one document, described in words."""

    file: str
    path: str
    value: Any
    summary: str


@dataclass(frozen=True)
class SourceInput:
    """The source that supports a new value, as submitted."""

    url: str
    title: str
    kind: str  # SourceKind
    as_of: date
    verified_by: str
    reason: str


def require_curator(user: User) -> None:
    if not can(user, Action.CURATE):
        raise ApplicationError(NOT_A_CURATOR, status=403)


def patch_of(change: Change) -> Patch:
    return Patch.make(
        value=change.new_value,
        source_id=change.source_id,
        file=change.file,
        path=change.path,
        source_url=change.source_url,
        source_title=change.source_title,
        source_kind=change.source_kind,
        as_of=change.as_of.isoformat(),
        verified_by=change.verified_by,
        reason=change.reason,
    )


def current_patches() -> list[Patch]:
    """The patches of every published change, in the order of publication."""
    return published_patches(latest_publication()[0])


NEW_SOURCE = "curation-new"  # in a raw value: the source id of the change being proposed


def with_source_id(value: Any, source_id: str) -> Any:
    """``value`` with every ``"source": "curation-new"`` replaced by ``source_id``."""
    if isinstance(value, dict):
        return {k: (source_id if k == "source" and v == NEW_SOURCE else with_source_id(v, source_id)) for k, v in value.items()}
    if isinstance(value, list):
        return [with_source_id(item, source_id) for item in value]
    return value


def provenance(source: SourceInput, source_id: str, note: str = "") -> dict[str, Any]:
    """The provenance fields of a curated value: verified only on an official source."""
    out: dict[str, Any] = {"source": source_id, "as_of": source.as_of.isoformat(), "verified": source.kind == SourceKind.OFFICIAL}
    if source.kind == SourceKind.SECONDARY:
        out["secondary"] = True
    if note:
        out["note"] = note
    return out


def check_source(source: SourceInput, *, today: date) -> list[tuple[str, str]]:
    """(field, problem) for every missing or invalid part of the source."""
    problems = []
    if source.as_of > today:
        problems.append(("as_of", f"the source cannot have been consulted after today ({today.isoformat()})"))
    if not source.url.startswith(("https://", "http://")):
        problems.append(("source_url", "give the URL of the source (https://...)"))
    if not source.title.strip():
        problems.append(("source_title", "give the title of the source"))
    if source.kind not in SourceKind.values:
        problems.append(("source_kind", f"the source kind is one of {', '.join(SourceKind.values)}"))
    if not source.verified_by.strip():
        problems.append(("verified_by", "say who checked the value against the source"))
    if not source.reason.strip():
        problems.append(("reason", "say why the value changes"))
    return problems


def problems_with(patches: Sequence[Patch]) -> list[Problem]:
    """Every error of the data with ``patches`` applied (schema and cross-file checks)."""
    _, errors = checked_raw(patches)
    return errors


def _problem_list(problems: list[Problem]) -> list[dict[str, str]]:
    return [{"file": p.file, "key": p.key, "message": p.message} for p in problems]


def _audit(user: User, now: datetime, event: Event, change: Change, **details: object) -> None:
    own = organisation(user)
    append(
        at=now,
        actor=user.get_username(),
        organisation=own.name if own else "",
        event=event,
        object_type="curation_change",
        object_id=str(change.pk),
        details={"file": change.file, "path": change.path, **details},
    )


def current_value(file: str, path: str, patches: Sequence[Patch] | None = None) -> Any:
    """The value at ``path`` of document ``file`` in the data as published (None: absent)."""
    try:
        document = raw_document(file, current_patches() if patches is None else patches)
    except ReferenceDataError as error:
        raise ApplicationError(f"{file}: there is no such reference-data document", field="file", status=422) from error
    try:
        return overlay.get(document, path)
    except overlay.PatchError as error:
        raise ApplicationError(str(error), field="path", status=422) from error


def propose(
    user: User,
    *,
    target: Target | None = None,
    build: Callable[[str], Target] | None = None,
    source: SourceInput,
    now: datetime,
) -> Change:
    """Record a proposed change; 422 naming every problem if the data would not be valid with it.

    Give the ``target``, or ``build(source_id) -> Target`` when the new value must name the
    change's own source id (``curation-<id>``), as every curated value does."""
    if build is None and target is None:
        raise TypeError("give the target of the change, or how to build it")
    require_curator(user)
    if problems := check_source(source, today=now.date()):
        field = problems[0][0]
        raise ApplicationError("; ".join(m for _, m in problems), field=field, status=422)
    with transaction.atomic():
        change = Change.objects.create(
            file=(target.file if target else ""),
            path=(target.path if target else ""),
            summary="",
            source_url=source.url,
            source_title=source.title,
            source_kind=source.kind,
            as_of=source.as_of,
            verified_by=source.verified_by,
            reason=source.reason,
            proposer=user,
            proposed_at=now,
        )
        made = build(change.source_id) if build is not None else target
        if made is None:
            raise TypeError("give the target of the change, or how to build it")
        target = made
        published = current_patches()
        change.file, change.path, change.summary = target.file, target.path, target.summary[:300]
        change.old_value = current_value(target.file, target.path, published)
        change.new_value = target.value
        if change.old_value == change.new_value:
            raise ApplicationError("the data already has this value", field="value", status=422)
        errors = problems_with([*published, patch_of(change)])
        if errors:
            raise ApplicationError(
                "the reference data would not be valid with this change: " + "; ".join(str(p) for p in errors),
                field="value",
                status=422,
                extra={"problems": _problem_list(errors)},
            )
        change.save()
        _audit(user, now, Event.CREATE, change, summary=change.summary)
    return change


def _locked(change_id: int) -> Change:
    found = Change.objects.select_for_update().filter(pk=change_id).first()
    if found is None:
        raise NotFound("change")
    return found


def _reviewable(user: User, change: Change, verb: str) -> None:
    if change.status != ChangeStatus.PROPOSED:
        raise ApplicationError(f"this change is {change.status}: only a proposed change can be {verb}", status=409)
    if change.proposer_id == user.pk:
        raise ApplicationError(OWN_CHANGE, status=403)


def diff_text(change: Change) -> str:
    """A unified diff of the value before and after, as YAML."""

    def lines(value: Any) -> list[str]:
        if value is None:
            return []
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, default_flow_style=False).splitlines(keepends=True)

    where = f"{change.file} {change.path}"
    return "".join(
        difflib.unified_diff(lines(change.old_value), lines(change.new_value), f"{where} (before)", f"{where} (after)")
    )


def publish(user: User, *, change_id: int, now: datetime, reason: str = "") -> Version:
    """Publish a proposed change as the next data version (another curator than its proposer).

    409 if the value changed since the proposal, or if the data as now published would not be
    valid with it; the message says which."""
    require_curator(user)
    with transaction.atomic():
        change = _locked(change_id)
        _reviewable(user, change, "published")
        published = current_patches()
        now_value = current_value(change.file, change.path, published)
        if now_value != change.old_value:
            raise ApplicationError(
                f"the value at {change.file} {change.path} changed after this change was proposed (another change was "
                "published in between): reject this one and propose it again on the data as now published",
                status=409,
                extra={"proposed_on": change.old_value, "now": now_value},
            )
        patches = [*published, patch_of(change)]
        if errors := problems_with(patches):
            raise ApplicationError(
                "the data as now published would not be valid with this change: " + "; ".join(str(p) for p in errors),
                status=409,
                extra={"problems": _problem_list(errors)},
            )
        number = len(published) + 1
        fingerprint = overlay.fingerprint(patches)
        change.status, change.reviewer, change.decided_at = ChangeStatus.PUBLISHED, user, now
        change.decision_note = reason
        change.save(update_fields=["status", "reviewer", "decided_at", "decision_note"])
        try:
            with transaction.atomic():
                version = Version.objects.create(
                    number=number,
                    change=change,
                    published_by=user,
                    published_at=now,
                    diff=diff_text(change),
                    reason=reason or change.reason,
                    data_version=version_name(number, fingerprint),
                    fingerprint=fingerprint,
                )
        except IntegrityError as error:
            raise ApplicationError(
                "another change was published at the same moment: publish this one again", status=409
            ) from error
        _audit(user, now, Event.APPROVE, change, version=number, data_version=version.data_version)
    return version


def reject(user: User, *, change_id: int, now: datetime, reason: str) -> Change:
    """Reject a proposed change (another curator than its proposer), saying why."""
    require_curator(user)
    if not reason.strip():
        raise ApplicationError("say why the change is rejected", field="reason", status=422)
    with transaction.atomic():
        change = _locked(change_id)
        _reviewable(user, change, "rejected")
        change.status, change.reviewer, change.decided_at, change.decision_note = ChangeStatus.REJECTED, user, now, reason
        change.save(update_fields=["status", "reviewer", "decided_at", "decision_note"])
        _audit(user, now, Event.TRANSITION, change, status=ChangeStatus.REJECTED.value)
    return change


def withdraw(user: User, *, change_id: int, now: datetime) -> Change:
    """Withdraw one's own proposed change."""
    require_curator(user)
    with transaction.atomic():
        change = _locked(change_id)
        if change.proposer_id != user.pk:
            raise ApplicationError("only the curator who proposed a change may withdraw it", status=403)
        if change.status != ChangeStatus.PROPOSED:
            raise ApplicationError(f"this change is {change.status}: only a proposed change can be withdrawn", status=409)
        change.status, change.decided_at = ChangeStatus.WITHDRAWN, now
        change.save(update_fields=["status", "decided_at"])
        _audit(user, now, Event.TRANSITION, change, status=ChangeStatus.WITHDRAWN.value)
    return change


def change_get(user: User, change_id: int) -> Change:
    require_curator(user)
    found = Change.objects.select_related("proposer", "reviewer", "version").filter(pk=change_id).first()
    if found is None:
        raise NotFound("change")
    return found


def changes(user: User, *, status: str = "") -> Any:
    require_curator(user)
    if status and status not in ChangeStatus.values:
        raise ApplicationError(f"status is one of {', '.join(ChangeStatus.values)}", field="status", status=400)
    found = Change.objects.select_related("proposer", "reviewer", "version")
    return found.filter(status=status) if status else found


def versions() -> Any:
    return Version.objects.select_related("change", "published_by")


@dataclass(frozen=True)
class StaleValue:
    """A status value whose source is older than the window (refdata/check.py ``review``)."""

    file: str
    key: str
    message: str
    state: str  # the State of a states/ document, else ""
    treaty: str  # ets185 or cets224 for a State's treaty status, else ""


def stale_values(*, today: date, days: int) -> list[StaleValue]:
    """The values of the data as published that ``cyberspex data check`` calls stale after ``days`` days."""
    if days < 1:
        raise ApplicationError("days is a positive number of days", field="days", status=400)
    raw, _ = checked_raw(current_patches())
    if raw is None:
        return []
    out = []
    for problem in review(raw, today=today, max_age_days=days):
        if not problem.message.startswith("stale"):
            continue
        state = problem.file.removeprefix("states/").removesuffix(".yaml") if problem.file.startswith("states/") else ""
        treaty = problem.key.split(".", 1)[0] if state and problem.key.split(".", 1)[0] in {"ets185", "cets224"} else ""
        out.append(StaleValue(problem.file, problem.key, problem.message, state, treaty))
    return out
