"""Produced files between instances, receiving side (``/federation/v1/files/``, docs/federation.md
"Files"). A chunk is accepted only with a header signed by a trusted peer for exactly this
message, file and index, for a file the peer's delivered envelope lists, within this instance's
size limit for the organisation it is for, of the size its index calls for and with the SHA-256
its header states; it is then sealed into staging as it is read (never held whole). When the
last chunk is in, the chunks are read back in order, hashed and sealed into one file: if the
whole SHA-256 differs the staging is discarded and the file refused. A refusal keeps nothing of
the chunk and is audited."""

from __future__ import annotations

import hashlib
import json
import secrets
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce

from cyberspex.web.audit.models import Event
from cyberspex.web.exchange import sealing
from cyberspex.web.federation import files, handlers, keys, throttle, trail, trust
from cyberspex.web.federation.files_models import ReceivedChunk, ReceivedFile
from cyberspex.web.federation.files_transport import SIGNATURE_HEADER
from cyberspex.web.federation.inbox import Refused, signed_by
from cyberspex.web.federation.models import InboxMessage, Peer

PURPOSE = "federation_file"


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Body:
    """A request body read up to ``limit`` bytes, hashed as it is read."""

    def __init__(self, stream: Readable, limit: int) -> None:
        self.stream, self.left, self.read_bytes, self.hash = stream, limit, 0, hashlib.sha256()

    def read(self, size: int = -1, /) -> bytes:
        wanted = self.left if size < 0 else min(size, self.left)
        data = self.stream.read(wanted) if wanted > 0 else b""
        self.left -= len(data)
        self.read_bytes += len(data)
        self.hash.update(data)
        return data


class _Pieces:
    """A reader over pieces of bytes (``sealing.seal_stream`` reads from it)."""

    def __init__(self, pieces: Iterable[bytes]) -> None:
        self.pieces, self.buffer = iter(pieces), bytearray()

    def read(self, size: int = -1, /) -> bytes:
        while size < 0 or len(self.buffer) < size:
            piece = next(self.pieces, None)
            if piece is None:
                break
            self.buffer += piece
        taken = bytes(self.buffer if size < 0 else self.buffer[:size])
        del self.buffer[: len(taken)]
        return taken


@dataclass(frozen=True)
class Expected:
    """The file as the peer's signed envelope lists it, and the organisation it is for."""

    peer: Peer
    message: InboxMessage
    name: str
    size: int
    sha256: str


def limit_bytes(organisation_id: int) -> int:
    """The largest file this instance receives for an organisation (FEDERATION_FILE_MAX_MB, or its own)."""
    megabytes = settings.FEDERATION_FILE_MAX_MB_BY_ORGANISATION.get(str(organisation_id), settings.FEDERATION_FILE_MAX_MB)
    return int(megabytes) * 1024 * 1024


def _verified(signature: str, typ: str, now: datetime) -> tuple[Peer, dict[str, Any]]:
    """The peer and the facts of a signed header; Refused unless a trusted peer signed it for this instance, now."""
    try:
        header = keys.header_of(signature.split(".", maxsplit=1)[0])
        facts = json.loads(keys.unb64(signature.split(".")[1])) if signature.count(".") == 2 else None
    except (keys.BadSignature, ValueError, UnicodeDecodeError):
        facts = None
        header = {}
    if not isinstance(facts, dict) or header.get("typ") != typ or not isinstance(facts.get("from"), str):
        raise Refused(400, "malformed", f"the {SIGNATURE_HEADER} header is not a signed {typ} header")
    peer = trust.trusted_peer(facts["from"])
    if peer is None:
        raise Refused(403, "unknown_peer", f"{facts['from']!r} is not a trusted peer of this instance")
    try:
        keys.verify_compact(signature, peer.keys, now)
    except keys.BadSignature as error:
        raise Refused(401, "signature", f"the header's signature is not {peer.instance_id}'s ({error})") from None
    with signed_by(peer):
        return peer, _timely(facts, now)


def _timely(facts: dict[str, Any], now: datetime) -> dict[str, Any]:
    if facts.get("to") != settings.CYBERSPEX_INSTANCE_ID:
        raise Refused(421, "not_for_this_instance", f"the header is addressed to {facts.get('to')!r}")
    try:
        sent_at = datetime.fromisoformat(str(facts.get("sent_at")))
        off = abs((now - sent_at).total_seconds())
    except (ValueError, TypeError):
        raise Refused(400, "malformed", "the header's 'sent_at' is not a time with its zone") from None
    if off > settings.FEDERATION_CLOCK_TOLERANCE_SECONDS:
        tolerance = settings.FEDERATION_CLOCK_TOLERANCE_SECONDS
        raise Refused(400, "clock", f"sent_at is {off:.0f} s from this instance's clock (at most {tolerance} s)")
    return facts


