"""``GET /api/v1/what-if``: the ratification what-if, public (no personal data; public law)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from cyberspex.web.api.errors import MAX_LIMIT, ErrorBody
from cyberspex.web.knowledge import whatif
from cyberspex.web.knowledge.reference import data_version

router = Router(tags=["what-if"])


@router.get("/what-if", response={200: dict[str, Any], 400: ErrorBody})
def what_if(  # noqa: PLR0917  # ninja reads the query parameters from the signature
    request: HttpRequest,
    ratified: str = "",
    in_force: str = "",
    as_of: str = "",
    data: str = "",
    measure: str = "",
    emergency: str = "",
    limit: str = "",
    offset: str = "",
) -> Any:
    """Which routes would open (or close) for every ordered pair of States if the States in
    ``ratified`` (codes separated by commas, ``all-signatories`` or ``all-eu``) were Parties to
    CETS 224 on ``as_of`` (default today), and with ``in_force=true`` the Protocol in force;
    for the data categories in ``data`` (default all), ``measure`` (production) and ``emergency``
    (none). Counts per route, the matrix of changed pairs and ``limit`` changed rows from
    ``offset``, each with a link to the advisor explaining it. Computed once per data version
    and query. Every invalid parameter is a 400 naming it (``extra.errors`` lists them all)."""
    del request  # ninja passes it; every parameter is in the signature
    params = {
        name: [value]
        for name, value in (
            ("ratified", ratified),
            ("in_force", in_force),
            ("as_of", as_of),
            ("data", data),
            ("measure", measure),
            ("emergency", emergency),
        )
        if value
    }
    query = whatif.parse_query(params, today=timezone.now().date())
    window_offset, window_limit = whatif.parse_window(offset, limit, default_limit=MAX_LIMIT, max_limit=MAX_LIMIT)
    version = data_version()
    result = whatif.comparison_for(query)
    return Status(200, whatif.summary(query, result, offset=window_offset, limit=window_limit, version=version))
