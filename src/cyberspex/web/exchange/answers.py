"""A provider's or registrar's answer to what was delivered to it, the files it produces, the
clarification thread between the recipient and the issuing authority, and receipts sent by
integrations (with replay protection).

Each write is one transaction with its audit record. A refusal (a blocked or withdrawn item, a
second answer, a file that is too large, disguised or an archive, a replayed receipt) changes
nothing and stores nothing, and is itself recorded in the audit trail in a transaction of its own.

Produced files: the type is read from the content (``cases/attachments.py``'s sniffer, the same
types as case attachments), the name's extension must match it, archives are refused; each file
is hashed (SHA-256) at upload, sealed (AES-256-GCM, ``exchange/sealing.py``, its purpose bound to
its storage name) and stored through Django's storage API (``storages["exchange"]``) under a name
that owes nothing to what was uploaded. A download unseals it and hashes it again: a file whose
hash differs from the one taken at upload is "not verified".
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.cases import attachments
from cyberspex.web.cases.models import State
from cyberspex.web.cases.services import request_settle
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.exchange import remote, sealing
from cyberspex.web.exchange.delivery import receipt
from cyberspex.web.exchange.models import (
    Answer,
    Channel,
    Delivery,
    DeliveryRole,
    DeliveryStatus,
    Message,
    Outcome,
    ProducedFile,
    Receipt,
    ReceiptKind,
)
from cyberspex.web.exchange.selectors import PROVIDER_ROLES, answer_shown_to_issuer, delivery_get
from cyberspex.web.federation import files_inbox
from cyberspex.web.federation.files_models import ReceivedFile

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a type only: django-stubs is a development dependency


@dataclass(frozen=True)
class Reason:
    label: StrOrPromise
    note: StrOrPromise
    needs_text: bool = False


# Why a provider or registrar produced less than all the data, or nothing (issue 10, item 3). The
# codes are stable (the API takes them); the labels are what people read.
REASONS: dict[str, Reason] = {
    "identifier_not_found": Reason(
        _("Identifier not found"), _("No account, subscriber or domain name matches the identifier in the order.")
    ),
    "data_not_retained": Reason(
        _("Data no longer retained"), _("The data existed but is no longer kept (say for how long such data is kept).")
    ),
    "over_broad": Reason(_("Over-broad"), _("The order asks for more than can be identified or produced; say what could be.")),
    "wrong_entity": Reason(_("Wrong entity"), _("The service or the data is provided by another entity (name it if you can).")),
    "legal_reason": Reason(_("Legal reason"), _("A legal ground prevents producing the data: state it."), needs_text=True),
    "other": Reason(_("Other"), _("Any other reason: state it."), needs_text=True),
}
# Outcomes that must say why; "data" needs no reason.
NEEDS_REASON = frozenset({Outcome.PARTIAL, Outcome.NO_DATA, Outcome.REFUSED})
# What the issuing request becomes when its addressee answers (cases/lifecycle.py allows these
# from "issued" and "acknowledged").
REQUEST_STATE = {
    # Preserved: the request stays open (acknowledged), its preservation period running until the
    # production that must follow (Regulation (EU) 2023/1543 Art 11(1); ETS 185 Art 29(7)).
    Outcome.PRESERVED: State.ACKNOWLEDGED,
    Outcome.DATA: State.ANSWERED,
    Outcome.PARTIAL: State.PARTIALLY_ANSWERED,
    Outcome.NO_DATA: State.ANSWERED,
    Outcome.REFUSED: State.REFUSED,
}
ARCHIVE_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"Rar!\x1a\x07", "RAR"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"\x1f\x8b", "gzip"),
    (0, b"BZh", "bzip2"),
    (0, b"\xfd7zXZ\x00", "xz"),
    (257, b"ustar", "tar"),
)
ARCHIVE_EXTENSIONS = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")
NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MESSAGE_MAX = 5000
REASON_MAX = 5000
FILE_PURPOSE = "produced_file"


@dataclass(frozen=True)
class Upload:
    """A file as received (the API's or the page's upload, read into memory)."""

    name: str
    content: bytes


# -- refusals -------------------------------------------------------------------------------


def _record_refusal(user: User, now: datetime, delivery_id: int, operation: str, error: ApplicationError) -> None:
    found = membership(user)
    with transaction.atomic():
        append(
            at=now,
            actor=user.get_username(),
            organisation=found.organisation.name if found else "",
            event=Event.CREATE,
            object_type="delivery",
            object_id=str(delivery_id),
            details={"operation": operation, "refused": error.message, "status": error.status},
        )


@contextmanager
def _audited_refusal(user: User, now: datetime, delivery_id: int, operation: str) -> Iterator[None]:
    """Run a write; if it is refused, record the refusal (the write itself was rolled back)."""
    try:
        yield
    except ApplicationError as error:
        _record_refusal(user, now, delivery_id, operation, error)
        raise


def _audit(user: User, now: datetime, event: Event, delivery: Delivery, **details: object) -> None:
    found = membership(user)
    append(
        at=now,
        actor=user.get_username(),
        organisation=found.organisation.name if found else "",
        event=event,
        object_type="delivery",
        object_id=str(delivery.pk),
        details={"request": delivery.request_id, **details},
    )


# -- the answer -----------------------------------------------------------------------------


# Routes whose orders ask the provider to preserve data, not to produce it: answered "preserved".
PRESERVATION_ROUTES = frozenset({"eu-epoc-pr", "bc-29"})
PRODUCTION_OUTCOMES = (Outcome.DATA, Outcome.PARTIAL, Outcome.NO_DATA, Outcome.REFUSED)
PRESERVATION_OUTCOMES = (Outcome.PRESERVED, Outcome.NO_DATA, Outcome.REFUSED)


def outcomes_for(delivery: Delivery) -> tuple[Outcome, ...]:
    """The outcomes that answer what was delivered: preserved for a preservation order, produced otherwise."""
    return PRESERVATION_OUTCOMES if delivery.request.route_id in PRESERVATION_ROUTES else PRODUCTION_OUTCOMES


def _check_reason(outcome: str, reason_code: str, reason: str, allowed: tuple[Outcome, ...] = PRODUCTION_OUTCOMES) -> None:
    if outcome not in allowed:
        raise ApplicationError(
            f"outcome {outcome!r} does not answer this order; one of: {', '.join(allowed)}", field="outcome", status=422
        )
    if len(reason) > REASON_MAX:
        raise ApplicationError(f"the reason is longer than {REASON_MAX} characters", field="reason", status=422)
    if outcome not in NEEDS_REASON:
        if reason_code and reason_code not in REASONS:
            raise ApplicationError(f"unknown reason code {reason_code!r}", field="reason_code", status=422)
        return
    if not reason_code:
        raise ApplicationError(
            f"an answer '{outcome}' needs a reason code; one of: {', '.join(REASONS)}", field="reason_code", status=422
        )
    found = REASONS.get(reason_code)
    if found is None:
        raise ApplicationError(
            f"unknown reason code {reason_code!r}; one of: {', '.join(REASONS)}", field="reason_code", status=422
        )
    if found.needs_text and not reason.strip():
        with translation.override("en"):  # service messages are English (and audited as such)
            label = str(found.label)
        raise ApplicationError(f"the reason '{label}' needs an explanation", field="reason", status=422)


def _check_answerable(delivery: Delivery) -> None:
    if delivery.role not in PROVIDER_ROLES:
        raise ApplicationError("only a provider or registrar that received the order answers it", status=409)
    if delivery.status == DeliveryStatus.BLOCKED:
        raise ApplicationError(
            f"answering is blocked: the notified authority instructed you not to disclose. {delivery.blocked_reason}".strip(),
            status=409,
            extra={"blocked_reason": delivery.blocked_reason},
        )
    if delivery.status == DeliveryStatus.ANSWERED or Answer.objects.filter(delivery=delivery).exists():
        raise ApplicationError("this item is already answered: an answer is given once", status=409)
    if delivery.status == DeliveryStatus.WITHDRAWN or delivery.request.state in (State.WITHDRAWN, State.CLOSED):
        raise ApplicationError(f"the request was {delivery.request.state}: it can no longer be answered", status=409)


def archive_kind(name: str, content: bytes) -> str | None:
    """The kind of archive ``content`` is (or its name says it is), None for anything else. A DOCX
    or an ODT is a zip container but not an archive."""
    for offset, signature, label in ARCHIVE_SIGNATURES:
        if content[offset : offset + len(signature)] == signature:
            return label
    if content.startswith(b"PK\x03\x04") and attachments.sniff(content) is None:
        return "zip"
    lowered = name.lower()
    return next((ext.lstrip(".") for ext in ARCHIVE_EXTENSIONS if lowered.endswith(ext)), None)


def file_limit_bytes() -> int:
    return int(settings.PRODUCED_FILE_MAX_MB) * 1024 * 1024


@dataclass(frozen=True)
class Checked:
    name: str
    kind: attachments.Kind
    content: bytes
    sha256: str


def check_file(upload: Upload) -> Checked:
    """The file if it may be produced: 413 over the size limit; 422 when empty, an archive, of a
    type not allowed, or named with an extension its content contradicts."""
    limit = file_limit_bytes()
    clean = attachments.safe_name(upload.name)
    if len(upload.content) > limit:
        raise ApplicationError(
            f"{clean}: the file is larger than the limit of {settings.PRODUCED_FILE_MAX_MB} MB",
            field="files",
            status=413,
            extra={"max_bytes": limit},
        )
    if not upload.content:
        raise ApplicationError(f"{clean}: the file is empty", field="files", status=422)
    archive = archive_kind(clean, upload.content)
    if archive is not None:
        raise ApplicationError(
            f"{clean}: archives ({archive}) are not accepted; upload the files themselves", field="files", status=422
        )
    kind = attachments.sniff(upload.content)
    if kind is None:
        raise ApplicationError(
            f"{clean}: this type of file is not accepted; allowed: {attachments.ALLOWED} (recognised by its content)",
            field="files",
            status=422,
        )
    if not clean.lower().endswith(kind.extensions):
        raise ApplicationError(
            f"{clean}: the file's content is {kind.label}, but its name does not end with {' or '.join(kind.extensions)}",
            field="files",
            status=422,
        )
    return Checked(clean, kind, upload.content, hashlib.sha256(upload.content).hexdigest())


def check_files(files: Sequence[Upload]) -> list[Checked]:
    most = int(settings.PRODUCED_FILES_PER_ANSWER)
    if len(files) > most:
        raise ApplicationError(f"at most {most} files with one answer ({len(files)} sent)", field="files", status=422)
    return [check_file(f) for f in files]


def _purpose(stored_name: str) -> str:
    return f"{FILE_PURPOSE}:{stored_name}"


def _store(answer: Answer, checked: Sequence[Checked], now: datetime, saved: list[str]) -> list[ProducedFile]:
    storage = storages["exchange"]
    made = []
    for one in checked:
        wanted = f"produced/{answer.delivery_id}/{secrets.token_hex(16)}.sealed"
        sealed = io.BytesIO()  # sealed as a stream (exchange/sealing.py): federation sends it in chunks
        sealing.seal_stream(io.BytesIO(one.content), sealed, purpose=_purpose(wanted))
        stored = storage.save(wanted, ContentFile(sealed.getvalue()))
        saved.append(stored)
        if stored != wanted:  # the storage renamed it: the seal is bound to the name asked for
            raise ApplicationError("the file store could not keep the file under its name", status=500)
        made.append(
            ProducedFile.objects.create(
                answer=answer,
                name=one.name,
                content_type=one.kind.content_type,
                size=len(one.content),
                sha256=one.sha256,
                stored_name=stored,
                uploaded_at=now,
            )
        )
    return made


# Called when a provider served by the requested Party (CETS 224 Art 8(6)(a)) answers: the answer
# goes to the requested Party, which passes the data back (Art 8(6)(b)); the requesting side's
# request is not moved here. The module of the requested Party registers its hook.
ServedAnswerHook = Callable[[Answer, datetime], None]
SERVED_ANSWER_HOOKS: list[ServedAnswerHook] = []


def on_served_answer(hook: ServedAnswerHook) -> ServedAnswerHook:
    SERVED_ANSWER_HOOKS.append(hook)
    return hook


def _move_request(answer: Answer, user: User, now: datetime) -> None:
    delivery = answer.delivery
    if delivery.role == DeliveryRole.SERVED:
        for hook in SERVED_ANSWER_HOOKS:
            hook(answer, now)
        return
    request = delivery.request
    if request.state in (State.ISSUED, State.ACKNOWLEDGED):
        request_settle(
            request,
            target=REQUEST_STATE[Outcome(answer.outcome)],
            by=user,
            now=now,
            note=f"answered by {delivery.organisation.name} on the platform",
        )


def answer_create(
    *, user: User, delivery_id: int, outcome: str, reason_code: str, reason: str, files: Sequence[Upload], now: datetime
) -> Answer:
    """Answer what was delivered to the user's organisation, with the files produced."""
    with _audited_refusal(user, now, delivery_id, "answer"):
        return _answer_create(user, delivery_id, outcome=outcome, reason_code=reason_code, reason=reason, files=files, now=now)


