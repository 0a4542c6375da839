"""REST API ``/api/v1/``: the same services as the pages, with consistent error bodies.

OpenAPI at ``/api/v1/openapi.json``. Errors: ``{"message": ..., "field": ..., "extra": {...}}``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Query, Schema, Status, UploadedFile
from ninja.openapi.docs import Swagger
from ninja.pagination import paginate
from ninja.security import django_auth

from cyberspex.law.scenario import DataCategory, EmergencyKind, Entity, Measure
from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.api import route_answers
from cyberspex.web.api.answers import router as answers_router
from cyberspex.web.api.auth import TokenAuth, VerifiedSession, token_create, token_revoke, token_state, tokens_visible
from cyberspex.web.api.curation import router as curation_router
from cyberspex.web.api.decisions import router as decisions_router
from cyberspex.web.api.emergency import router as emergency_router
from cyberspex.web.api.errors import Api, BoundedPagination, ErrorBody, JsonParser, Pagination, install
from cyberspex.web.api.inbox import router as inbox_router
from cyberspex.web.api.monitor import router as monitor_router
from cyberspex.web.api.registers import router as registers_router
from cyberspex.web.api.requested_party import router as requested_party_router
from cyberspex.web.api.statistics import router as statistics_router
from cyberspex.web.api.training import router as training_router
from cyberspex.web.api.treaties import router as treaties_router
from cyberspex.web.api.whatif import router as whatif_router
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.audit.personal import readable_details
from cyberspex.web.audit.selectors import audit_search
from cyberspex.web.cases import approval, attachments, drafting, selectors, services
from cyberspex.web.cases.attachments import attachment_response
from cyberspex.web.cases.editing import case_patch
from cyberspex.web.cases.models import Attachment, Case, Deadline, Request
from cyberspex.web.cases.search import MAX_QUERY, RequestRow, search
from cyberspex.web.errors import ApplicationError
from cyberspex.web.paging import COUNT_AHEAD_PAGES

api = Api(
    title="CyberSPEX",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    parser=JsonParser(),
    # Swagger UI's files are served by this instance ("ninja" in INSTALLED_APPS); no online
    # validator, which would send the document's address to a third party.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/", inbox_router)  # the directory and the inbox (web/api/inbox.py)
api.add_router("/", requested_party_router)  # the Article 8 requested Party (web/api/requested_party.py)
api.add_router("/", statistics_router)  # the organisation's statistics (web/api/statistics.py)
api.add_router("/", registers_router)  # public registers and State profiles (web/api/registers.py)
api.add_router("/", decisions_router)  # notified and enforcing authorities' decisions (web/api/decisions.py)
api.add_router("/", emergency_router)  # 24/7 contacts, oral requests, escalation (web/api/emergency.py)
api.add_router("/", answers_router)  # answers, produced files, clarification, receipts (web/api/answers.py)
api.add_router("/", training_router)  # training exercises graded by the engine (web/api/training.py)
api.add_router("/", treaties_router)  # public treaty status and the CETS 224 timeline (web/api/treaties.py)
api.add_router("/", whatif_router)  # the public ratification what-if (web/api/whatif.py)
api.add_router("/", monitor_router)  # provider policies, implementation tracker, indicators (web/api/monitor.py)
api.add_router("/", curation_router)  # curation of the reference data (web/api/curation.py)
install(api)  # every refusal as {message, field, extra} (web/api/errors.py)
token = TokenAuth()


def _user(request: HttpRequest) -> User:
    """The authenticated user (token auth has run), or 401."""
    user = request.user
    if not isinstance(user, User):
        raise ApplicationError("authentication required", status=401)
    return user


# -- public -----------------------------------------------------------------------------


class RouteQuery(Schema):
    issuing: str
    provider_state: str
    data: DataCategory
    measure: Measure = Measure.PRODUCTION
    emergency: EmergencyKind | None = None  # life or infrastructure; absent: no emergency
    entity: Entity | None = None
    as_of: date | None = None
    assume_in_force: bool = False
    assume_ratified: str | None = None
    # The language of the texts (reasons, deadlines, requirements, citations); codes never change.
    lang: Literal["en", "fr", "de"] = "en"


@api.get("/routes", response={200: dict[str, Any], 400: ErrorBody}, tags=["routes"])
def routes(request: HttpRequest, query: Query[RouteQuery]) -> Any:
    """Exactly what ``cyberspex route --json`` returns (docs/route-json.md), as compact JSON. No
    personal data. With an ``ETag`` and ``Cache-Control: public``: send the ETag back in
    ``If-None-Match`` to get 304 while the answer has not changed (web/api/route_answers.py)."""
    try:
        return route_answers.answer(request, route_answers.RouteQuery(**query.model_dump()), timezone.now())
    except route_answers.QueryError as error:
        return Status(400, {"message": error.message, "field": error.field, "extra": {}})


# -- tokens -----------------------------------------------------------------------------


class TokenIn(Schema):
    name: str = Field(max_length=100)


@api.post(
    "/tokens", response={201: dict[str, str], 401: ErrorBody, 403: ErrorBody, 422: ErrorBody}, auth=django_auth, tags=["tokens"]
)
def tokens_create(request: HttpRequest, body: TokenIn) -> Any:
    """Create a token from a logged-in, MFA-verified browser session. Shown once. It expires
    after API_TOKEN_DAYS, and the log-out of this session revokes it."""
    user = request.user
    if not user.is_authenticated:
        raise ApplicationError("log in first", status=403)
    verified = bool(getattr(user, "is_verified", lambda: False)())
    made = token_create(user=user, name=body.name, verified=verified, now=timezone.now(), session_key=request.session.session_key)
    return Status(201, {"token": made})


class TokenOut(Schema):
    id: int
    name: str
    owner: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revoked_reason: str
    state: str  # active, expired or revoked


@api.get("/tokens", response={200: list[TokenOut], 401: ErrorBody}, auth=[token, VerifiedSession()], tags=["tokens"])
@paginate(Pagination)
def tokens_list(request: HttpRequest) -> Any:
    """Your tokens, newest first (never the secret); an administrator sees those of the whole organisation."""
    now = timezone.now()
    return [
        {
            "id": t.pk,
            "name": t.name,
            "owner": t.user.get_username(),
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "revoked_at": t.revoked_at,
            "revoked_reason": t.revoked_reason,
            "state": token_state(t, now),
        }
        for t in tokens_visible(user=_user(request))
    ]


@api.delete(
    "/tokens/{token_id}", response={204: None, 401: ErrorBody, 404: ErrorBody}, auth=[token, VerifiedSession()], tags=["tokens"]
)
def tokens_revoke(request: HttpRequest, token_id: int) -> Any:
    """Revoke a token: your own, or (administrators) one of your organisation. Recorded in the audit trail."""
    token_revoke(user=_user(request), token_id=token_id, now=timezone.now())
    return Status(204, None)


# -- cases ------------------------------------------------------------------------------


class CaseIn(Schema):
    reference: str
    title: str
    offences: list[dict[str, Any]] = Field(default_factory=list)
    summary_of_facts: str = ""
    identifiers: list[dict[str, Any]] = Field(default_factory=list)
    persons: list[dict[str, Any]] = Field(default_factory=list)
    classification: str = "restricted"
    retention_review_date: date


class CaseOut(Schema):
    id: int
    reference: str
    title: str
    classification: str
    retention_review_date: date


class CaseDetail(CaseOut):
    offences: list[dict[str, Any]]
    summary_of_facts: str
    identifiers: list[dict[str, Any]]
    persons: list[dict[str, Any]]


@api.get("/cases", response=list[CaseOut], auth=token, tags=["cases"])
@paginate(BoundedPagination)
def cases_list(request: HttpRequest) -> Any:
    """The cases of your organisation (no personal data in the list)."""
    own = organisation(request.user)
    if own is None or not can(request.user, Action.VIEW_CASE, own):
        return Case.objects.none()
    # Counted and read on the index of the organisation's cases, newest first (case_org_newest);
    # a stable order (the id breaks ties) so that pages neither repeat nor skip a case.
    return (
        Case.objects.filter(organisation=own, erased_at__isnull=True)
        .only("reference", "title", "classification", "retention_review_date")
        .order_by("-created_at", "-pk")
    )


@api.post("/cases", response={201: CaseOut, 403: ErrorBody, 409: ErrorBody, 422: ErrorBody}, auth=token, tags=["cases"])
def cases_create(request: HttpRequest, body: CaseIn) -> Any:
    return Status(201, services.case_create(user=_user(request), now=timezone.now(), **body.dict()))


@api.get("/cases/{case_id}", response={200: CaseDetail, 404: ErrorBody, 422: ErrorBody}, auth=token, tags=["cases"])
def cases_get(request: HttpRequest, case_id: int, justification: str = "") -> Any:
    """Consulting a case's personal data requires a justification, which is recorded."""
    justification = justification or request.headers.get("X-Justification", "")
    return Status(200, services.case_view(user=_user(request), case_id=case_id, justification=justification, now=timezone.now()))


