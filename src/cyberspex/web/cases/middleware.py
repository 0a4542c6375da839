"""An attachment's upload larger than ATTACHMENT_MAX_BYTES is refused (413, a page in the
layout) before its body is read: Django would otherwise parse the whole multipart body, file
included, before the view (the CSRF check reads the form). The API has its own check
(api/middleware.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

UPLOAD_PATH = re.compile(r"^/cases/\d+/attachments/$")
UPLOAD_MARGIN = 64 * 1024  # room for the multipart envelope around the file


def too_large(request: HttpRequest) -> bool:
    length = str(request.META.get("CONTENT_LENGTH") or "0")
    return length.isdigit() and int(length) > settings.ATTACHMENT_MAX_BYTES + UPLOAD_MARGIN


def attachment_upload_limit(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and UPLOAD_PATH.match(request.path) and too_large(request):
            limit = max(1, settings.ATTACHMENT_MAX_BYTES // (1024 * 1024))
            message = _("The file is larger than the limit of %(mb)s MB: nothing was stored.") % {"mb": limit}
            return render(request, "cases/error.html", {"message": message, "status": 413}, status=413)
        return get_response(request)

    return middleware
