"""A trusted peer and messages to it, written straight into the tables, for the tests of pages and
access (the trust and the outbox themselves are tested through their services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cyberspex.web.federation.files_models import FileTransfer, TransferState
from cyberspex.web.federation.models import OutboxMessage, OutboxState, Peer
from tests.web.helpers import NOW


def trusted_peer(instance_id: str = "peer.example") -> Peer:
    found = Peer.objects.filter(instance_id=instance_id).first()
    if found is not None:
        return found
    return Peer.objects.create(
        instance_id=instance_id,
        base_url=f"https://{instance_id}",
        organisations=[{"id": "1", "name": "Peer provider", "kind": "provider", "state": "IE"}],
        keys=[{"kid": f"{instance_id}-1", "not_after": None}],
        document="{}",
        issued_at=NOW,
        added_at=NOW,
        updated_at=NOW,
    )


def message(peer: Peer, *, created_at: datetime = NOW, **fields: Any) -> OutboxMessage:
    """A message to ``peer`` (by default pending, never tried); ``fields`` override."""
    values: dict[str, Any] = {"organisation": "1", "kind": "order", "payload": {}, "next_attempt_at": created_at, **fields}
    return OutboxMessage.objects.create(peer=peer, created_at=created_at, **values)


def refused(peer: Peer, **fields: Any) -> OutboxMessage:
    """A message the peer refused for good: it waits for an operator."""
    error = "HTTP 404 unknown_organisation: no such organisation"
    return message(peer, state=OutboxState.FAILED, attempts=1, last_error=error, **fields)


def failed_transfer(peer: Peer, **fields: Any) -> FileTransfer:
    """A produced file the peer refused for good, sent with a delivered message: it waits for an operator."""
    values: dict[str, Any] = {
        "name": "mailbox.pdf",
        "size": 300_000,
        "sha256": "b" * 64,
        "source_name": "produced/1/mailbox.sealed",
        "source_purpose": "produced_file:produced/1/mailbox.sealed",
        "chunk_size": 65536,
        "chunks": 5,
        "chunks_sent": 2,
        "state": TransferState.FAILED,
        "attempts": 3,
        "last_error": "HTTP 413 too_large: the file is larger than this instance's limit",
        "next_attempt_at": NOW,
        "created_at": NOW,
        **fields,
    }
    return FileTransfer.objects.create(message=message(peer, state=OutboxState.DELIVERED, kind="event"), **values)