class CasePatch(Schema):
    """Only the fields given change. A new ``retention_review_date`` needs ``retention_review_reason``."""

    title: str | None = None
    offences: list[dict[str, Any]] | None = None
    summary_of_facts: str | None = None
    identifiers: list[dict[str, Any]] | None = None
    persons: list[dict[str, Any]] | None = None
    classification: str | None = None
    retention_review_date: date | None = None
    retention_review_reason: str = ""


@api.patch(
    "/cases/{case_id}", response={200: CaseOut, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody}, auth=token, tags=["cases"]
)
def cases_update(request: HttpRequest, case_id: int, body: CasePatch) -> Any:
    """Change a case (audited: which fields changed, not their values), all in one transaction;
    the retention review date (CETS 224 Art 14(5)) only forward, with a reason."""
    return Status(200, case_patch(user=_user(request), case_id=case_id, body=body.dict(exclude_unset=True), now=timezone.now()))


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str

    @staticmethod
    def resolve_uploaded_by(obj: Attachment) -> str:
        return str(obj.uploaded_by.get_username())


@api.get("/cases/{case_id}/attachments", response={200: list[AttachmentOut], 404: ErrorBody}, auth=token, tags=["cases"])
def attachments_list(request: HttpRequest, case_id: int) -> Any:
    """The case's attachments (without their content), oldest first."""
    return Status(200, attachments.attachment_list(user=_user(request), case_id=case_id))


