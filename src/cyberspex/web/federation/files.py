"""Produced files between instances, sending side (docs/federation.md "Files").

A file travels with a message: :func:`offer` records it, in the transaction that enqueues the
message, so the envelope lists it (``files``: name, SHA-256, size) and its hash is signed with
the message. Once the peer's receipt for the message is recorded, :func:`send_due` (run by
`cyberspex federation deliver` after the messages) asks the peer which chunks it holds, then puts
each missing chunk, read from the sealed copy in ``storages["exchange"]`` and opened on the fly:
never more than a chunk in memory. Each chunk carries a header signed by the instance's key over
``{message, file, index, sha256, size, chunk_size, from, to, sent_at}``; the peer checks it, the
chunk's size and hash, keeps it in staging, and checks the whole file's SHA-256 once all are in.
A broken transfer resumes at the first chunk the peer lacks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q

from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.exchange import sealing
from cyberspex.web.exchange.models import ProducedFile
from cyberspex.web.exchange.signing import canonical
from cyberspex.web.federation import keys, outbox, trail  # outbox as a module: it imports envelope, which imports this
from cyberspex.web.federation.files_models import FileTransfer, TransferState
from cyberspex.web.federation.files_transport import FileTransport
from cyberspex.web.federation.models import OutboxMessage, OutboxState
from cyberspex.web.federation.transport import TransportError

CHUNK_TYPE = "cyberspex-chunk+jws"
STATUS_TYPE = "cyberspex-chunk-status+jws"
MIN_CHUNK_BYTES = 64 * 1024
MAX_CHUNK_BYTES = 16 * 1024 * 1024
SHA256_LENGTH = 64


@dataclass(frozen=True)
class Source:
    """A sealed file in ``storages["exchange"]``: its name to show, plain size and SHA-256, the
    storage's name and the purpose its seal is bound to."""

    name: str
    size: int
    sha256: str
    stored_name: str
    purpose: str


def source_of(produced: ProducedFile) -> Source:
    """A produced file of an answer (exchange/answers.py) as the source of a transfer."""
    from cyberspex.web.exchange.answers import FILE_PURPOSE  # noqa: PLC0415  # answers may come to import federation

    return Source(produced.name, produced.size, produced.sha256, produced.stored_name, f"{FILE_PURPOSE}:{produced.stored_name}")


def chunk_count(size: int, chunk_size: int) -> int:
    """How many chunks a file of ``size`` bytes makes (an empty file: one empty chunk)."""
    return max(1, -(-size // chunk_size))


def chunk_length(size: int, chunk_size: int, index: int) -> int:
    """The size of chunk ``index``: ``chunk_size``, the last one what is left."""
    return chunk_size if index < chunk_count(size, chunk_size) - 1 else size - chunk_size * index


def offer(*, message: OutboxMessage, source: Source, now: datetime) -> FileTransfer:
    """Send ``source`` with ``message``; call it in the transaction that enqueues the message
    (the envelope lists the file: it cannot be added once the message was sent)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a file is offered in the transaction that enqueues its message")
    if message.state != OutboxState.PENDING or message.attempts:
        raise ValueError(f"the message {message.pk} was sent: its envelope cannot list another file")
    if len(source.sha256) != SHA256_LENGTH or source.size < 0:
        raise ValueError("a file is offered with its SHA-256 (hex) and its size")
    chunk_size = settings.FEDERATION_FILE_CHUNK_BYTES
    return FileTransfer.objects.create(
        message=message,
        name=source.name,
        size=source.size,
        sha256=source.sha256,
        source_name=source.stored_name,
        source_purpose=source.purpose,
        chunk_size=chunk_size,
        chunks=chunk_count(source.size, chunk_size),
        next_attempt_at=now,
        created_at=now,
    )


def manifest(message: OutboxMessage) -> list[dict[str, Any]]:
    """The envelope's ``files``: ``{name, sha256, size}`` of each file offered with ``message``."""
    if message._state.adding:
        return []
    return [{"name": t.name, "sha256": t.sha256, "size": t.size} for t in message.files.order_by("pk")]


def sign_chunk_header(message: OutboxMessage, transfer: FileTransfer, index: int, chunk: bytes, now: datetime) -> str:
    facts = {
        "message": str(message.pk),
        "file": transfer.sha256,
        "index": index,
        "sha256": hashlib.sha256(chunk).hexdigest(),
        "size": len(chunk),
        "chunk_size": transfer.chunk_size,
        "from": settings.CYBERSPEX_INSTANCE_ID,
        "to": message.peer.instance_id,
        "sent_at": now.isoformat(),
    }
    return keys.sign_compact(keys.current_key(now), canonical(facts), CHUNK_TYPE)


def sign_status_request(message: OutboxMessage, transfer: FileTransfer, now: datetime) -> str:
    facts = {
        "message": str(message.pk),
        "file": transfer.sha256,
        "from": settings.CYBERSPEX_INSTANCE_ID,
        "to": message.peer.instance_id,
        "sent_at": now.isoformat(),
    }
    return keys.sign_compact(keys.current_key(now), canonical(facts), STATUS_TYPE)


def chunks_of(transfer: FileTransfer) -> Iterator[tuple[int, bytes]]:
    """The file's chunks (index, bytes), opened from its sealed copy record after record."""
    with storages["exchange"].open(transfer.source_name, "rb") as handle:
        buffer, index = bytearray(), 0
        for piece in sealing.open_stream(handle, purpose=transfer.source_purpose):
            buffer += piece
            while len(buffer) >= transfer.chunk_size:
                yield index, bytes(buffer[: transfer.chunk_size])
                del buffer[: transfer.chunk_size]
                index += 1
        if buffer or index == 0:
            yield index, bytes(buffer)


@dataclass
class Sent:
    """What one pass of sending files did."""

    files: int = 0
    chunks: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.files} file(s) sent in full ({self.chunks} chunk(s)); {self.retrying} to resume later; {self.failed} refused"
        )


