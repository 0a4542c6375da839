"""The receiving side's answers in the API: a provider's or registrar's answer with its produced
files, the clarification thread, receipts sent by integrations, and the issuing side's view of
the answers with the files' hashes. Thin over exchange/answers.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status, UploadedFile

from cyberspex.web.api.auth import TokenAuth
from cyberspex.web.api.errors import ErrorBody
from cyberspex.web.api.inbox import caller
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import answers
from cyberspex.web.exchange.downloads import produced_file_response
from cyberspex.web.exchange.models import Answer, Message, ProducedFile, Receipt

router = Router(auth=TokenAuth())
REFUSALS: dict[int, type[ErrorBody]] = {403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 422: ErrorBody}


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str  # of the plain content, taken at upload; every download is checked against it
    uploaded_at: datetime
    # A file of an answer given on a peer: arriving until all its chunks are in (its download is
    # then refused with 409), then the peer it came from and when it was complete.
    arriving: bool
    received_from: str | None
    received_at: datetime | None

    @staticmethod
    def resolve_received_from(obj: ProducedFile) -> str | None:
        return obj.received.message.peer.instance_id if obj.received else None

    @staticmethod
    def resolve_received_at(obj: ProducedFile) -> datetime | None:
        return obj.received.completed_at if obj.received else None


class AnswerOut(Schema):
    id: int
    delivery_id: int
    organisation: str
    outcome: str
    reason_code: str
    reason_label: str
    reason: str
    at: datetime
    files: list[FileOut]

    @staticmethod
    def resolve_organisation(obj: Answer) -> str:
        return obj.delivery.organisation.name

    @staticmethod
    def resolve_reason_label(obj: Answer) -> str:
        found = answers.REASONS.get(obj.reason_code)
        return str(found.label) if found else ""

    @staticmethod
    def resolve_files(obj: Answer) -> list[ProducedFile]:
        return list(obj.files.order_by("pk"))


class MessageIn(Schema):
    body: str


class MessageOut(Schema):
    id: int
    channel: str
    organisation: str
    body: str
    at: datetime

    @staticmethod
    def resolve_organisation(obj: Message) -> str:
        return obj.organisation.name


class ReceiptIn(Schema):
    kind: str
    nonce: str


class ReceiptOut(Schema):
    kind: str
    at: datetime
    nonce: str

    @staticmethod
    def resolve_kind(obj: Receipt) -> str:
        return str(obj.kind)


def _uploads(files: list[UploadedFile] | None) -> list[answers.Upload]:
    limit = answers.file_limit_bytes()
    found = []
    for upload in files or []:
        if int(upload.size or 0) > limit:  # before reading it into memory
            raise ApplicationError(
                f"{upload.name}: the file is larger than the limit of {limit // (1024 * 1024)} MB",
                field="files",
                status=413,
                extra={"max_bytes": limit},
            )
        found.append(answers.Upload(str(upload.name), upload.read()))
    return found


@router.post("/inbox/{delivery_id}/answers", response={201: AnswerOut, **REFUSALS}, tags=["inbox"])
def answer_post(  # noqa: PLR0917  # ninja reads the form fields from the signature
    request: HttpRequest,
    delivery_id: int,
    outcome: Form[str],
    reason_code: Form[str] = "",
    reason: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # ninja: an optional file list
) -> Any:
    """Answer an item (``multipart/form-data``): ``outcome`` (data, partial, no_data, refused; for a
    preservation order — EPOC-PR, Budapest Art 29 — preserved, no_data, refused),
    ``reason_code`` (needed unless the outcome is data; see the list in the answer page or
    ``identifier_not_found``, ``data_not_retained``, ``over_broad``, ``wrong_entity``,
    ``legal_reason``, ``other``, the last two with ``reason``), ``reason`` and ``files`` (each at most
    PRODUCED_FILE_MAX_MB, at most PRODUCED_FILES_PER_ANSWER; PDF, PNG, JPEG, plain text, DOCX or ODT
    by content, no archives). 409 when blocked, withdrawn or already answered."""
    user, now = caller(request), timezone.now()
    try:
        uploads = _uploads(files)
    except ApplicationError as error:
        answers._record_refusal(user, now, delivery_id, "answer", error)  # refused before the service
        raise
    made = answers.answer_create(
        user=user, delivery_id=delivery_id, outcome=outcome, reason_code=reason_code, reason=reason, files=uploads, now=now
    )
    return Status(201, made)


@router.get("/inbox/{delivery_id}/answer", response={200: AnswerOut | None, 404: ErrorBody}, tags=["inbox"])
def answer_read(request: HttpRequest, delivery_id: int) -> Any:
    """The answer to an item (null while there is none)."""
    return Status(200, answers.answer_get(user=caller(request), delivery_id=delivery_id))


def file_response(found: answers.Download) -> HttpResponseBase:
    """The produced file as a download, never inline; a file whose hash no longer matches is refused."""
    if not found.verified:
        raise ApplicationError(
            f"not verified: {found.reason}; the file is not served", status=409, extra={"sha256": found.file.sha256}
        )
    return produced_file_response(found)


DOWNLOAD = {"responses": {200: {"description": "The produced file", "content": {"application/octet-stream": {}}}}}


@router.get(
    "/inbox/{delivery_id}/files/{file_id}",
    response={200: None, 404: ErrorBody, 409: ErrorBody},
    tags=["inbox"],
    openapi_extra=DOWNLOAD,
)
def answer_file(request: HttpRequest, delivery_id: int, file_id: int) -> Any:
    """A produced file, checked against its SHA-256 (``X-Content-SHA256``); 409 "not verified" if it changed."""
    return file_response(
        answers.file_download(user=caller(request), delivery_id=delivery_id, file_id=file_id, now=timezone.now())
    )


@router.post("/inbox/{delivery_id}/messages", response={201: MessageOut, **REFUSALS}, tags=["inbox"])
def message_post(request: HttpRequest, delivery_id: int, payload: MessageIn) -> Any:
    """A message in the item's clarification thread (by its recipient, or by the issuing authority)."""
    made = answers.message_send(user=caller(request), delivery_id=delivery_id, body=payload.body, now=timezone.now())
    return Status(201, made)


