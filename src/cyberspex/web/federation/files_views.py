"""``/federation/v1/files/<message>/<sha256>[/<index>]``: a peer sends the chunks of a file
(``PUT``) and asks which it holds (``GET``). No session, no CSRF token, no second factor: the
signed header of a trusted peer is the only credential (federation/files_inbox.py)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cyberspex.web.accounts.throttle import client_address
from cyberspex.web.federation import files_inbox
from cyberspex.web.federation.inbox import Refused
from cyberspex.web.federation.throttle import throttled


def _refused(refusal: Refused) -> JsonResponse:
    return JsonResponse({"error": refusal.code, "detail": refusal.detail}, status=refusal.status)


def _signature(request: HttpRequest) -> str:
    return str(request.headers.get("X-CyberSPEX-Signature", ""))[:4096]


@csrf_exempt
@never_cache
@require_GET
@throttled
def file_status(request: HttpRequest, message: uuid.UUID, sha256: str) -> HttpResponse:
    """200 with what this instance holds of the file (docs/federation.md "Files"), or a refusal."""
    try:
        held = files_inbox.status(
            message_id=str(message),
            sha256=sha256,
            signature=_signature(request),
            now=timezone.now(),
            address=client_address(request),
        )
    except Refused as refusal:
        return _refused(refusal)
    return JsonResponse(held)


@csrf_exempt
@never_cache
@require_http_methods(["PUT"])
@throttled
def file_chunk(request: HttpRequest, message: uuid.UUID, sha256: str, index: int) -> HttpResponse:
    """200 with the file's progress once the chunk is kept, or a refusal (nothing kept)."""
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    try:
        progress = files_inbox.put(
            message_id=str(message),
            sha256=sha256,
            index=index,
            signature=_signature(request),
            body=request,
            length=int(length) if length.isdigit() else 0,
            now=timezone.now(),
            address=client_address(request),
        )
    except Refused as refusal:
        return _refused(refusal)
    return JsonResponse(progress)
