"""``/healthz``: whether this instance can serve, including its database, and its outbox to
other instances: how many messages are undelivered and for how long the oldest has waited."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from cyberspex.web.federation.selectors import backlog

logger = logging.getLogger(__name__)


@never_cache
def healthz(_: HttpRequest) -> JsonResponse:
    """200 when the database answers (one cheap query on an indexed table: the outbox backlog);
    503 otherwise (the error goes to the log, not to the caller, who needs no detail of the database)."""
    try:
        outbox = backlog(timezone.now())
    except DatabaseError as error:
        logger.error("health check: the database does not answer (%s)", type(error).__name__)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "outbox": outbox})
