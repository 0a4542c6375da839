"""Nothing typed is lost when a session ends: the fields of a form sent after the session
ended (idle timeout or absolute lifetime) or from a stale tab (CSRF failure) are kept, and the
same page shows them again once its user has logged in again, with the second factor.

- Kept only for the form pages in ``KEEP_PAGES`` (each page's form is sent to the page's own
  address, so coming back there shows the form), only for the member whose session it was
  (read from the ended session's record), at most ``MAX_BYTES`` of text, for
  ``KEPT_WORK_MINUTES``; passwords, codes and the CSRF token are never kept, and nothing is
  written to a log or the audit trail.
- Kept in the server-side session (the new, anonymous one, which the log-in keeps: Django
  rotates its key and keeps its data), never in the browser; the worker deletes ended
  sessions, and with them work no one came back for (``clear_ended_sessions``).
- Shown again, never sent: the page binds its form to the kept fields and says "Your session
  had ended; your work was kept — check and submit again" (``restore``).
"""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cyberspex.web.accounts import renewal

KEPT_KEY = "cyberspex.kept_work"
# Form pages whose form is sent to their own address. A new form page adds its URL name here and
# calls ``restore`` when it is opened (GET).
KEEP_PAGES = frozenset({"cases:case_new", "cases:case_edit", "cases:request_new", "cases:request_edit"})
MAX_BYTES = 256 * 1024
NEVER_KEPT = frozenset({"csrfmiddlewaretoken", "password", "code", "token"})


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


def keepable(request: HttpRequest) -> bool:
    return request.method == "POST" and _view_name(request.path_info) in KEEP_PAGES


def _fields(request: HttpRequest) -> dict[str, list[str]] | None:
    """The posted text fields worth keeping, or None when they are too many to keep."""
    fields = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in NEVER_KEPT and "password" not in name and "secret" not in name
    }
    size = sum(len(name) + sum(len(v) for v in values) for name, values in fields.items())
    return fields if size <= MAX_BYTES else None


def keep(request: HttpRequest, *, user_id: int | str) -> bool:
    """Keep the posted fields of a form page for ``user_id``; False when it cannot be kept."""
    fields = _fields(request) if keepable(request) else None
    if fields is None:
        return False
    request.session[KEPT_KEY] = {"path": request.get_full_path(), "user": str(user_id), "at": time.time(), "fields": fields}
    return True


def ended_session_user(request: HttpRequest) -> str | None:
    """The member whose session the request's cookie names, even if the session has expired;
    None when there is no such session or the session engine keeps no records."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not key or not hasattr(store, "get_model_class"):
        return None
    record = store.get_model_class().objects.filter(session_key=key).first()
    if record is None:
        return None
    user = store().decode(record.session_data).get("_auth_user_id")
    return str(user) if user else None


def clear_ended_sessions() -> None:
    """Delete the records of ended sessions, and with them any work kept in them that no one
    came back for (the worker does this on every pass)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store.clear_expired()


def waiting(request: HttpRequest) -> bool:
    """Whether work is kept in this session, waiting for its member to log in again."""
    session = getattr(request, "session", None)
    return session is not None and KEPT_KEY in session


def _take(request: HttpRequest) -> dict[str, list[str]] | None:
    kept: dict[str, Any] | None = request.session.get(KEPT_KEY)
    if not kept:
        return None
    if kept["user"] != str(request.user.pk):  # someone else logged in: the work is not theirs
        del request.session[KEPT_KEY]
        return None
    if kept["path"] != request.get_full_path():
        return None
    del request.session[KEPT_KEY]
    if time.time() - float(kept["at"]) > settings.KEPT_WORK_MINUTES * 60:
        return None
    fields: dict[str, list[str]] = kept["fields"]
    return fields


def restore(request: HttpRequest) -> QueryDict | None:
    """The fields kept for this page and this member (once), to bind the page's form to; and the
    message that says so. None when nothing is kept for it."""
    if request.method != "GET" or not request.user.is_authenticated:
        return None
    fields = _take(request)
    if fields is None:
        return None
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    messages.warning(request, _("Your session had ended; your work was kept — check and submit again."))
    return data


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The "Stay signed in" button: renews the session's idle timeout now, even within the
    renewal interval of accounts/renewal.py; answers with nothing."""
    if request.user.is_authenticated:
        renewal.renew(request.session)
    return HttpResponse(status=204)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:  # noqa: ARG001  # Django's signature
    """A form sent from a stale tab (its security token is no longer valid, e.g. after logging out
    and in again elsewhere): a page in the layout; the work is kept for the form pages, and the
    text typed is shown so that it can be copied otherwise."""
    user = getattr(request, "user", None)
    verified = user is not None and user.is_authenticated and getattr(user, "is_verified", lambda: False)()
    kept = bool(verified and user is not None and keep(request, user_id=user.pk))
    typed = [(name, value) for name, values in (_fields(request) or {}).items() for value in values]
    texts = [] if kept else [(name, value) for name, value in typed if " " in value.strip() or len(value) > 40]
    context = {"kept": kept, "back": request.get_full_path() if kept else "", "texts": texts[:20]}
    return render(request, "accounts/stale_form.html", context, status=403)
