"""Curation of the reference data in the API (curators, token auth): propose a change with its
source, list and read changes, publish or reject another curator's change, import rows of changes
(CSV or YAML). Published versions and the export of the published knowledge base are public.
Thin over knowledge/curation.py and knowledge/curation_facts.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from cyberspex.refdata.export import export_zip
from cyberspex.web.api.auth import TokenAuth
from cyberspex.web.api.errors import ErrorBody, Pagination
from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge import curation, curation_facts
from cyberspex.web.knowledge.models import Change, Version
from cyberspex.web.knowledge.reference import latest_publication, published_patches, version_name

router = Router(auth=TokenAuth())
MAX_IMPORT_BYTES = 1_000_000


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise ApplicationError("authentication required", status=401)
    return user


class ChangeIn(Schema):
    """A change, either as a fact of a State's record of a treaty (``state``, ``treaty``, ``what``
    and the value: ``date``, ``kind``, ``status``, ``code``/``summary``/``scope``), or as a raw
    patch (``file``, ``path``, ``value``; write ``"source": "curation-new"`` in the value: it
    becomes the change's own source id, ``curation-<id>``)."""

    state: str = ""
    treaty: str = ""
    what: str = ""
    date: dt.date | None = None
    kind: str = ""
    status: str = ""
    code: str = ""
    summary: str = ""
    scope: str = ""
    note: str = ""
    file: str = ""
    path: str = ""
    value: Any = None
    source_url: str
    source_title: str
    source_kind: str = "official"
    as_of: dt.date
    verified_by: str
    reason: str


class ChangeOut(Schema):
    id: int
    status: str
    file: str
    path: str
    summary: str
    old_value: Any
    new_value: Any
    source_id: str
    source_url: str
    source_title: str
    source_kind: str
    as_of: dt.date
    verified_by: str
    reason: str
    proposer: str
    proposed_at: dt.datetime
    reviewer: str | None
    decided_at: dt.datetime | None
    decision_note: str
    version: int | None

    @staticmethod
    def resolve_proposer(obj: Change) -> str:
        return obj.proposer.get_username()

    @staticmethod
    def resolve_reviewer(obj: Change) -> str | None:
        return obj.reviewer.get_username() if obj.reviewer else None

    @staticmethod
    def resolve_version(obj: Change) -> int | None:
        try:
            return obj.version.number  # selected with the change (curation.changes, change_get)
        except Version.DoesNotExist:
            return None


class VersionOut(Schema):
    number: int
    change_id: int
    summary: str
    published_at: dt.datetime
    diff: str
    reason: str
    data_version: str

    @staticmethod
    def resolve_summary(obj: Version) -> str:
        return obj.change.summary


class DecisionIn(Schema):
    reason: str = ""


REFUSALS: dict[int, type[ErrorBody]] = {401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody}


@router.post("/curation/changes", response={201: ChangeOut, **REFUSALS}, tags=["curation"])
def curation_propose(request: HttpRequest, body: ChangeIn) -> Any:
    """Propose a change (curators). It is checked on top of the data as published with the checks of
    ``cyberspex data check``: 422 with ``extra.problems`` naming every problem if the data would not be valid."""
    user, now = _user(request), timezone.now()
    source = curation.SourceInput(
        url=body.source_url,
        title=body.source_title,
        kind=body.source_kind,
        as_of=body.as_of,
        verified_by=body.verified_by,
        reason=body.reason,
    )
    if body.file or body.path:
        if not (body.file and body.path):
            raise ApplicationError("a raw change gives both file and path", field="file" if not body.file else "path", status=422)
        summary = body.summary or f"{body.file} {body.path}"

        def build(source_id: str) -> curation.Target:
            return curation.Target(body.file, body.path, curation.with_source_id(body.value, source_id), summary)

        return Status(201, curation.propose(user, build=build, source=source, now=now))
    fact = curation_facts.Fact(
        state=body.state.upper(),
        treaty=body.treaty,
        what=body.what,
        date=body.date,
        kind=body.kind,
        status=body.status,
        code=body.code,
        summary=body.summary,
        scope=body.scope,
        note=body.note,
    )
    return Status(201, curation_facts.propose_fact(user, fact=fact, source=source, now=now))


@router.get(
    "/curation/changes", response={200: list[ChangeOut], 400: ErrorBody, 401: ErrorBody, 403: ErrorBody}, tags=["curation"]
)
@paginate(Pagination)
def curation_changes(request: HttpRequest, status: str = "") -> Any:
    """Changes, newest first; ``status`` filters (proposed, published, rejected, withdrawn)."""
    return curation.changes(_user(request), status=status)


@router.get("/curation/changes/{change_id}", response={200: ChangeOut, **REFUSALS}, tags=["curation"])
def curation_change(request: HttpRequest, change_id: int) -> Any:
    return Status(200, curation.change_get(_user(request), change_id))


@router.post("/curation/changes/{change_id}/publish", response={200: VersionOut, **REFUSALS}, tags=["curation"])
def curation_publish(request: HttpRequest, change_id: int, body: DecisionIn) -> Any:
    """Publish another curator's proposed change as the next data version: 403 for one's own change
    (four-eyes rule), 409 if the data as now published conflicts with it."""
    return Status(200, curation.publish(_user(request), change_id=change_id, now=timezone.now(), reason=body.reason))


@router.post("/curation/changes/{change_id}/reject", response={200: ChangeOut, **REFUSALS}, tags=["curation"])
def curation_reject(request: HttpRequest, change_id: int, body: DecisionIn) -> Any:
    """Reject another curator's proposed change, saying why (403 for one's own change)."""
    return Status(200, curation.reject(_user(request), change_id=change_id, now=timezone.now(), reason=body.reason))


@router.get("/curation/versions", response={200: list[VersionOut]}, auth=None, tags=["curation"])
@paginate(Pagination)
def curation_versions(request: HttpRequest) -> Any:  # noqa: ARG001  # ninja passes the request
    """The published versions of the reference data, newest first, each with its diff and reason (public)."""
    return curation.versions()


class ImportOut(Schema):
    changes: list[ChangeOut]


class ImportRefusal(ErrorBody):
    # Each bad row with its problems. Empty when the request itself is refused before any row is
    # read (a malformed query string, say), which answers with the plain error body.
    rows: list[dict[str, Any]] = Field(default_factory=list)


@router.post(
    "/curation/imports",
    response={201: ImportOut, 400: ImportRefusal, 401: ErrorBody, 403: ErrorBody, 413: ErrorBody},
    tags=["curation"],
)
def curation_import(request: HttpRequest, file: File[UploadedFile] | None = None) -> Any:
    """Import changes, one per row: a CSV (with a header) or YAML (a list of mappings) upload in the
    field ``file``, or the text as the body (``Content-Type: text/csv``, ``application/yaml`` or
    ``application/json``: a JSON list of row objects, read as YAML).
    Columns: state, treaty, what, date, kind, status, code, summary, scope, note, source_url,
    source_title, source_kind, as_of, verified_by, reason. Any bad row: 400 with ``rows`` naming
    each row's problems, and nothing is stored; otherwise every row becomes a proposed change."""
    user = _user(request)
    if file is not None:
        if (file.size or 0) > MAX_IMPORT_BYTES:
            raise ApplicationError(f"an import is at most {MAX_IMPORT_BYTES} bytes", field="file", status=413)
        content, name = file.read(), str(file.name or "")
        kind = "csv" if name.lower().endswith(".csv") or "csv" in (file.content_type or "") else "yaml"
    else:
        content = request.body
        if len(content) > MAX_IMPORT_BYTES:
            raise ApplicationError(f"an import is at most {MAX_IMPORT_BYTES} bytes", status=413)
        kind = "csv" if "csv" in request.headers.get("Content-Type", "") else "yaml"
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Status(400, _refusal("the import is not UTF-8 text", [{"row": 0, "problems": ["not UTF-8 text"]}]))
    try:
        made = curation_facts.import_changes(user, content=text, kind=kind, now=timezone.now())
    except curation_facts.ImportRefused as refused:
        return Status(400, _refusal(refused.message, refused.rows))
    return Status(201, {"changes": made})


def _refusal(message: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"message": message, "field": None, "extra": {"rows": rows}, "rows": rows}


@router.get(
    "/curation/export",
    response={200: None},
    auth=None,
    tags=["curation"],
    openapi_extra={"responses": {200: {"description": "A zip of the data and its manifest", "content": {"application/zip": {}}}}},
)
def curation_export(request: HttpRequest) -> Any:  # noqa: ARG001  # ninja passes the request
    """The published knowledge base as a zip (public): ``data/<document>`` for every reference-data
    document with the published changes applied, ``patches.json`` (the changes) and
    ``manifest.json`` (format, data version, date, each file's SHA-256)."""
    number, fingerprint = latest_publication()
    version = version_name(number, fingerprint)
    content = export_zip(published_patches(number), data_version=version, on=timezone.now().date())
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="cyberspex-reference-data-{version}.zip"'
    return response