def _answer_create(
    user: User, delivery_id: int, *, outcome: str, reason_code: str, reason: str, files: Sequence[Upload], now: datetime
) -> Answer:
    saved: list[str] = []
    try:
        with transaction.atomic():
            found = delivery_get(user=user, delivery_id=delivery_id, action=Action.ANSWER)
            delivery = Delivery.objects.select_for_update().select_related("request", "organisation").get(pk=found.pk)
            _check_answerable(delivery)
            _check_reason(outcome, reason_code, reason, outcomes_for(delivery))
            checked = check_files(files)
            if outcome in (Outcome.DATA, Outcome.PARTIAL) and not checked:
                raise ApplicationError(f"an answer '{outcome}' comes with the files produced", field="files", status=422)
            answer = Answer.objects.create(
                delivery=delivery, outcome=outcome, reason_code=reason_code, reason=reason.strip(), by=user, at=now
            )
            produced = _store(answer, checked, now, saved)
            delivery.status = DeliveryStatus.ANSWERED
            delivery.answered_at = now
            delivery.save(update_fields=["status", "answered_at"])
            receipt(delivery, ReceiptKind.ANSWERED, at=now, organisation=delivery.organisation, by=user)
            _move_request(answer, user, now)
            _audit(
                user,
                now,
                Event.DISCLOSE,
                delivery,
                answer=answer.pk,
                outcome=outcome,
                reason_code=reason_code,
                files=[{"file": f.pk, "sha256": f.sha256, "size": f.size, "type": f.content_type} for f in produced],
            )
            return answer
    except BaseException:
        storage = storages["exchange"]
        for name in saved:
            storage.delete(name)
        raise


