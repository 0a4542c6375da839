"""A limit on how often one client address may ask the public route advisor.

The advisor is public and computes an answer for each question, so an anonymous client may
ask at most ``PUBLIC_ADVISOR_PER_MINUTE`` questions a minute (counted per client address in
fixed one-minute windows, in Django's cache: web/ratelimit.py; the address as ``accounts/throttle.py`` reads it,
so a trusted proxy's forwarded address counts, never the client's claim). Members who are
logged in are not counted. With the default in-process cache each server process counts
separately: the limit is per process (docs/configuration.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from cyberspex.web import ratelimit
from cyberspex.web.accounts.throttle import client_address


def allow_question(request: HttpRequest) -> bool:
    """Count one question from the request's client; False once its address is over the limit."""
    if request.user.is_authenticated:
        return True
    return ratelimit.hit("public-advisor", client_address(request)) <= settings.PUBLIC_ADVISOR_PER_MINUTE
