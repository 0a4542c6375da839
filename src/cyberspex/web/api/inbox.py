"""The receiving side's API: the directory, and the inbox of the caller's organisation. What a
recipient may see is decided in cyberspex/web/exchange/selectors.py, as for the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.api.auth import TokenAuth
from cyberspex.web.api.errors import ErrorBody, Pagination
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import directory, selectors, services
from cyberspex.web.exchange.models import Delivery

router = Router(auth=TokenAuth())


def caller(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise ApplicationError("authentication required", status=401)
    return user


# -- directory ------------------------------------------------------------------------------


class DirectoryEntry(Schema):
    id: int
    name: str
    kind: str
    state: str
    functions: list[str]
    signing_keys: list[dict[str, Any]]  # public JWKs (RFC 7517), the current one first; retired ones still verify
    policy: dict[str, Any] | None  # providers and registrars: their policy profile


@router.get("/directory", response=list[DirectoryEntry], tags=["directory"])
@paginate(Pagination)
def directory_list(request: HttpRequest, function: str = "", state: str = "", q: str = "") -> Any:  # noqa: ARG001
    """Organisations on this instance, filtered by function and State: their public signing keys and, for
    providers and registrars, their policy profile."""
    return directory.entries(function=function, state=state, query=q)


# -- inbox ----------------------------------------------------------------------------------


class InboxRow(Schema):
    id: int
    request_id: int
    form_id: str
    role: str
    package: str
    status: str
    sender: str
    exercise: bool
    delivered_at: datetime
    opened_at: datetime | None
    answered_at: datetime | None

    @staticmethod
    def resolve_form_id(obj: Delivery) -> str:
        return obj.request.form_id

    @staticmethod
    def resolve_sender(obj: Delivery) -> str:
        return obj.signed_by.name


@router.get("/inbox", response=list[InboxRow], tags=["inbox"])
@paginate(Pagination)
def inbox_list(request: HttpRequest, status: str = "") -> Any:
    """What was delivered to your organisation, newest first."""
    return selectors.inbox(user=caller(request), status=status)


@router.get("/inbox/{delivery_id}", response={200: dict[str, Any], 404: ErrorBody}, tags=["inbox"])
def inbox_get(request: HttpRequest, delivery_id: int) -> Any:
    """One item: the package you may see, its signature check, receipts, messages, your decisions
    and the request's clocks. The first call records it as opened."""
    user, now = caller(request), timezone.now()
    services.delivery_open(user=user, delivery_id=delivery_id, now=now)
    return Status(200, item_body(selectors.inbox_item(user=user, delivery_id=delivery_id, now=now)))


def item_body(item: selectors.InboxItem) -> dict[str, Any]:
    delivery = item.delivery
    return {
        "id": delivery.pk,
        "request_id": delivery.request_id,
        "form_id": delivery.request.form_id,
        "role": delivery.role,
        "package": delivery.package,
        "status": delivery.status,
        "exercise": delivery.exercise,
        "sender": _organisation(delivery.signed_by),
        "content": delivery.content,
        "document": {"sha256": delivery.document_sha256, "language": delivery.document_language},
        "signature": {
            "jws": delivery.signature,
            "key_id": delivery.key_id,
            "verified": item.verification.verified,
            "reason": item.verification.reason,
        },
        "blocked": item.blocked,
        "blocked_reason": delivery.blocked_reason if item.blocked else "",
        "receipts": [
            {"kind": r.kind, "at": r.at.isoformat(), "organisation": r.organisation.name, "nonce": r.nonce} for r in item.receipts
        ],
        "messages": [
            {"channel": m.channel, "from": m.organisation.name, "at": m.at.isoformat(), "body": m.body} for m in item.messages
        ],
        "decisions": [
            {"kind": d.kind, "grounds": d.grounds, "reasons": d.reasons, "at": d.at.isoformat()} for d in item.decisions
        ],
        "deadlines": [
            {
                "event": d.event,
                "due_at": d.due_at.isoformat(),
                "citation": d.citation,
                "done_at": d.done_at.isoformat() if d.done_at else None,
            }
            for d in item.deadlines
        ],
    }


def _organisation(found: Organisation) -> dict[str, Any]:
    return {"id": found.pk, "name": found.name, "state": found.country}


@router.get(
    "/inbox/{delivery_id}/document",
    response={200: None, 404: ErrorBody},
    tags=["inbox"],
    openapi_extra={"responses": {200: {"description": "The signed PDF as delivered", "content": {"application/pdf": {}}}}},
)
def inbox_document(request: HttpRequest, delivery_id: int) -> Any:
    """The signed document as delivered; ``X-Content-SHA256`` is its SHA-256, which the signature covers."""
    found, content = services.delivery_document(user=caller(request), delivery_id=delivery_id, now=timezone.now())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cyberspex-inbox-{found.pk}.pdf"'
    response["X-Content-SHA256"] = found.document_sha256
    response["Cache-Control"] = "no-store"
    return response