# -- what each side sees of an answer ---------------------------------------------------------


def passed_back(delivery: Delivery) -> bool:
    """For a provider served by the requested Party: whether the requested Party passed the data
    back to the requesting side (CETS 224 Art 8(6)(b); the rule is selectors.answer_shown_to_issuer)."""
    return delivery.role == DeliveryRole.SERVED and answer_shown_to_issuer(delivery)


def may_see_answer(user: User, delivery: Delivery) -> bool:
    """The recipient's organisation; the issuing organisation (for a provider served by the
    requested Party, once the data is passed back); and for such a provider, the requested Party."""
    if can(user, Action.VIEW_INBOX, delivery.organisation):
        return True
    if delivery.role == DeliveryRole.SERVED and delivery.parent is not None:
        if can(user, Action.VIEW_INBOX, delivery.parent.organisation):
            return True
        if not passed_back(delivery):
            return False
    return can(user, Action.VIEW_CASE, delivery.request.case.organisation)


def _visible_delivery(user: User, delivery_id: int) -> Delivery:
    found = (
        Delivery.objects.select_related("request__case__organisation", "organisation", "parent__organisation")
        .filter(pk=delivery_id, request__case__erased_at__isnull=True)
        .first()
    )
    if found is None or not may_see_answer(user, found):
        raise NotFound("inbox item")
    return found


