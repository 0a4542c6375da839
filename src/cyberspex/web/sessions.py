"""Django's session middleware, with one change: a request whose session cookie names no
session (expired, or rotated away) leaves the cookie alone instead of deleting it.

Why: the key is rotated at log-in and again after the second factor. A request still carrying
the old key (a style sheet, a script or the favicon of the page before, all served through the
middleware) can be answered after the rotation; Django would then answer it with a cookie
deletion, and if that answer reaches the browser after the new cookie, the person is logged out
at once. A log-out still deletes the cookie: it empties the session and marks it modified.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        stale = (
            session is not None
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and session.is_empty()
            and not session.modified  # a log-out flushes the session and marks it modified
        )
        if stale and session is not None:
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
