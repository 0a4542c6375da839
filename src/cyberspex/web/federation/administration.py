"""The instance administrator's "Federation" page: this instance's identity and keys, the peers it
trusts (add one from its identity document, remove one), and the outbox's stuck messages and
failed file transfers with a "Retry now" button. Thin views over the services the commands use
(``peers add``/``remove``, ``outbox retry``, ``outbox retry-file``: federation/trust.py,
federation/outbox.py, federation/files.py), audited there with the administrator as the actor."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cyberspex.web.accounts.access import Action, can
from cyberspex.web.errors import ApplicationError
from cyberspex.web.federation import files, outbox, selectors, trust

MAX_DOCUMENT_BYTES = 1024 * 1024  # an identity document is a few kilobytes


class PeerForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("Identity document of the instance to trust"),
        help_text=gettext_lazy("The file its operator made with `cyberspex instance identity -o FILE`."),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the keys trusted for this peer"),
        help_text=gettext_lazy(
            "Only after checking the new keys with the peer's operator by another channel: a document "
            "signed by none of the keys already trusted is otherwise refused, since anyone could have made it."
        ),
        required=False,
    )
    requeue = forms.BooleanField(
        label=gettext_lazy("Send again the messages cancelled when this peer was removed"),
        help_text=gettext_lazy("Otherwise they stay cancelled; each can still be sent with “Retry now”."),
        required=False,
    )

    def text(self) -> str:
        """The document's text; a form error if it is too large or not UTF-8."""
        upload = self.cleaned_data["document"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ApplicationError(_("The file is too large for an identity document."), field="document", status=422)
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError:
            raise ApplicationError(_("The file is not UTF-8 text."), field="document", status=422) from None


def _administrator(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can(user, Action.MANAGE_FEDERATION):
        raise PermissionDenied
    return user


def _page(request: HttpRequest, form: PeerForm, *, status: int = 200) -> HttpResponse:
    now = timezone.now()
    context = {
        "instance_id": settings.CYBERSPEX_INSTANCE_ID,
        "base_url": settings.CYBERSPEX_BASE_URL,
        "keys": selectors.instance_keys(),
        "peers": selectors.peers(),
        "backlog": selectors.backlog(now),
        "stuck": selectors.stuck(now),
        "failed_files": selectors.failed_transfers(),
        "stuck_attempts": selectors.STUCK_ATTEMPTS,
        "stuck_minutes": int(selectors.STUCK_AGE.total_seconds() // 60),
        "cancelled": selectors.cancelled(),
        "form": form,
    }
    return render(request, "federation/administration.html", context, status=status)


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    return _page(request, PeerForm())


@require_POST
def peer_add(request: HttpRequest) -> HttpResponse:
    """`peers add FILE [--replace]`, from an uploaded file; a refusal is shown next to the file."""
    actor = _administrator(request)
    form = PeerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=422)
    try:
        text = form.text()
        added = trust.add(
            text,
            now=timezone.now(),
            replace=form.cleaned_data["replace"],
            requeue=form.cleaned_data["requeue"],
            actor=actor.get_username(),
        )
    except ApplicationError as error:
        form.add_error("document" if error.field in (None, "", "document") else error.field, error.message)
        return _page(request, form, status=error.status)
    done = _("%(peer)s is trusted.") if added.created else _("The identity document of %(peer)s is updated.")
    messages.success(request, done % {"peer": added.peer.instance_id})
    if added.requeued:
        messages.success(
            request, _("%(count)d cancelled message(s) will be sent on the worker's next pass.") % {"count": added.requeued}
        )
    return redirect("federation_admin:overview")


@require_POST
def peer_remove(request: HttpRequest, instance_id: str) -> HttpResponse:
    """`peers remove ID`: its messages are refused from now on, none is sent to it, and those not
    yet delivered are cancelled."""
    actor = _administrator(request)
    if request.POST.get("confirm") != "on":
        messages.error(request, _("Tick the box to confirm that %(peer)s is no longer trusted.") % {"peer": instance_id})
        return redirect("federation_admin:overview")
    try:
        removed = trust.remove(instance_id, now=timezone.now(), actor=actor.get_username())
    except ApplicationError as error:
        return _error_page(request, error)
    done = _("%(peer)s is no longer trusted; %(count)d message(s) not delivered to it are cancelled.")
    messages.success(request, done % {"peer": instance_id, "count": removed.cancelled})
    return redirect("federation_admin:overview")


@require_POST
def message_retry(request: HttpRequest, message_id: str) -> HttpResponse:
    """`outbox retry ID`: the message is sent on the worker's next pass."""
    actor = _administrator(request)
    try:
        outbox.retry(message_id, now=timezone.now(), actor=actor.get_username())
    except ApplicationError as error:
        return _error_page(request, error)
    messages.success(request, _("The message %(id)s will be sent on the worker's next pass.") % {"id": message_id})
    return redirect("federation_admin:overview")


@require_POST
def file_retry(request: HttpRequest, transfer_id: str) -> HttpResponse:
    """`outbox retry-file ID`: the file is sent on the worker's next pass, from the first chunk the peer lacks."""
    actor = _administrator(request)
    try:
        transfer = files.retry(transfer_id, now=timezone.now(), actor=actor.get_username())
    except ApplicationError as error:
        return _error_page(request, error)
    messages.success(request, _("The file %(name)s will be sent on the worker's next pass.") % {"name": transfer.name})
    return redirect("federation_admin:overview")


def _error_page(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    message = _("This page does not exist, or you may not see it.") if error.status == 404 else error.message
    return render(request, "cases/error.html", {"message": message, "status": error.status}, status=error.status)
