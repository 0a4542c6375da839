"""A limit on how often one client address may ask the public route advisor.

The advisor is public and computes an answer for each question, so an anonymous client may
ask at most ``PUBLIC_ADVISOR_PER_MINUTE`` questions a minute (counted per client address in
fixed one-minute windows, in Django's cache; the address as ``accounts/throttle.py`` reads it,
so a trusted proxy's forwarded address counts, never the client's claim). Members who are
logged in are not counted. With the default in-process cache each server process counts
separately: the limit is per process (docs/configuration.md).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from cyberspex.web.accounts.throttle import client_address

WINDOW_SECONDS = 60


def allow_question(request: HttpRequest) -> bool:
    """Count one question from the request's client; False once its address is over the limit."""
    if request.user.is_authenticated:
        return True
    window = int(time.time()) // WINDOW_SECONDS
    key = f"cyberspex.public-advisor.{client_address(request)}.{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS * 2):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this is the window's first question
            cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
    return count <= settings.PUBLIC_ADVISOR_PER_MINUTE