@api.post(
    "/cases/{case_id}/attachments",
    response={201: AttachmentOut, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 422: ErrorBody},
    auth=token,
    tags=["cases"],
)
def attachments_upload(request: HttpRequest, case_id: int, file: File[UploadedFile]) -> Any:
    """Attach a file (``multipart/form-data``, field ``file``): PDF, PNG, JPEG, plain text, DOCX or
    ODT by its content, at most ATTACHMENT_MAX_BYTES (413 over it, 422 for another type)."""
    attachments.check_size(int(file.size or 0))
    made = attachments.attachment_add(
        user=_user(request), case_id=case_id, name=str(file.name), content=file.read(), now=timezone.now()
    )
    return Status(201, made)


@api.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response={200: None, 404: ErrorBody},
    auth=token,
    tags=["cases"],
    openapi_extra={
        "responses": {200: {"description": "The file, as an attachment", "content": {"application/octet-stream": {}}}}
    },
)
def attachments_download(request: HttpRequest, case_id: int, attachment_id: int) -> Any:
    """The file itself (Content-Disposition: attachment); the download is audited."""
    found = attachments.attachment_download(user=_user(request), attachment_id=attachment_id, case_id=case_id, now=timezone.now())
    return attachment_response(found)


@api.delete(
    "/cases/{case_id}/attachments/{attachment_id}",
    response={204: None, 403: ErrorBody, 404: ErrorBody},
    auth=token,
    tags=["cases"],
)
def attachments_remove(request: HttpRequest, case_id: int, attachment_id: int) -> Any:
    """Remove an attachment; audited with its hash."""
    attachments.attachment_remove(user=_user(request), attachment_id=attachment_id, case_id=case_id, now=timezone.now())
    return Status(204, None)