def answer_get(*, user: User, delivery_id: int) -> Answer | None:
    """The answer to a delivery, for those who may see it (None while there is none)."""
    delivery = _visible_delivery(user, delivery_id)
    return Answer.objects.select_related("by").prefetch_related("files").filter(delivery=delivery).first()


def answers_of_request(*, user: User, request_id: int) -> list[Answer]:
    """The issuing side: the answers to a request's deliveries that it may see."""
    from cyberspex.web.cases.services import request_get  # noqa: PLC0415

    request = request_get(user=user, request_id=request_id)
    found = (
        Answer.objects.filter(delivery__request=request)
        .select_related("delivery__organisation", "delivery__parent", "by")
        .prefetch_related("files")
        .order_by("at", "pk")
    )
    return [a for a in found if a.delivery.role != DeliveryRole.SERVED or passed_back(a.delivery)]


@dataclass(frozen=True)
class Download:
    file: ProducedFile
    content: bytes
    verified: bool
    reason: str
    stream: Iterator[bytes] | None = None  # a file received from a peer: streamed, never held whole
    arriving: bool = False  # listed in a peer's answer, not all received yet


def _open(produced: ProducedFile) -> Download:
    storage = storages["exchange"]
    try:
        with storage.open(produced.stored_name, "rb") as handle:
            content = b"".join(sealing.open_stream(handle, purpose=_purpose(produced.stored_name)))
    except (OSError, sealing.SealBroken) as error:
        return Download(produced, b"", False, gettext("the stored file cannot be opened: %(error)s") % {"error": error})
    if hashlib.sha256(content).hexdigest() != produced.sha256:
        return Download(produced, content, False, gettext("its SHA-256 differs from the one taken at upload"))
    return Download(produced, content, True, gettext("its SHA-256 is the one taken at upload"))


