"""How much one client address may send to the endpoints other instances call
(``/federation/v1/messages`` and ``/federation/v1/files/…``), and how their refusals are audited
(docs/federation.md, "Throttling"). Counted per client address (as ``accounts/throttle.py``
reads it) in one-minute windows, in Django's cache (web/ratelimit.py):

- an address whose requests were refused ``FEDERATION_REFUSALS_PER_MINUTE`` times in the current
  window before a trusted peer's signature was verified (junk: malformed, too large, from no
  trusted peer, not signed by it) is answered 429, with ``Retry-After``, until the window ends,
  before its body is read;
- any address is answered so above ``FEDERATION_REQUESTS_PER_MINUTE`` requests in a window: a
  generous rate, which a trusted peer whose messages are accepted is never throttled below;
- of those refusals of an address, only the first of each window is audited, with how many of its
  refusals (429 answers included) were counted without a record since its previous one: however
  much junk is sent, the audit trail grows by at most one such record per address per minute.
  The refusals of what a trusted peer signed never throttle it, and are audited one by one, with
  the peer, up to ``FEDERATION_REFUSALS_PER_MINUTE`` a minute (then counted like the others).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from cyberspex.web import ratelimit
from cyberspex.web.accounts.throttle import client_address

REQUESTS, REFUSED, AUDITED, UNAUDITED = "federation-requests", "federation-refused", "federation-audited", "federation-unaudited"
SIGNED = "federation-signed-refused"


def wait(address: str) -> int | None:
    """Count a request from ``address``: None if it may be handled, otherwise the seconds to wait."""
    refused = ratelimit.count(REFUSED, address) >= settings.FEDERATION_REFUSALS_PER_MINUTE
    if refused or ratelimit.hit(REQUESTS, address) > settings.FEDERATION_REQUESTS_PER_MINUTE:
        ratelimit.carry(UNAUDITED, address)
        return ratelimit.seconds_left()
    return None


def refusal_to_audit(address: str, *, signed: bool = False) -> int | None:
    """Count one refusal of a request from ``address``. If it is the first of its window, return how
    many refusals of that address were counted without an audit record before it (it is to be
    audited, with that number); otherwise None (it is counted only). A refusal of what a trusted
    peer signed (``signed``: its clock is off, the message is unprocessable…) is no junk: it never
    counts towards the limit, and is audited one by one, up to FEDERATION_REFUSALS_PER_MINUTE a
    minute (a captured envelope sent again and again is then counted only)."""
    if signed:
        if ratelimit.hit(SIGNED, address) <= settings.FEDERATION_REFUSALS_PER_MINUTE:
            return ratelimit.take(UNAUDITED, address)
        ratelimit.carry(UNAUDITED, address)
        return None
    ratelimit.hit(REFUSED, address)
    if not ratelimit.first(AUDITED, address):
        ratelimit.carry(UNAUDITED, address)
        return None
    return ratelimit.take(UNAUDITED, address)


def throttled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 429 with ``Retry-After`` instead of ``view`` while the client's address is throttled."""

    @wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        seconds = wait(client_address(request))
        if seconds is None:
            return view(request, *args, **kwargs)
        detail = f"too many requests, or too many refused, from this address: wait {seconds} s"
        response = JsonResponse({"error": "throttled", "detail": detail}, status=429)
        response["Retry-After"] = str(seconds)
        return response

    return checked