class SearchOut(Schema):
    cases: list[CaseOut]
    requests: list[dict[str, Any]]
    cases_count: int = Field(
        description=f"the matching cases, counted up to {COUNT_AHEAD_PAGES} pages past this one: the total unless `cases_more`"
    )
    requests_count: int = Field(
        description="the matching requests, counted as the cases: the total when `requests_more` is false"
    )
    cases_more: bool = Field(description="more cases match than `cases_count` (the count stopped there)")
    requests_more: bool = Field(description="more requests match than `requests_count` (the count stopped there)")


@api.get("/search", response={200: SearchOut, 422: ErrorBody}, auth=token, tags=["cases"])
def search_all(request: HttpRequest, q: str, page: int = 1) -> Any:
    """Cases and requests of your organisation matching ``q`` (reference, title, offences,
    identifiers; form, state, recipient State), 20 of each per page; no personal values."""
    if not q.strip() or len(q) > MAX_QUERY:
        raise ApplicationError(f"give a search text of 1 to {MAX_QUERY} characters", field="q", status=422)
    found = search(user=_user(request), query=q, case_page=page, request_page=page, now=timezone.now())
    return Status(
        200,
        {
            "cases": list(found.cases.object_list),
            "requests": [_request_row_out(r) for r in found.request_rows],
            "cases_count": found.cases.paginator.count,
            "requests_count": found.requests.paginator.count,
            "cases_more": found.cases_more,
            "requests_more": found.requests_more,
        },
    )


def _request_row_out(row: RequestRow) -> dict[str, Any]:
    return {
        "id": row.request.pk,
        "case_id": row.request.case_id,
        "case_reference": row.request.case.reference,
        "form_id": row.request.form_id,
        "recipient_state": row.request.recipient_state,
        "state": row.request.state,
        "next_due_at": row.next_due_at.isoformat() if row.next_due_at else None,
        "days_left": row.days_left,
        "overdue": row.overdue,
    }


# -- requests ---------------------------------------------------------------------------


class RequestIn(Schema):
    form_id: str
    data: dict[str, Any]
    # What-if switches (planning and exercises): the Protocol in force, and States assumed to have ratified it.
    assume_in_force: bool = False
    assume_ratified: list[str] = Field(default_factory=list, max_length=60)
    # The directory's organisation the request is addressed to (GET /directory), or sent outside the platform.
    recipient_organisation: int | None = None
    sent_outside: bool = False


class RequestOut(Schema):
    id: int
    case_id: int
    form_id: str
    route_id: str
    recipient_state: str
    recipient_organisation_id: int | None = None
    sent_outside: bool = False
    state: str
    requires_approval: bool
    served_at: datetime | None = None  # Article 8 orders: service on the provider (CETS 224 Art 8(6)(a))
    route_advice: dict[str, Any]


class TransitionIn(Schema):
    state: str
    note: str = ""


@api.post(
    "/cases/{case_id}/requests",
    response={200: RequestOut, 201: RequestOut, 404: ErrorBody, 422: ErrorBody},
    auth=token,
    tags=["requests"],
)
def requests_create(request: HttpRequest, case_id: int, body: RequestIn) -> Any:
    """Draft a request. A retried call with the same ``Idempotency-Key`` returns the same request (200)."""
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > 100:
        raise ApplicationError("the Idempotency-Key header is longer than 100 characters", field="Idempotency-Key", status=422)
    made, created = services.request_draft(
        user=_user(request),
        case_id=case_id,
        form_id=body.form_id,
        data=body.data,
        now=timezone.now(),
        idempotency_key=key,
        what_if=selectors.what_if(assume_in_force=body.assume_in_force, assume_ratified=",".join(body.assume_ratified)),
        recipient_organisation=body.recipient_organisation,
        sent_outside=body.sent_outside,
    )
    return Status((201 if created else 200), made)


@api.get("/requests/{request_id}", response={200: dict[str, Any], 404: ErrorBody}, auth=token, tags=["requests"])
def requests_get(request: HttpRequest, request_id: int) -> Any:
    found = services.request_get(user=_user(request), request_id=request_id)
    now = timezone.now()
    return Status(
        200,
        {
            "id": found.pk,
            "case_id": found.case_id,
            "form_id": found.form_id,
            "route_id": found.route_id,
            "state": found.state,
            "requires_approval": found.requires_approval,
            "follow_up_due": services.follow_up_due(found, now),
            "served_at": found.served_at.isoformat() if found.served_at else None,
            "signatories": approval.request_signatories(found),  # issuing and validating persons (Art 4)
            "issues": services.form_issues(found, now),
            "deadlines": [_deadline_out(d, now) for d in found.deadlines.order_by("due_at", "pk")],
        },
    )


