"""Sending a produced file with a message (federation/files.py), to a peer played by the test:
the envelope lists the file; once the message's receipt is in, the chunks go out, each with a
header signed by this instance, read from the sealed copy on the fly; a transfer broken midway
resumes at the first chunk the peer lacks; a refusal that will not pass stops it for an operator."""

from __future__ import annotations

import hashlib
import io
import json
import os
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.test import override_settings

from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.exchange import sealing
from cyberspex.web.federation import envelope, files, keys, outbox
from cyberspex.web.federation.files_models import FileTransfer, TransferState
from cyberspex.web.federation.models import OutboxMessage, OutboxState, Peer
from cyberspex.web.federation.transport import TransportError
from tests.web.helpers import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("remote")]
CHUNK = files.MIN_CHUNK_BYTES
CONTENT = os.urandom(3 * CHUNK + 7)  # four chunks


class PlayedPeer:
    """A peer that keeps the chunks it is sent (checking each against its signed header), and
    may break after ``break_after`` chunks or refuse every chunk."""

    def __init__(self, *, break_after: int | None = None, refuse: bool = False) -> None:
        self.chunks: dict[int, bytes] = {}
        self.calls: list[tuple[str, int | None]] = []
        self.break_after, self.refuse = break_after, refuse

    def held(self, peer: Peer, message: str, sha256: str, signature: str) -> dict[str, Any]:  # noqa: ARG002
        self.calls.append(("GET", None))
        return {"received": sorted(self.chunks), "complete": False}

    def put(self, peer: Peer, message: str, sha256: str, *, index: int, chunk: bytes, signature: str) -> dict[str, Any]:  # noqa: ARG002
        if self.refuse:
            raise TransportError("the peer refused the message: HTTP 413 too_large", retryable=False, status=413)
        if self.break_after is not None and len(self.calls) > self.break_after:
            raise TransportError("the peer cannot be reached: connection reset", retryable=True)
        self.calls.append(("PUT", index))
        ours = [keys.public_jwk(k) for k in keys.published_keys(NOW)]
        _header, raw = keys.verify_compact(signature, ours, NOW)
        facts = json.loads(raw)
        assert (facts["message"], facts["file"], facts["index"]) == (message, sha256, index)
        assert (facts["sha256"], facts["size"]) == (hashlib.sha256(chunk).hexdigest(), len(chunk))
        self.chunks[index] = chunk
        return {"received": len(self.chunks), "chunks": 4, "complete": len(self.chunks) == 4}


def _source() -> files.Source:
    name = "produced/9/large.sealed"
    sealed = io.BytesIO()
    sealing.seal_stream(io.BytesIO(CONTENT), sealed, purpose=f"produced_file:{name}")
    stored = storages["exchange"].save(name, ContentFile(sealed.getvalue()))
    return files.Source("mail.mbox", len(CONTENT), hashlib.sha256(CONTENT).hexdigest(), stored, f"produced_file:{stored}")


@override_settings(FEDERATION_FILE_CHUNK_BYTES=CHUNK)
def _offered(*, delivered: bool = True) -> FileTransfer:
    with transaction.atomic():
        message = outbox.enqueue(peer=Peer.objects.get(), organisation="7", kind="answer", payload={}, now=NOW, request="R-1")
        transfer = files.offer(message=message, source=_source(), now=NOW)
    if delivered:
        OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxState.DELIVERED)
    return transfer


def _pass(peer: PlayedPeer) -> files.Sent:
    return files.send_due(peer, clock=lambda: NOW, jitter=lambda: 0.0)


def test_the_envelope_lists_the_file_offered_with_the_message() -> None:
    transfer = _offered(delivered=False)
    listed = envelope.content(transfer.message, NOW)["files"]
    assert listed == [{"name": "mail.mbox", "sha256": hashlib.sha256(CONTENT).hexdigest(), "size": len(CONTENT)}]
    assert (transfer.chunk_size, transfer.chunks) == (CHUNK, 4)


def test_no_file_is_offered_with_a_message_already_sent_since_its_envelope_is_signed() -> None:
    _offered()
    with transaction.atomic(), pytest.raises(ValueError, match="was sent"):
        files.offer(message=OutboxMessage.objects.get(), source=_source(), now=NOW)