def _expected(peer: Peer, message_id: str, sha256: str) -> Expected:
    try:
        key = uuid.UUID(message_id)
    except ValueError:
        raise Refused(404, "unknown_file", f"no message {message_id!r}") from None
    message = InboxMessage.objects.filter(message_id=key, peer=peer).select_related("organisation").first()
    listed = [f for f in (message.envelope.get("files") or []) if isinstance(f, dict)] if message else []
    found = next((f for f in listed if f.get("sha256") == sha256), None)
    if message is None or found is None:
        raise Refused(404, "unknown_file", f"no message {message_id} from {peer.instance_id} lists a file {sha256}")
    size, name = found.get("size"), found.get("name")
    if not isinstance(size, int) or size < 0 or not isinstance(name, str):
        raise Refused(400, "malformed", "the envelope lists the file without its name and size")
    limit = limit_bytes(message.organisation_id)
    if size > limit:
        raise Refused(413, "too_large", f"the file is larger than this instance's limit of {limit} bytes for its organisation")
    return Expected(peer, message, name[:200], size, sha256)


def status(*, message_id: str, sha256: str, signature: str, now: datetime, address: str = "") -> dict[str, Any]:
    """``GET``: what this instance holds of the file, for the sender to resume."""
    try:
        peer, facts = _verified(signature, files.STATUS_TYPE, now)
        with signed_by(peer):
            if (facts.get("message"), facts.get("file")) != (message_id, sha256):
                raise Refused(400, "malformed", "the signed header is for another file")
            expected = _expected(peer, message_id, sha256)
    except Refused as refusal:
        _audit_refusal(refusal, message_id, sha256, None, now, address=address)
        raise
    received = ReceivedFile.objects.filter(message=expected.message, sha256=sha256).first()
    return {
        "name": expected.name,
        "size": expected.size,
        "sha256": sha256,
        "chunk_size": received.chunk_size if received else None,
        "chunks": received.chunks if received else None,
        "received": sorted(received.staged.values_list("index", flat=True)) if received else [],
        "complete": bool(received and received.completed_at),
    }


def put(
    *, message_id: str, sha256: str, index: int, signature: str, body: Readable, length: int, now: datetime, address: str = ""
) -> dict[str, Any]:
    """``PUT``: one chunk; ``{"received": n, "chunks": n, "complete": bool}``, or Refused (audited)."""
    try:
        return _put(message_id, sha256, index, signature=signature, body=body, length=length, now=now)
    except Refused as refusal:
        _audit_refusal(refusal, message_id, sha256, index, now, address=address)
        raise


def _put(
    message_id: str, sha256: str, index: int, *, signature: str, body: Readable, length: int, now: datetime
) -> dict[str, Any]:
    if length > files.MAX_CHUNK_BYTES:
        raise Refused(413, "too_large", f"a chunk is at most {files.MAX_CHUNK_BYTES} bytes")
    peer, facts = _verified(signature, files.CHUNK_TYPE, now)
    with signed_by(peer):
        return _put_signed(peer, facts, message_id, sha256, index, body=body, length=length, now=now)


def _put_signed(
    peer: Peer, facts: dict[str, Any], message_id: str, sha256: str, index: int, *, body: Readable, length: int, now: datetime
) -> dict[str, Any]:
    if (facts.get("message"), facts.get("file"), facts.get("index")) != (message_id, sha256, index):
        raise Refused(400, "malformed", "the signed header is for another chunk")
    size, chunk_size, chunk_sha256 = facts.get("size"), facts.get("chunk_size"), facts.get("sha256")
    if not (isinstance(size, int) and isinstance(chunk_size, int) and isinstance(chunk_sha256, str)):
        raise Refused(400, "malformed", "the signed header has no size, chunk_size or sha256")
    if not files.MIN_CHUNK_BYTES <= chunk_size <= files.MAX_CHUNK_BYTES:
        raise Refused(422, "chunk_size", f"chunks are from {files.MIN_CHUNK_BYTES} to {files.MAX_CHUNK_BYTES} bytes")
    expected = _expected(peer, message_id, sha256)
    count = files.chunk_count(expected.size, chunk_size)
    if not 0 <= index < count:
        raise Refused(422, "out_of_range", f"the file has chunks 0 to {count - 1}, not {index}")
    if size != files.chunk_length(expected.size, chunk_size, index):
        raise Refused(
            422, "chunk_size", f"chunk {index} of this file is {files.chunk_length(expected.size, chunk_size, index)} bytes"
        )
    received = _file(expected, chunk_size, count, now)
    if received.completed_at is not None:  # a chunk sent again after the file was complete
        return _progress(received)
    held = received.staged.filter(index=index).first()
    if held is not None:  # sent again (a lost answer): the same chunk is kept once
        if held.sha256 != chunk_sha256:
            raise Refused(409, "replayed", f"chunk {index} was received before with other content")
        return _progress(received)
    _stage(received, index, size=size, chunk_sha256=chunk_sha256, body=_Body(body, min(length, size + 1)), now=now)
    if received.staged.count() == count:
        _complete(received, now)
    return _progress(received)


