"""The HTTP response of a produced file, for the pages and the API alike: always a download,
never shown inline, with its SHA-256; a file received from a peer is streamed record after record
(never held whole), a file uploaded here sent from memory as it was checked."""

from __future__ import annotations

import base64

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from cyberspex.web.exchange.answers import Download


def produced_file_response(found: Download) -> HttpResponseBase:
    produced = found.file
    response: HttpResponseBase
    if found.stream is not None:
        response = StreamingHttpResponse(found.stream, content_type=produced.content_type)
        response["Content-Length"] = str(produced.size)
    else:
        response = HttpResponse(found.content, content_type=produced.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=produced.name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    response["X-Content-SHA256"] = produced.sha256
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(produced.sha256)).decode('ascii')}:"
    return response