def _claim(transfer_id: int, now: datetime) -> bool:
    lease = now + timedelta(seconds=settings.FEDERATION_LEASE_SECONDS)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    return FileTransfer.objects.filter(free, pk=transfer_id, state=TransferState.PENDING).update(claimed_until=lease) == 1


def send_due(transport: FileTransport, *, clock: Callable[[], datetime], jitter: Callable[[], float] | None = None) -> Sent:
    """One pass: send the chunks of every file whose message the peer has acknowledged."""
    done = Sent()
    due = FileTransfer.objects.filter(
        state=TransferState.PENDING,
        next_attempt_at__lte=clock(),
        message__state=OutboxState.DELIVERED,
        message__peer__removed_at__isnull=True,
    ).order_by("next_attempt_at", "pk")
    for transfer_id in list(due.values_list("pk", flat=True)):
        if not _claim(transfer_id, clock()):
            continue  # another worker holds it
        transfer = FileTransfer.objects.select_related("message__peer").get(pk=transfer_id)
        try:
            _send(transfer, transport, clock, done)
        except (TransportError, sealing.SealBroken, OSError) as error:
            retryable = getattr(error, "retryable", isinstance(error, OSError))
            _failed(transfer, str(error), retryable=retryable, now=clock(), jitter=(jitter or outbox.JITTER)(), done=done)
    return done


def _send(transfer: FileTransfer, transport: FileTransport, clock: Callable[[], datetime], done: Sent) -> None:
    message, peer = transfer.message, transfer.message.peer
    held = transport.held(peer, str(message.pk), transfer.sha256, sign_status_request(message, transfer, clock()))
    have = {i for i in held.get("received") or [] if isinstance(i, int)}
    complete = held.get("complete") is True
    if not complete:
        for index, chunk in chunks_of(transfer):
            if index in have:
                continue
            signature = sign_chunk_header(message, transfer, index, chunk, clock())
            answer = transport.put(peer, str(message.pk), transfer.sha256, index=index, chunk=chunk, signature=signature)
            done.chunks += 1
            complete = answer.get("complete") is True
            lease = clock() + timedelta(seconds=settings.FEDERATION_LEASE_SECONDS)
            received = answer.get("received")
            FileTransfer.objects.filter(pk=transfer.pk).update(
                chunks_sent=received if isinstance(received, int) else transfer.chunks_sent, claimed_until=lease
            )
    if not complete:
        raise TransportError("the peer does not hold the whole file after every chunk was sent", retryable=True)
    _completed(transfer, clock(), done)


def _completed(transfer: FileTransfer, now: datetime, done: Sent) -> None:
    with transaction.atomic():
        FileTransfer.objects.filter(pk=transfer.pk).update(
            state=TransferState.SENT,
            chunks_sent=transfer.chunks,
            attempts=transfer.attempts + 1,
            claimed_until=None,
            last_error="",
            completed_at=now,
        )
        trail.record(
            now,
            Event.DISCLOSE,
            "federation_file",
            str(transfer.pk),
            {
                "action": "federation_file_sent",
                "message": str(transfer.message_id),
                "peer": transfer.message.peer.instance_id,
                "name": transfer.name,
                "sha256": transfer.sha256,
                "size": transfer.size,
                "chunks": transfer.chunks,
            },
        )
    done.files += 1


def _failed(transfer: FileTransfer, error: str, *, retryable: bool, now: datetime, jitter: float, done: Sent) -> None:
    attempts = transfer.attempts + 1
    changes: dict[str, Any] = {"attempts": attempts, "claimed_until": None, "last_error": error[: outbox.MAX_ERROR]}
    if retryable:
        changes["next_attempt_at"] = now + outbox.backoff(attempts, jitter)
        done.retrying += 1
    else:
        changes["state"] = TransferState.FAILED
        done.failed += 1
    FileTransfer.objects.filter(pk=transfer.pk).update(**changes)
    done.errors.append(f"file {transfer.pk} ({transfer.name}): {error}"[: outbox.MAX_ERROR])


@transaction.atomic
def retry(transfer_id: str, *, now: datetime, actor: str = trail.INSTANCE) -> FileTransfer:
    """`cyberspex outbox retry-file ID` (or the administrator's "Retry now"): send a file that was
    not sent again on the worker's next pass, from the first chunk the peer lacks."""
    try:
        key = int(transfer_id)
    except ValueError:
        raise NotFound(f"file transfer {transfer_id!r}") from None
    transfer = FileTransfer.objects.select_for_update().filter(pk=key).first()
    if transfer is None:
        raise NotFound(f"file transfer {transfer_id!r}")
    if transfer.state == TransferState.SENT:
        raise ApplicationError(f"the file transfer {transfer_id} is complete: the peer holds the whole file", status=409)
    outbox.requeue(
        transfer,
        TransferState.PENDING,
        now=now,
        actor=actor,
        object_type="federation_file",
        message=str(transfer.message_id),
        sha256=transfer.sha256,
    )
    return transfer
