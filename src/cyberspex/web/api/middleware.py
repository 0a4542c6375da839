"""Under ``/api/``: bodies only in JSON (415 otherwise; an attachment's upload in
``multipart/form-data``), no larger than the upload limit (413; ATTACHMENT_MAX_BYTES for an attachment),
no NUL in a query parameter or a header the API reads (400), and every error answered with the
API's JSON error body, including those Django answers itself (an unknown address, a method not
allowed, a crash)."""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from cyberspex.web.api.errors import body, unstorable

API_PREFIX = "/api/"
JSON_TYPES = ("application/json",)
UPLOAD_PATH = re.compile(r"^/api/v1/cases/\d+/attachments$")
ANSWER_PATH = re.compile(r"^/api/v1/inbox/\d+/answers$")  # an answer with its produced files (exchange/answers.py)
UPLOAD_TYPES = ("multipart/form-data",)
IMPORT_PATH = re.compile(r"^/api/v1/curation/imports$")  # rows of curated changes (api/curation.py)
IMPORT_TYPES = ("multipart/form-data", "text/csv", "application/yaml", "text/yaml", "application/json")  # JSON is YAML
UPLOAD_MARGIN = 64 * 1024  # the multipart envelope around the file
READ_HEADERS = ("Idempotency-Key", "X-Justification")  # the headers the API reads besides Authorization


def _error(status: int, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse(body(message, field), status=status)


def produced_limit() -> int:
    """The largest body of an answer: every file it may carry at the largest size, and the envelope."""
    per_file = int(settings.PRODUCED_FILE_MAX_MB) * 1024 * 1024 + UPLOAD_MARGIN
    return per_file * int(settings.PRODUCED_FILES_PER_ANSWER)


def _has_body(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or ""
    return (length.isdigit() and int(length) > 0) or "HTTP_TRANSFER_ENCODING" in request.META


def _body_refusal(request: HttpRequest) -> JsonResponse | None:
    """A refusal for a body the API does not take: too large, or of the wrong type."""
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    upload = request.method == "POST" and bool(UPLOAD_PATH.match(request.path))
    answering = request.method == "POST" and bool(ANSWER_PATH.match(request.path))
    limit = settings.ATTACHMENT_MAX_BYTES + UPLOAD_MARGIN if upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if answering:
        limit = produced_limit()
        upload = True
    if limit is not None and length.isdigit() and int(length) > limit:
        field = ("files" if answering else "file") if upload else None
        return _error(413, f"the request body is larger than {limit} bytes", field)
    if request.method == "POST" and IMPORT_PATH.match(request.path):
        if request.content_type not in IMPORT_TYPES:
            return _error(
                415, "send the rows as text/csv, application/yaml or application/json, or as a multipart/form-data file", "file"
            )
    elif upload and request.content_type not in UPLOAD_TYPES:
        field = "files" if answering else "file"
        return _error(415, f"send the file as multipart/form-data, in the field {field}", field)
    elif not upload and request.content_type not in JSON_TYPES:
        return _error(415, "send the request body as application/json")
    return None


def _refusal(request: HttpRequest) -> JsonResponse | None:
    if _has_body(request) and (refused := _body_refusal(request)):
        return refused
    for name, values in request.GET.lists():
        for text in (name, *values):
            if problem := unstorable(text):
                return _error(400, f"the query parameter contains {problem}, which cannot be stored", name)
    for header in READ_HEADERS:
        if problem := unstorable(request.headers.get(header, "")):
            return _error(400, f"the header contains {problem}", header)
    return None


def _as_json(response: HttpResponse) -> HttpResponse:
    """A Django error page (HTML) under /api/ turned into the error body, same status."""
    content_type = response.get("Content-Type", "")
    if response.status_code < 400 or content_type.startswith("application/json"):
        return response
    if response.status_code == 404:
        message = "not found"
    elif response.status_code >= 500:
        message = "internal error: the request was not completed; it has been logged without its content"
    else:
        message = HTTPStatus(response.status_code).phrase.lower()
    converted = _error(response.status_code, message)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            converted[header] = response[header]
    return converted


def api_errors(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return get_response(request)
        refused = _refusal(request)
        if refused is not None:
            return refused
        return _as_json(get_response(request))

    return middleware
