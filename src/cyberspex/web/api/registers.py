"""Public, open data: ``GET /api/v1/registers`` and ``GET /api/v1/registers/{id}`` (JSON, or CSV
with ``?format=csv``), and ``GET /api/v1/states/{code}``, as on the pages ``/registers/`` and
``/states/``. No authentication, no personal data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from cyberspex.web.api.errors import ErrorBody, body
from cyberspex.web.knowledge import registers, states

router = Router()
FORMATS = ("json", "csv")


@router.get("/registers", response={200: dict[str, Any]}, tags=["registers"])
def registers_list(request: HttpRequest) -> Any:  # noqa: ARG001  # ninja passes the request
    """Every register of designated authorities: id, treaty, provision, title, legal basis,
    whether it is informal, its number of rows and how many are verified."""
    today = timezone.localdate()
    return Status(
        200, {"registers": [registers.summary_json(registers.register_table(r.id, today)) for r in registers.REGISTERS]}
    )


@router.get("/registers/{register_id}", response={200: dict[str, Any], 400: ErrorBody, 404: ErrorBody}, tags=["registers"])
def register_get(request: HttpRequest, register_id: str, format: str = "json", state: str = "", q: str = "") -> Any:  # noqa: ARG001  # ninja passes the request
    """One register: its summary and its rows, each with ``source``, ``source_url``, ``as_of`` and
    ``verified``. ``format=csv`` answers CSV with the same columns. ``state`` (ISO code) and ``q``
    (text) filter the rows."""
    if format not in FORMATS:
        return Status(400, body(f"format must be one of {', '.join(FORMATS)}, not {format[:20]!r}", "format"))
    if register_id not in registers.BY_ID:
        return Status(
            404, body(f"no register {register_id[:60]!r}", "register_id", {"registers": [r.id for r in registers.REGISTERS]})
        )
    state_code, query, problem = states.parse_state_query(state, q)
    if problem:
        return Status(400, body(problem.message, problem.field))
    table = registers.register_table(register_id, timezone.localdate())
    rows = registers.filter_rows(table, state=state_code, query=query)
    if format == "csv":
        response = HttpResponse(registers.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{register_id}.csv"'
        return response
    return Status(200, registers.summary_json(table) | {"rows": [registers.row_json(row) for row in rows]})


@router.get("/states/{code}", response={200: dict[str, Any], 400: ErrorBody, 404: ErrorBody}, tags=["states"])
def state_get(request: HttpRequest, code: str) -> Any:  # noqa: ARG001  # ninja passes the request
    """One State's profile: per treaty (ETS 185, CETS 224, and Regulation (EU) 2023/1543 through EU
    membership) its relation, signature, consent and entry into force; positions; designated
    authorities; and the routes open today from and to it for the default data categories."""
    problem = states.code_problem(code)
    if problem is not None:
        return Status(problem.status, body(problem.message, "code"))
    return Status(200, states.profile_json(states.profile(code.upper(), timezone.localdate())))
