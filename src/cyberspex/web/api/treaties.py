"""``GET /api/v1/treaties``: public, no authentication. Per State and treaty (ETS 185, CETS 224)
on a date: status, signature, consent and its kind, entry into force (recorded or computed),
reservations and declarations, each value with source, as_of and verified; and the CETS 224
timeline of consents with the computed entry into force (Art 16(3)-(4)). ``?format=csv`` gives
the rows as CSV. The same selectors as the page ``/treaties/`` (knowledge/treaties.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from cyberspex.law.model import Treaty
from cyberspex.law.treaty_status import TREATIES, Standing
from cyberspex.web.api.errors import ErrorBody
from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge import treaties

router = Router()


@router.get("/treaties", response={200: dict[str, Any], 400: ErrorBody}, tags=["knowledge"])
def treaties_get(request: HttpRequest, treaty: str = "", as_of: str = "", status: str = "", format: str = "json") -> Any:  # noqa: ARG001
    """Treaty status on ``as_of`` (YYYY-MM-DD, default today) for ``treaty`` (``ets185`` or
    ``cets224``; default both), optionally only the States whose ``status`` is one of
    ``in-force``, ``consented``, ``signed``, ``not-party``, ``unknown``. ``format``: ``json``
    (default) or ``csv``. Computed values say ``computed: true`` and name their rule; a value
    not checked against its official source says ``verified: false``."""
    if treaty and treaty not in TREATIES:
        raise ApplicationError(f"treaty must be one of: {', '.join(TREATIES)}", status=400, field="treaty")
    when = treaties.parse_date(as_of) if as_of else timezone.now().date()
    try:
        standing = Standing(status) if status else None
    except ValueError:
        raise ApplicationError(
            f"status must be one of: {', '.join(s.value for s in Standing)}", status=400, field="status"
        ) from None
    if format not in ("json", "csv"):
        raise ApplicationError("format must be json or csv", status=400, field="format")
    chosen: Treaty | None = TREATIES[treaty] if treaty else None
    if format == "csv":
        response = HttpResponse(treaties.api_csv(when, chosen, standing), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="treaties-{when.isoformat()}.csv"'
        return response
    return Status(200, treaties.api_document(when, chosen, standing))