def test_the_chunks_wait_for_the_messages_receipt() -> None:
    _offered(delivered=False)
    peer = PlayedPeer()
    assert _pass(peer).chunks == 0
    assert peer.calls == []


def test_every_chunk_is_sent_signed_and_the_peer_gets_the_whole_file() -> None:
    transfer = _offered()
    peer = PlayedPeer()
    done = _pass(peer)
    assert (done.files, done.chunks, done.errors) == (1, 4, [])
    assert b"".join(peer.chunks[i] for i in range(4)) == CONTENT
    transfer.refresh_from_db()
    assert (transfer.state, transfer.chunks_sent, transfer.completed_at) == (TransferState.SENT, 4, NOW)
    assert AuditEntry.objects.get(details__action="federation_file_sent").details["sha256"] == transfer.sha256
    assert _pass(peer).chunks == 0  # sent once


def test_a_broken_transfer_resumes_at_the_first_chunk_the_peer_lacks() -> None:
    transfer = _offered()
    peer = PlayedPeer(break_after=2)
    done = _pass(peer)
    assert (done.files, done.chunks, done.retrying) == (0, 2, 1)
    transfer.refresh_from_db()
    assert (transfer.state, transfer.chunks_sent, transfer.attempts) == (TransferState.PENDING, 2, 1)
    assert transfer.next_attempt_at > NOW  # backs off
    peer.calls, peer.break_after = [], None
    resumed = files.send_due(peer, clock=lambda: transfer.next_attempt_at, jitter=lambda: 0.0)
    assert resumed.files == 1
    assert peer.calls == [("GET", None), ("PUT", 2), ("PUT", 3)]
    assert b"".join(peer.chunks[i] for i in range(4)) == CONTENT


def test_a_refusal_that_will_not_pass_stops_the_transfer_for_an_operator() -> None:
    transfer = _offered()
    done = _pass(PlayedPeer(refuse=True))
    assert done.failed == 1
    transfer.refresh_from_db()
    assert transfer.state == TransferState.FAILED
    assert "HTTP 413 too_large" in transfer.last_error


def test_a_refused_transfer_retried_by_an_operator_is_sent_on_the_next_pass_from_the_first_chunk_the_peer_lacks() -> None:
    transfer = _offered()
    peer = PlayedPeer(refuse=True)
    _pass(peer)
    peer.refuse, peer.chunks = False, {0: CONTENT[:CHUNK]}  # the peer kept the first chunk
    assert _pass(peer).chunks == 0  # failed: not sent again by itself
    files.retry(str(transfer.pk), now=NOW)
    done = _pass(peer)
    assert (done.files, done.chunks) == (1, 3)
    assert b"".join(peer.chunks[i] for i in range(4)) == CONTENT
    requeued = AuditEntry.objects.get(details__action="federation_file_requeued")
    assert (requeued.actor, requeued.details["was"], requeued.object_id) == ("cyberspex-instance", "failed", str(transfer.pk))


def test_a_sent_or_unknown_transfer_is_not_retried() -> None:
    transfer = _offered()
    _pass(PlayedPeer())
    with pytest.raises(ApplicationError, match="is complete") as refused:
        files.retry(str(transfer.pk), now=NOW)
    assert refused.value.status == 409
    for unknown in ("not-a-number", str(transfer.pk + 1)):
        with pytest.raises(NotFound):
            files.retry(unknown, now=NOW)
    assert not AuditEntry.objects.filter(details__action="federation_file_requeued").exists()


def test_a_sealed_copy_that_no_longer_opens_stops_the_transfer() -> None:
    transfer = _offered()
    with storages["exchange"].open(transfer.source_name, "rb") as handle:
        blob = bytearray(handle.read())
    blob[-1] ^= 1
    storages["exchange"].delete(transfer.source_name)
    storages["exchange"].save(transfer.source_name, ContentFile(bytes(blob)))
    done = _pass(PlayedPeer())
    assert done.failed == 1
    transfer.refresh_from_db()
    assert "cannot be opened" in transfer.last_error