class RequestPatch(Schema):
    data: dict[str, Any] | None = None  # a JSON merge patch of the form data
    # The addressing: given either, both are set (an organisation of the directory, or sent outside, or neither).
    recipient_organisation: int | None = None
    sent_outside: bool = False


@api.patch(
    "/requests/{request_id}",
    response={200: RequestOut, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody},
    auth=token,
    tags=["requests"],
)
def requests_update(request: HttpRequest, request_id: int, body: RequestPatch) -> Any:
    """Edit a draft with a JSON merge patch of its form data (RFC 7396: ``null`` removes an
    element). Incomplete data is saved; a value of the wrong type is refused (422 naming its
    field); once submitted for approval the request is no longer editable (409). ``recipient_organisation``
    (a directory id) or ``sent_outside`` address it: the organisation must have the function the route needs
    and be in (or, a provider, have its EU establishment in) the recipient State (422 otherwise)."""
    given = body.model_fields_set
    addressing = bool(given & {"recipient_organisation", "sent_outside"})
    if body.data is None and not addressing:
        raise ApplicationError("give the form data to change, or the addressing", field="data", status=422)
    user, now = _user(request), timezone.now()
    with transaction.atomic():  # the data first: the addressing is checked against its recipient State
        found = services.request_get(user=user, request_id=request_id, action=Action.DRAFT_REQUEST)
        if body.data is not None:
            found = drafting.request_update(user=user, request_id=request_id, data=body.data, now=now, patch=True)
        if addressing:
            found = drafting.request_address(
                user=user,
                request_id=request_id,
                recipient_organisation=body.recipient_organisation,
                sent_outside=body.sent_outside,
                now=now,
            )
    return Status(200, found)


@api.post(
    "/requests/{request_id}/transitions",
    response={200: RequestOut, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody},
    auth=token,
    tags=["requests"],
)
def requests_transition(request: HttpRequest, request_id: int, body: TransitionIn) -> Any:
    return Status(
        200,
        services.request_transition(
            user=_user(request), request_id=request_id, target=body.state, note=body.note, now=timezone.now()
        ),
    )


@api.post(
    "/requests/{request_id}/validation",
    response={200: RequestOut, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody},
    auth=token,
    tags=["requests"],
)
def requests_validate_ex_post(request: HttpRequest, request_id: int) -> Any:
    """Validate an order issued in an emergency without prior validation (Reg 2023/1543 Art 4(5))."""
    return Status(200, services.request_validate_ex_post(user=_user(request), request_id=request_id, now=timezone.now()))


def _deadline_out(deadline: Deadline, now: datetime) -> dict[str, Any]:
    """One deadline as the API shows it; ``days_left`` is None once it is done or overdue."""
    row = selectors.DeadlineRow.at(deadline, now)
    return {
        "id": deadline.pk,
        "event": deadline.event,
        "due_at": deadline.due_at.isoformat(),
        "citation": deadline.citation,
        "rule": deadline.rule,
        "conditional": deadline.conditional,
        "overdue": row.overdue,
        "days_left": row.days_left,
        "done_at": deadline.done_at.isoformat() if deadline.done_at else None,
        "done_reason": deadline.done_reason,
    }


class DeadlineDoneIn(Schema):
    reason: str


@api.post(
    "/deadlines/{deadline_id}/done",
    response={200: dict[str, Any], 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody},
    auth=token,
    tags=["requests"],
)
def deadlines_done(request: HttpRequest, deadline_id: int, body: DeadlineDoneIn) -> Any:
    """Mark a deadline done with the reason (recorded in the audit trail); 409 if it is already done."""
    now = timezone.now()
    done = services.deadline_mark_done(user=_user(request), deadline_id=deadline_id, reason=body.reason, now=now)
    return Status(200, _deadline_out(done, now))