def _arriving(produced: ProducedFile) -> Download:
    peer = produced.answer.delivery.organisation.peer
    held, chunks = files_inbox.progress(peer, produced.sha256) if peer is not None else (0, None)
    reason = (
        gettext("arriving from %(peer)s: %(held)s of %(chunks)s chunks received") % {"peer": peer, "held": held, "chunks": chunks}
        if chunks
        else gettext("arriving from %(peer)s: not received yet") % {"peer": peer}
    )
    return Download(produced, b"", False, reason, arriving=True)


def _received(produced: ProducedFile) -> Download:
    """A file received from a peer: its SHA-256 was checked when its last chunk came, and it is
    sealed since (a changed record does not open); the download takes the SHA-256 again as it streams."""
    received = produced.received
    if received is None:
        raise ValueError("not a received file")
    reason = gettext("its SHA-256 was checked when it was received from %(peer)s at %(at)s") % {
        "peer": received.message.peer,
        "at": received.completed_at,
    }
    return Download(produced, b"", True, reason)


def file_check(produced: ProducedFile) -> Download:
    """Whether the stored file is still the one uploaded (for the pages' "verified" mark); for a
    file of a peer's answer, whether it has arrived whole (never read here: it may be large)."""
    if produced.arriving:
        return _arriving(produced)
    if produced.received_id is not None:
        return _received(produced)
    return _open(produced)


def file_rows(answer: Answer | None) -> list[dict[str, object]]:
    """An answer's files as the pages list them: each with its check (verified, arriving, why)."""
    if answer is None:
        return []
    found = answer.files.select_related("received__message__peer", "answer__delivery__organisation__peer").order_by("pk")
    checks = [file_check(f) for f in found]
    return [{"file": c.file, "verified": c.verified, "arriving": c.arriving, "check": c.reason} for c in checks]


def _streamed(produced: ProducedFile, received: ReceivedFile) -> Iterator[bytes]:
    """The received file's records; its SHA-256 taken again as they go, the download cut short
    (an error, never a complete-looking file) if it differs."""
    whole = hashlib.sha256()
    for record in files_inbox.open_received(received):
        whole.update(record)
        yield record
    if whole.hexdigest() != produced.sha256:
        raise sealing.SealBroken(f"the received file {received.pk} no longer has its SHA-256")


@transaction.atomic
def file_download(*, user: User, delivery_id: int, file_id: int, now: datetime) -> Download:
    """A produced file, unsealed and hashed again; the download is audited. A file whose hash no
    longer matches is not served: the caller shows "not verified"."""
    delivery = _visible_delivery(user, delivery_id)
    produced = (
        ProducedFile.objects.select_related("answer__delivery__organisation__peer", "received__message__peer")
        .filter(pk=file_id, answer__delivery=delivery)
        .first()
    )
    if produced is None:
        raise NotFound("file")
    if produced.arriving:
        raise ApplicationError(
            gettext("The file is not here yet (%(reason)s): download it once it has arrived.")
            % {"reason": _arriving(produced).reason},
            status=409,
        )
    if produced.received is not None:
        found = replace(_received(produced), stream=_streamed(produced, produced.received))
        _audit(
            user,
            now,
            Event.EXPORT,
            delivery,
            file=produced.pk,
            sha256=produced.sha256,
            verified=True,
            received_from=produced.received.message.peer.instance_id,
        )
        return found
    found = _open(produced)
    _audit(user, now, Event.EXPORT, delivery, file=produced.pk, sha256=produced.sha256, verified=found.verified)
    return found