def _file(expected: Expected, chunk_size: int, count: int, now: datetime) -> ReceivedFile:
    defaults = {"name": expected.name, "size": expected.size, "chunk_size": chunk_size, "chunks": count, "started_at": now}
    try:
        with transaction.atomic():
            received, _made = ReceivedFile.objects.get_or_create(
                message=expected.message, sha256=expected.sha256, defaults=defaults
            )
    except IntegrityError:  # made meanwhile by another chunk
        received = ReceivedFile.objects.get(message=expected.message, sha256=expected.sha256)
    if received.chunk_size != chunk_size:
        raise Refused(422, "chunk_size", f"this file's chunks are {received.chunk_size} bytes, not {chunk_size}")
    return received


def _stage(received: ReceivedFile, index: int, *, size: int, chunk_sha256: str, body: _Body, now: datetime) -> None:
    """Seal the chunk into staging as it is read; keep it only if its size and SHA-256 are the stated ones."""
    storage = storages["exchange"]
    wanted = f"federation/staging/{received.pk}/{index}-{secrets.token_hex(8)}.sealed"
    with tempfile.TemporaryFile() as sealed:
        sealing.seal_stream(body, sealed, purpose=f"{PURPOSE}:{wanted}")
        if body.read_bytes != size:
            got = f"{body.read_bytes} bytes" if body.read_bytes <= size else "longer"
            raise Refused(400, "truncated", f"chunk {index} is {got}, its signed header says {size} bytes")
        if body.hash.hexdigest() != chunk_sha256:
            raise Refused(422, "chunk_hash", f"chunk {index} does not have the SHA-256 its header states")
        sealed.seek(0)
        stored = storage.save(wanted, File(sealed))
    try:
        with transaction.atomic():
            ReceivedChunk.objects.create(
                file=received, index=index, size=size, sha256=chunk_sha256, stored_name=stored, received_at=now
            )
    except IntegrityError:  # the same chunk stored meanwhile by another request
        storage.delete(stored)


def _staged_content(received: ReceivedFile) -> Iterator[bytes]:
    storage = storages["exchange"]
    for chunk in received.staged.order_by("index"):
        with storage.open(chunk.stored_name, "rb") as handle:
            yield from sealing.open_stream(handle, purpose=f"{PURPOSE}:{chunk.stored_name}")


def _complete(received: ReceivedFile, now: datetime) -> None:
    """Every chunk is in: hash the whole file as it is sealed into its place, then drop the staging."""
    storage = storages["exchange"]
    wanted = f"federation/received/{received.message_id}/{secrets.token_hex(16)}.sealed"
    whole = hashlib.sha256()

    def hashed() -> Iterator[bytes]:
        for piece in _staged_content(received):
            whole.update(piece)
            yield piece

    with tempfile.TemporaryFile() as sealed:
        try:
            size = sealing.seal_stream(_Pieces(hashed()), sealed, purpose=f"{PURPOSE}:{wanted}")
        except OSError:
            if ReceivedFile.objects.filter(pk=received.pk, completed_at__isnull=False).exists():
                return  # completed meanwhile by another request, which removed the staging
            raise
        if whole.hexdigest() != received.sha256 or size != received.size:
            _discard(received)
            raise Refused(
                422, "file_hash", "the chunks put together do not have the file's SHA-256: the file is refused, send it again"
            )
        sealed.seek(0)
        stored = storage.save(wanted, File(sealed))
    staged = list(received.staged.values_list("stored_name", flat=True))
    with transaction.atomic():
        done = ReceivedFile.objects.filter(pk=received.pk, completed_at__isnull=True).update(stored_name=stored, completed_at=now)
        if done:
            received.staged.all().delete()
            trail.record(
                now,
                Event.CREATE,
                "federation_file",
                str(received.pk),
                {
                    "action": "federation_file_received",
                    "message": str(received.message.message_id),
                    "peer": received.message.peer.instance_id,
                    "name": received.name,
                    "sha256": received.sha256,
                    "size": received.size,
                    "chunks": received.chunks,
                },
                actor=trail.PEER,
                organisation=received.message.organisation.name,
            )
            received.stored_name, received.completed_at = stored, now
            handlers.file_received(received, now)  # the answer it belongs to (exchange/remote.py)
    if not done:  # completed meanwhile by another request
        storage.delete(stored)
        return
    for name in staged:
        storage.delete(name)
    received.refresh_from_db()


