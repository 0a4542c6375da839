"""Public, read-only API of the knowledge portal's monitoring pages (no authentication, like
``GET /api/v1/routes``): ``GET /api/v1/providers`` (the provider and registrar policy
inventory), ``GET /api/v1/implementation`` (the implementation tracker) and
``GET /api/v1/indicators`` (the project indicators for a period). Bad query parameters: 400
with ``{"message", "field", "extra"}``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from cyberspex.web.api.errors import ErrorBody
from cyberspex.web.knowledge import implementation, indicators_report, providers

router = Router()


class PeriodQuery(Schema):
    start: str = Field("", alias="from", max_length=40)
    end: str = Field("", alias="to", max_length=40)


@router.get("/providers", response={200: dict[str, Any], 400: ErrorBody}, tags=["knowledge"], url_name="providers_list")
def providers_list(request: HttpRequest, q: str = "", state: str = "", feature: str = "") -> Any:  # noqa: ARG001  # ninja passes the request
    """The provider and registrar policy inventory, as on ``/providers/``: per provider, the
    policies recorded in the reference data (each with ``source``, ``source_url``, ``as_of``,
    ``verified``, ``secondary``; ``null``: not recorded) and the policy profiles kept by providers
    on this platform (``kept``, with ``updated_at``). Filters: ``q`` (part of the name), ``state``
    (ISO code of the provider or its EU establishment), ``feature`` (a policy that must be recorded)."""
    search = providers.parse_search({"q": q, "state": state, "feature": feature})
    return Status(200, {"features": list(providers.FEATURES), "providers": providers.inventory(search)})


@router.get("/implementation", response={200: dict[str, Any], 400: ErrorBody}, tags=["knowledge"], url_name="implementation_get")
def implementation_get(request: HttpRequest, state: str = "") -> Any:  # noqa: ARG001  # ninja passes the request
    """The implementation tracker, as on ``/implementation/``: the provisions (citation, due date,
    source) and, per EU Member State (or the one ``state``), each provision's ``stage``
    (``unknown``, ``none``, ``draft``, ``adopted``, ``in_force``), date, documents and source."""
    return Status(200, implementation.tracker(implementation.parse_state({"state": state})))


@router.get("/indicators", response={200: dict[str, Any], 400: ErrorBody}, tags=["knowledge"], url_name="indicators_get")
def indicators_get(request: HttpRequest, query: Query[PeriodQuery]) -> Any:  # noqa: ARG001  # ninja passes the request
    """The project indicators for the period ``from``–``to`` (YYYY-MM-DD, both included; by default
    the current year to date), as on ``/indicators/``: the registered sections with their figures
    and tables."""
    period = indicators_report.parse_period({"from": query.start, "to": query.end}, timezone.localdate())
    return Status(200, indicators_report.as_json(period))
