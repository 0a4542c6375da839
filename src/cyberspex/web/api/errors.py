"""The API's one error body, ``{"message", "field", "extra"}``, for every refusal; the JSON
parser that refuses what the database cannot store; bounded pagination; the OpenAPI document
listing the error answers.

``field`` names what is at fault as a dotted path into the request body (``offences.0.title``),
a query parameter (``limit``) or a header (``Idempotency-Key``); ``None`` when nothing in
particular is.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser

from cyberspex.web.errors import ApplicationError
from cyberspex.web.paging import COUNT_AHEAD_PAGES

MAX_DEPTH = 32  # JSON nesting: the deepest form is far shallower
MAX_LIMIT = 100  # items per page
MAX_OFFSET = 2**62  # far beyond any table, well inside a 64-bit integer
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # PostgreSQL stores neither NUL nor a lone surrogate


class ErrorBody(Schema):
    message: str
    field: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


def body(message: str, field: str | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"message": message, "field": field, "extra": extra or {}}


# -- parsing ----------------------------------------------------------------------------


class BodyError(ValueError):
    """The request body is not JSON the platform can take; ``field`` is where."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class _Constant:
    """``NaN``, ``Infinity`` or ``-Infinity`` as parsed, to be reported with its place."""

    def __init__(self, name: str) -> None:
        self.name = name


def _path(parts: list[str | int]) -> str | None:
    return ".".join(str(p) for p in parts) or None


def unstorable(text: str) -> str | None:
    """What in ``text`` no database can store (NUL, a lone surrogate), or None."""
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    return "a NUL character" if found.group() == "\x00" else "a lone surrogate (half of a UTF-16 pair)"


def check_json(value: Any) -> None:
    """Raise BodyError at the first value the platform cannot take: nesting deeper than
    MAX_DEPTH, NaN or an infinity, a NUL or a lone surrogate in a string or a key."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        item, parts = stack.pop()
        if len(parts) > MAX_DEPTH:
            raise BodyError(f"the JSON is nested more than {MAX_DEPTH} levels deep", _path(parts[:MAX_DEPTH]))
        if isinstance(item, _Constant):
            raise BodyError(f"{item.name} is not a number JSON allows: give a finite number", _path(parts))
        if isinstance(item, float) and not math.isfinite(item):
            raise BodyError("a number this large is not allowed: give a finite number", _path(parts))
        if isinstance(item, str) and (problem := unstorable(item)):
            raise BodyError(f"the text contains {problem}, which cannot be stored", _path(parts))
        if isinstance(item, dict):
            for key, child in reversed(item.items()):
                if problem := unstorable(key):
                    raise BodyError(f"a name contains {problem}, which cannot be stored", _path(parts))
                stack.append((child, [*parts, key]))
        elif isinstance(item, list):
            stack.extend((child, [*parts, index]) for index, child in reversed(list(enumerate(item))))


class JsonParser(Parser):
    """Strict JSON: what :func:`check_json` refuses is a 400 naming the field."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            parsed = json.loads(request.body, parse_constant=_Constant)
        except RecursionError:
            raise BodyError(f"the JSON is nested more than {MAX_DEPTH} levels deep") from None
        except UnicodeDecodeError:
            raise BodyError("the request body is not UTF-8") from None
        except ValueError as error:
            position = f" (line {error.lineno}, column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
            raise BodyError(f"the request body is not valid JSON{position}") from None
        check_json(parsed)
        return parsed


# -- pagination -------------------------------------------------------------------------


class Pagination(LimitOffsetPagination):
    """``limit`` (1 to 100, default 100) and ``offset`` (0 or more) with bounds the database can hold."""

    class Input(Schema):
        limit: int = Field(MAX_LIMIT, ge=1, le=MAX_LIMIT, description=f"items per page, at most {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class BoundedPagination(Pagination):
    """``limit`` and ``offset`` as Pagination, over a list that grows with the organisation (cases,
    deadlines, the audit trail): ``count`` counts the items only up to ``offset + limit`` and
    COUNT_AHEAD_PAGES more pages (web/paging.py), so that a page costs what it shows, not the
    whole list; ``more`` says there are items past that count (``count`` is then a lower bound)."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(
            description=f"the items, counted up to offset + {COUNT_AHEAD_PAGES + 1} × limit: the total when `more` is false"
        )
        more: bool = Field(description="there are more items than `count` (the count stopped there)")

    def paginate_queryset(self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any) -> Any:  # noqa: ARG002  # ninja calls it so
        offset, limit = pagination.offset, min(pagination.limit, MAX_LIMIT)
        bound = offset + limit * (1 + COUNT_AHEAD_PAGES)
        found = queryset[: bound + 1].count()
        return {"items": queryset[offset : offset + limit], "count": min(found, bound), "more": found > bound}


# -- the API with its error answers -----------------------------------------------------

ERROR_STATUSES = {
    400: "Bad request: the body, a parameter or a header cannot be read",
    401: "Authentication required",
    403: "Your role may not do this",
    404: "Not found, or not yours to see",
    409: "Conflicts with the current state",
    413: "The request body is too large",
    415: "The request body is not application/json",
    422: "A value is not valid",
}


def _wanted(status: int, method: str, operation: dict[str, Any]) -> bool:
    if status in (401, 403):
        return bool(operation.get("security"))
    if status == 409:
        return method in ("post", "put", "patch", "delete")
    if status in (413, 415):
        return "requestBody" in operation
    return True


class Api(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists, for every operation, the errors it can answer."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("ErrorBody", ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}"))
        reference = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    if _wanted(status, method, operation):
                        responses.setdefault(status, {"description": description, **reference})
        return schema


def install(api: NinjaAPI) -> None:
    """Translate every refusal into the error body (the ``ApplicationError`` of the services,
    ninja's own errors, and what the database refuses)."""

    def respond(request: HttpRequest, status: int, message: str, field: str | None = None, **extra: Any) -> HttpResponse:
        return api.create_response(request, body(message, field, extra), status=status)

    @api.exception_handler(ApplicationError)
    def _application(request: HttpRequest, error: ApplicationError) -> HttpResponse:
        return respond(request, error.status, error.message, error.field, **error.extra)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, error: ValidationError) -> HttpResponse:
        first = error.errors[0] if error.errors else {}
        location = list(first.get("loc", []))
        # ("body", <parameter>, *path): the field is the path into the body, as the services name it.
        parts = location[2:] if location[:1] == ["body"] else location[1:]
        field = ".".join(str(p) for p in parts) or None
        return respond(request, 422, str(first.get("msg", "invalid input")), field, errors=error.errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, _: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "authentication required: send 'Authorization: Bearer <token>'")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, error: HttpError) -> HttpResponse:
        cause = error.__cause__
        if isinstance(cause, BodyError):
            return respond(request, 400, cause.message, cause.field)
        if isinstance(cause, RequestDataTooBig):
            return respond(request, 413, "the request body is too large")
        return respond(request, error.status_code, str(error))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, _: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, "the request body is too large")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, _: Http404) -> HttpResponse:
        return respond(request, 404, "not found")

    @api.exception_handler(DataError)
    def _unstorable(request: HttpRequest, _: DataError) -> HttpResponse:
        # The database's message quotes the value: neither answered nor logged.
        return respond(request, 422, "a value is out of range or cannot be stored")

    @api.exception_handler(OverflowError)
    def _overflow(request: HttpRequest, _: OverflowError) -> HttpResponse:
        return respond(request, 422, "a number is too large")