def _discard(received: ReceivedFile) -> None:
    storage = storages["exchange"]
    staged = list(received.staged.values_list("stored_name", flat=True))
    with transaction.atomic():
        ReceivedFile.objects.filter(pk=received.pk).delete()
    for name in staged:
        storage.delete(name)


def _progress(received: ReceivedFile) -> dict[str, Any]:
    received.refresh_from_db()
    held = received.chunks if received.completed_at else received.staged.count()
    return {"received": held, "chunks": received.chunks, "complete": received.completed_at is not None}


def progress(peer: Peer, sha256: str) -> tuple[int, int | None]:
    """How many chunks of a file ``peer`` is sending are held, of how many (None before the first)."""
    found = (
        ReceivedFile.objects.filter(message__peer=peer, sha256=sha256, completed_at__isnull=True).order_by("-started_at").first()
    )
    return (found.staged.count(), found.chunks) if found is not None else (0, None)


def open_received(received: ReceivedFile) -> Iterator[bytes]:
    """The content of a completed received file, record after record (for the pages and the answer)."""
    if received.completed_at is None:
        raise ValueError("the file is not complete")
    with storages["exchange"].open(received.stored_name, "rb") as handle:
        yield from sealing.open_stream(handle, purpose=f"{PURPOSE}:{received.stored_name}")


@dataclass(frozen=True)
class Swept:
    """What one sweep of the staging removed."""

    files: int
    chunks: int


def sweep_staging(now: datetime) -> Swept:
    """Remove the staging of files never completed: a file whose last chunk (or, with none, its
    start) is older than FEDERATION_STAGING_MAX_DAYS is dropped with its chunks (the sender, if
    it comes back, starts again from the first chunk). Run by `cyberspex worker`; audited with
    the counts when anything was removed."""
    cutoff = now - timedelta(days=settings.FEDERATION_STAGING_MAX_DAYS)
    stale = (
        ReceivedFile.objects.filter(completed_at__isnull=True)
        .annotate(last=Coalesce(Max("staged__received_at"), F("started_at")))
        .filter(last__lt=cutoff)
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        swept = list(ReceivedFile.objects.filter(pk__in=list(stale), completed_at__isnull=True).select_related("message__peer"))
        names = list(ReceivedChunk.objects.filter(file__in=swept).values_list("stored_name", flat=True))
        if swept:
            ReceivedFile.objects.filter(pk__in=[r.pk for r in swept]).delete()
            trail.record(
                now,
                Event.ERASE,
                "federation_file",
                "",
                {
                    "action": "federation_staging_swept",
                    "files": len(swept),
                    "chunks": len(names),
                    "older_than_days": settings.FEDERATION_STAGING_MAX_DAYS,
                    "swept": [{"peer": r.message.peer.instance_id, "sha256": r.sha256, "name": r.name} for r in swept][:100],
                },
            )
    storage = storages["exchange"]
    for name in names:
        storage.delete(name)
    return Swept(len(swept), len(names))


def _audit_refusal(refusal: Refused, message_id: str, sha256: str, index: int | None, now: datetime, *, address: str) -> None:
    """Of the refusals of one client address, the first of each minute, with the count of the
    others since its previous record (federation/throttle.py)."""
    earlier = throttle.refusal_to_audit(address, signed=bool(refusal.peer))
    if earlier is None:
        return
    with transaction.atomic():
        trail.record(
            now,
            Event.CHANGE,
            "federation_file",
            "",
            {
                "action": "federation_file_refused",
                "status": refusal.status,
                "refusal": refusal.code,
                "reason": refusal.detail[:300],
                "message": message_id[:40],
                "file": sha256[:64],
                "index": index,
                "address": address,
                "peer": refusal.peer,
                "earlier_refusals": earlier,
            },
            actor=trail.PEER,
        )
