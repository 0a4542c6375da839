"""What a message does once stored: a handler per ``kind`` applies a received message in the
transaction that stores it (federation/inbox.py), and a hook per ``kind`` runs when the peer's
signed receipt of a sent message is recorded (federation/outbox.py); the file hooks run when a
file sent with a received message is complete, its SHA-256 checked (federation/files_inbox.py), in
the transaction that records it. The business code registers them (exchange/remote.py); a kind
with no handler is stored and nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from cyberspex.web.federation.models import InboxMessage, OutboxMessage

if TYPE_CHECKING:
    from cyberspex.web.federation.files_models import ReceivedFile

Handler = Callable[[InboxMessage], None]
DeliveredHook = Callable[[OutboxMessage, datetime], None]
FileHook = Callable[["ReceivedFile", datetime], None]

HANDLERS: dict[str, Handler] = {}
DELIVERED: dict[str, DeliveredHook] = {}
FILE_RECEIVED: list[FileHook] = []


class Unprocessable(Exception):
    """A well-signed message the handler cannot apply (its delivery unknown, its signature by the
    issuing organisation not verified): refused with 422, nothing stored."""


class Early(Exception):
    """A well-signed message that comes before one it follows (an action of the issuing side whose
    predecessor has not been applied): refused with 425, nothing stored; the sender retries later."""


def apply(message: InboxMessage) -> None:
    handler = HANDLERS.get(message.kind)
    if handler is not None:
        handler(message)


def delivered(message: OutboxMessage, received_at: datetime) -> None:
    hook = DELIVERED.get(message.kind)
    if hook is not None:
        hook(message, received_at)


def file_received(received: ReceivedFile, now: datetime) -> None:
    for hook in FILE_RECEIVED:
        hook(received, now)