@router.post("/inbox/{delivery_id}/receipts", response={201: ReceiptOut, **REFUSALS}, tags=["inbox"])
def receipt_post(request: HttpRequest, delivery_id: int, payload: ReceiptIn) -> Any:
    """An integration's "opened" receipt with its own ``nonce``; a nonce already used is a replay (409)."""
    made = answers.receipt_record(
        user=caller(request), delivery_id=delivery_id, kind=payload.kind, nonce=payload.nonce, now=timezone.now()
    )
    return Status(201, made)


@router.get("/requests/{request_id}/answers", response={200: list[AnswerOut], 404: ErrorBody}, tags=["requests"])
def request_answers(request: HttpRequest, request_id: int) -> Any:
    """The issuing side: the answers its recipients gave on the platform, with the files' SHA-256."""
    return Status(200, answers.answers_of_request(user=caller(request), request_id=request_id))


@router.get(
    "/requests/{request_id}/answers/{delivery_id}/files/{file_id}",
    response={200: None, 404: ErrorBody, 409: ErrorBody},
    tags=["requests"],
    openapi_extra=DOWNLOAD,
)
def request_answer_file(request: HttpRequest, request_id: int, delivery_id: int, file_id: int) -> Any:
    """The issuing side's download of a produced file, checked against its SHA-256."""
    user, now = caller(request), timezone.now()
    from cyberspex.web.cases.services import request_get  # noqa: PLC0415

    found = request_get(user=user, request_id=request_id)
    if not found.deliveries.filter(pk=delivery_id).exists():
        raise ApplicationError("file not found", status=404)
    return file_response(answers.file_download(user=user, delivery_id=delivery_id, file_id=file_id, now=now))
