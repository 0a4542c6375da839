"""What a message does once stored: a handler per ``kind`` applies a received message in the
transaction that stores it (federation/inbox.py), and a hook per ``kind`` runs when the peer's
signed receipt of a sent message is recorded (federation/outbox.py). The business code registers
them (exchange/remote.py); a kind with no handler is stored and nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cyberspex.web.federation.models import InboxMessage, OutboxMessage

Handler = Callable[[InboxMessage], None]
DeliveredHook = Callable[[OutboxMessage, datetime], None]

HANDLERS: dict[str, Handler] = {}
DELIVERED: dict[str, DeliveredHook] = {}


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
