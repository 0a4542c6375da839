"""Pages (not the API, which answers in JSON): a body larger than the upload limit is answered
with a page in the layout (413) that says nothing was saved and how to keep the text, instead
of Django's bare "Bad Request"."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cyberspex.web.api.middleware import API_PREFIX, produced_limit

# The answer form of an inbox item carries produced files: its own, larger limit (exchange/answers.py).
ANSWER_PAGE = re.compile(r"^/inbox/\d+/answer$")
# Other instances' messages: refused in JSON, and audited, by their own endpoint (web/federation).
FEDERATION_PREFIX = "/federation/"


def _too_big(request: HttpRequest) -> bool:
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    limit = produced_limit() if ANSWER_PAGE.match(request.path) else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is not None and length.isdigit() and int(length) > limit


def too_large_page(request: HttpRequest) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    context = {"limit_mb": round(limit / (1024 * 1024), 1)}
    return render(request, "oversize.html", context, status=413)


class OversizePage:
    """Answers an oversize page request before anything reads its body (the CSRF check would)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith((API_PREFIX, FEDERATION_PREFIX)) and _too_big(request):
            return too_large_page(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig) and not request.path.startswith(API_PREFIX):
            return too_large_page(request)
        return None
