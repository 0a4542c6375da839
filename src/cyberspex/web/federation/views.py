"""``POST /federation/v1/messages``: a peer delivers a message. No session, no CSRF token, no
second factor: the envelope's signature by a trusted peer is the only credential (federation/inbox.py)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cyberspex.web.accounts.throttle import client_address
from cyberspex.web.federation import inbox
from cyberspex.web.federation.throttle import throttled
from cyberspex.web.federation.transport import CONTENT_TYPE


@csrf_exempt
@never_cache
@require_POST
@throttled
def messages(request: HttpRequest) -> HttpResponse:
    """200 with the signed receipt; a refusal with ``{"error": code, "detail": reason}``; 429 while the
    client's address is throttled (docs/federation.md)."""
    limit = settings.FEDERATION_MAX_MESSAGE_BYTES
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    declared = int(length) if length.isdigit() else 0
    body = b"" if declared > limit else request.read(limit + 1)  # an oversize body is not read
    try:
        stored = inbox.receive(body, now=timezone.now(), declared_length=declared, address=client_address(request))
    except inbox.Refused as refusal:
        return JsonResponse({"error": refusal.code, "detail": refusal.detail}, status=refusal.status)
    return HttpResponse(stored.receipt, content_type=CONTENT_TYPE)
