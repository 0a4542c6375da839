"""``GET /api/v1/statistics``: the caller's organisation's statistics, as on the page
``/statistics/`` (cyberspex/web/exchange/statistics.py): counts, and durations in seconds."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from cyberspex.web.accounts.access import organisation
from cyberspex.web.api.auth import TokenAuth
from cyberspex.web.api.errors import ErrorBody
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import statistics as stats

router = Router(auth=TokenAuth())


@router.get("/statistics", response={200: dict[str, Any], 403: ErrorBody, 422: ErrorBody}, tags=["statistics"])
def statistics_get(request: HttpRequest, start: str = "", end: str = "", state: str = "", provider: str = "") -> Any:
    """Your organisation's statistics: requests sent (issued by it) and received (delivered to it),
    per route and per State, outcomes by reason, decisions by kind, time to first response and to
    completion (count, average, median ``p50`` and ``p90``, in seconds) and deadlines met, missed
    and open. Filters: ``start`` and ``end`` (dates YYYY-MM-DD, both included), ``state`` (sent:
    the recipient State; received: the sender's State), ``provider`` (the directory id of the
    organisation the requests were addressed to). Definitions: cyberspex/web/exchange/statistics.py."""
    user = request.user
    own = organisation(user) if isinstance(user, User) else None
    if own is None:
        raise ApplicationError("you are not a member of an organisation", status=403)
    filters = stats.parse_filters({"start": start, "end": end, "state": state, "provider": provider})
    return Status(200, stats.as_json(stats.statistics(own=own, filters=filters, now=timezone.now())))
