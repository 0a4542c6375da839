"""Attachments of a case: the type is read from the content (never from the name or the
browser's claim alone), the size is limited by ATTACHMENT_MAX_BYTES, each file is SHA-256 hashed,
and it is kept in the database so that a backup holds it. Adding, downloading and removing are
audited on the case (the file name is personal text, sealed and erasable with the case: ADR 0013).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.cases.models import Attachment, Case
from cyberspex.web.cases.services import case_get
from cyberspex.web.errors import ApplicationError, NotFound


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", (".pdf",))
PNG = Kind("PNG", "image/png", (".png",))
JPEG = Kind("JPEG", "image/jpeg", (".jpg", ".jpeg"))
TEXT = Kind("plain text", "text/plain; charset=utf-8", (".txt", ".text", ".log", ".csv", ".eml"))
DOCX = Kind("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
ODT = Kind("ODT", "application/vnd.oasis.opendocument.text", (".odt",))
KINDS = (PDF, PNG, JPEG, TEXT, DOCX, ODT)
ALLOWED = ", ".join(k.label for k in KINDS)
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_TEXT_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_NAME = 200


def _zip_kind(content: bytes) -> Kind | None:
    """DOCX or ODT by what the archive holds (its central directory only: nothing is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if names[:1] == ["mimetype"] and content[30:38] == b"mimetype" and content[38:].startswith(_ODT_MIMETYPE):
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    return None


def sniff(content: bytes) -> Kind | None:
    """The kind of file ``content`` is, read from its first bytes; None for any other kind."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return TEXT if content and not _TEXT_CONTROLS.search(content) else None


def safe_name(name: str) -> str:
    """The file name without any folder, control or separator characters, at most MAX_NAME long."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(cleaned) > MAX_NAME:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = (stem[: MAX_NAME - len(extension) - 1] + dot + extension) if dot and len(extension) < 10 else cleaned[:MAX_NAME]
    return cleaned or "attachment"


def _audit(user: User, now: datetime, case: Case, event: Event, details: dict[str, object], *, personal: dict[str, str]) -> None:
    found = membership(user)
    append(
        at=now,
        actor=user.get_username(),
        organisation=found.organisation.name if found else "",
        event=event,
        object_type="case",  # on the case, so that the name is erased with the case's personal data
        object_id=str(case.pk),
        details=details,
        personal_details=personal,  # sealed: erasable with the case (ADR 0013)
    )


def check_size(size: int) -> None:
    """413 when a file of ``size`` bytes is over ATTACHMENT_MAX_BYTES; 422 when it is empty."""
    limit = int(settings.ATTACHMENT_MAX_BYTES)
    if size > limit:
        raise ApplicationError(
            f"the file is larger than the limit of {limit // (1024 * 1024) or 1} MB ({limit} bytes)",
            field="file",
            status=413,
            extra={"max_bytes": limit},
        )
    if size == 0:
        raise ApplicationError("the file is empty", field="file", status=422)


@transaction.atomic
def attachment_add(*, user: User, case_id: int, name: str, content: bytes, now: datetime) -> Attachment:
    """Attach a file to a case: 413 over the size limit, 422 for a type not allowed or a name
    whose extension contradicts the content; nothing is stored then."""
    case = case_get(user=user, case_id=case_id)
    if not can(user, Action.EDIT_CASE, case.organisation):
        raise ApplicationError("your role cannot change cases", status=403)
    check_size(len(content))
    kind = sniff(content)
    if kind is None:
        raise ApplicationError(
            f"this type of file is not accepted; allowed: {ALLOWED} (recognised by its content)", field="file", status=422
        )
    clean = safe_name(name)
    if not clean.lower().endswith(kind.extensions):
        raise ApplicationError(
            f"the file's content is {kind.label}, but its name does not end with {' or '.join(kind.extensions)}",
            field="file",
            status=422,
        )
    attachment = Attachment.objects.create(
        case=case,
        name=clean,
        content_type=kind.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=user,
        uploaded_at=now,
    )
    details = {"attachment": attachment.pk, "sha256": attachment.sha256, "size": attachment.size, "type": kind.label}
    _audit(user, now, case, Event.CREATE, details, personal={"attachment_name": clean})
    return attachment


def attachments_of(case: Case) -> QuerySet[Attachment]:
    """The case's attachments without their content (a list never loads the files)."""
    return case.attachments.defer("content").select_related("uploaded_by").order_by("uploaded_at", "pk")


def _find(user: User, attachment_id: int) -> Attachment:
    found = (
        Attachment.objects.defer("content")
        .select_related("case__organisation")
        .filter(pk=attachment_id, case__erased_at__isnull=True)
        .first()
    )
    if found is None or not can(user, Action.VIEW_CASE, found.case.organisation):
        raise NotFound("attachment")
    return found


def attachment_list(*, user: User, case_id: int) -> list[Attachment]:
    return list(attachments_of(case_get(user=user, case_id=case_id)))


@transaction.atomic
def attachment_download(*, user: User, attachment_id: int, now: datetime, case_id: int | None = None) -> Attachment:
    """The attachment with its content; the download is recorded in the audit trail."""
    found = _find(user, attachment_id)
    if case_id is not None and found.case_id != case_id:
        raise NotFound("attachment")
    attachment = Attachment.objects.get(pk=found.pk)
    _audit(user, now, found.case, Event.EXPORT, {"attachment": attachment.pk, "sha256": attachment.sha256}, personal={})
    return attachment


@transaction.atomic
def attachment_remove(*, user: User, attachment_id: int, now: datetime, case_id: int | None = None) -> Case:
    """Delete an attachment (its content is gone); the removal is audited with its hash."""
    found = _find(user, attachment_id)
    if case_id is not None and found.case_id != case_id:
        raise NotFound("attachment")
    if not can(user, Action.EDIT_CASE, found.case.organisation):
        raise ApplicationError("your role cannot change cases", status=403)
    Attachment.objects.filter(pk=found.pk).delete()
    details = {"attachment": found.pk, "sha256": found.sha256, "removed": True}
    _audit(user, now, found.case, Event.CHANGE, details, personal={"attachment_name": found.name})
    return found.case


def attachment_response(attachment: Attachment) -> HttpResponse:
    """The file as a download, never shown inline: its sniffed type, ``nosniff`` and a sandbox."""
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=attachment.name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(attachment.sha256)).decode('ascii')}:"
    return response