class ServiceIn(Schema):
    served_at: datetime | None = None  # ISO 8601 with a time zone; absent: now
    note: str = ""


@api.post(
    "/requests/{request_id}/service",
    response={200: RequestOut, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody},
    auth=token,
    tags=["requests"],
)
def requests_service(request: HttpRequest, request_id: int, body: ServiceIn) -> Any:
    """Record service of an Article 8 order on the provider (CETS 224 Art 8(6)(a)): the provider's
    20 days (subscriber information) or 45 days (traffic data) to return the data run from it."""
    return Status(
        200,
        services.request_record_service(
            user=_user(request), request_id=request_id, now=timezone.now(), served_at=body.served_at, note=body.note
        ),
    )


@api.post(
    "/requests/{request_id}/follow-up",
    response={200: RequestOut, 201: RequestOut, 404: ErrorBody, 409: ErrorBody},
    auth=token,
    tags=["requests"],
)
def requests_follow_up(request: HttpRequest, request_id: int) -> Any:
    """Draft the Article 8 order that follows a refused, lapsed or unanswered Article 7 order (CETS 224 Art 7(7))."""
    made, created = services.request_follow_up(
        user=_user(request),
        request_id=request_id,
        now=timezone.now(),
        idempotency_key=request.headers.get("Idempotency-Key", "")[:100],
    )
    return Status(201 if created else 200, made)


@api.get(
    "/requests/{request_id}/packages/{package}",
    response={200: dict[str, Any], 404: ErrorBody, 409: ErrorBody},
    auth=token,
    tags=["requests"],
)
def requests_package(request: HttpRequest, request_id: int, package: str) -> Any:
    return Status(200, services.request_package(user=_user(request), request_id=request_id, package=package, now=timezone.now()))


class DeadlineOut(Schema):
    id: int
    request_id: int
    event: str
    due_at: Any
    citation: str
    rule: str
    conditional: bool  # the route advice said: applies only if a fact it does not know holds
    days_left: int | None  # whole days until due (0: less than a day); None once overdue

    @staticmethod
    def resolve_days_left(obj: Deadline) -> int | None:
        return selectors.DeadlineRow.at(obj, timezone.now()).days_left


@api.get("/deadlines", response=list[DeadlineOut], auth=token, tags=["deadlines"])
@paginate(BoundedPagination)
def deadlines_list(request: HttpRequest) -> Any:
    """Open deadlines of your organisation, soonest first."""
    own = organisation(request.user)
    if own is None or not can(request.user, Action.VIEW_CASE, own):
        return Deadline.objects.none()
    # In the order of the partial index of the organisation's open deadlines (deadline_org_open_due),
    # read from it alone: an open deadline never belongs to an erased case (services._open_deadline).
    return (
        Deadline.objects.filter(organisation=own, done_at__isnull=True)
        .only("request_id", "event", "due_at", "citation", "rule", "conditional", "done_at")
        .order_by("due_at", "pk")
    )


class AuditOut(Schema):
    seq: int
    at: Any
    actor: str
    organisation: str
    event: str
    object_type: str
    object_id: str
    justification: str
    details: dict[str, Any]
    hash: str

    @staticmethod
    def resolve_justification(obj: AuditEntry) -> str:
        return str(obj.justification_text)  # the text kept apart, or "[erased]" (ADR 0013)

    @staticmethod
    def resolve_details(obj: AuditEntry) -> dict[str, Any]:
        return readable_details(obj)


@api.get("/audit", response={200: list[AuditOut], 403: ErrorBody, 422: ErrorBody}, auth=token, tags=["audit"])
@paginate(BoundedPagination)
def audit_list(  # noqa: PLR0917  # ninja reads the query parameters from the signature
    request: HttpRequest, justification: str = "", actor: str = "", event: str = "", object_type: str = "", object_id: str = ""
) -> Any:
    """Search the audit trail of your organisation (auditors). The search is recorded with its justification."""
    return audit_search(
        user=_user(request),
        now=timezone.now(),
        justification=justification or request.headers.get("X-Justification", ""),
        actor=actor,
        event=event,
        object_type=object_type,
        object_id=object_id,
    )


__all__ = ["Request", "api"]