# -- clarification ----------------------------------------------------------------------------


def _sender_side(user: User, delivery: Delivery) -> str:
    """ "recipient" or "issuer"; NotFound for anyone else."""
    if can(user, Action.VIEW_INBOX, delivery.organisation):
        if can(user, Action.ANSWER, delivery.organisation) or can(user, Action.DECIDE, delivery.organisation):
            return "recipient"
        raise ApplicationError("your role cannot write to the issuing authority", status=403)
    if can(user, Action.VIEW_CASE, delivery.request.case.organisation):
        return "issuer"
    raise NotFound("inbox item")


def message_send(*, user: User, delivery_id: int, body: str, now: datetime) -> Message:
    """A message in the clarification thread of a delivery: by its recipient, or by the issuing
    authority replying (a member of the issuing organisation who may see the case)."""
    with _audited_refusal(user, now, delivery_id, "message"):
        return _message_send(user, delivery_id, body, now)


@transaction.atomic
def _message_send(user: User, delivery_id: int, body: str, now: datetime) -> Message:
    delivery = Delivery.objects.select_related("request__case__organisation", "organisation").filter(pk=delivery_id).first()
    if delivery is None or delivery.request.case.erased_at is not None:
        raise NotFound("inbox item")
    side = _sender_side(user, delivery)
    if side == "issuer" and delivery.role == DeliveryRole.SERVED:
        raise ApplicationError(
            "a provider served by the requested Party is reached through the requested Party that served it", status=409
        )
    text = body.strip()
    if not text:
        raise ApplicationError("the message is empty", field="body", status=422)
    if len(text) > MESSAGE_MAX:
        raise ApplicationError(f"the message is longer than {MESSAGE_MAX} characters", field="body", status=422)
    sender = delivery.organisation if side == "recipient" else delivery.request.case.organisation
    message = Message.objects.create(
        delivery=delivery, channel=Channel.CLARIFICATION, organisation=sender, author=user, body=text, at=now
    )
    receipt(delivery, ReceiptKind.MESSAGE, at=now, organisation=sender, by=user)
    if side == "issuer":  # to a recipient on a peer: its instance is told (exchange/remote.py)
        remote.tell_message(delivery, message)
    _audit(user, now, Event.CREATE, delivery, message=message.pk, channel=Channel.CLARIFICATION, side=side)
    return message


# -- receipts from integrations ---------------------------------------------------------------


def receipt_record(*, user: User, delivery_id: int, kind: str, nonce: str, now: datetime) -> Receipt:
    """An "opened" receipt sent by an integration with its own nonce: a nonce already used (a
    replay) is refused."""
    with _audited_refusal(user, now, delivery_id, "receipt"):
        return _receipt_record(user, delivery_id, kind, nonce, now)


@transaction.atomic
def _receipt_record(user: User, delivery_id: int, kind: str, nonce: str, now: datetime) -> Receipt:
    found = delivery_get(user=user, delivery_id=delivery_id)
    if kind != ReceiptKind.OPENED:
        raise ApplicationError(f"an integration sends receipts of kind 'opened', not {kind!r}", field="kind", status=422)
    if not NONCE.match(nonce):
        raise ApplicationError(
            "the nonce is 16 to 64 letters, digits, '-' or '_' (e.g. a random UUID without braces)", field="nonce", status=422
        )
    if Receipt.objects.filter(nonce=nonce).exists():
        raise ApplicationError("replayed receipt: this nonce was already used", field="nonce", status=409)
    delivery = Delivery.objects.select_for_update().get(pk=found.pk)
    if delivery.opened_at is None:
        delivery.opened_at = now
        if delivery.status == DeliveryStatus.DELIVERED:
            delivery.status = DeliveryStatus.OPENED
        delivery.save(update_fields=["opened_at", "status"])
    made = receipt(delivery, ReceiptKind.OPENED, at=now, organisation=delivery.organisation, by=user, nonce=nonce)
    _audit(user, now, Event.VIEW, delivery, receipt="opened", nonce=nonce)
    return made
