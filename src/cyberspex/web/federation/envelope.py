"""The envelope a message travels in, and the receipt that answers it.

An envelope is a compact JWS (Ed25519, the sending instance's current key) whose payload is the
canonical JSON of ``{id, from, to, organisation, kind, request, payload, sent_at, files}``. Its
*content hash* is the SHA-256 of the same canonical JSON without ``sent_at``: a message sent
again after a lost receipt carries a new ``sent_at`` but the same content, and is stored once.
A receipt is a compact JWS of the receiving instance over
``{message, sha256, received_at, receiver, sender}``."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

from cyberspex.web.exchange.signing import canonical, sha256
from cyberspex.web.federation import files, keys
from cyberspex.web.federation.models import OutboxMessage, Peer

ENVELOPE_TYPE = "cyberspex-envelope+jws"
RECEIPT_TYPE = "cyberspex-receipt+jws"
# The text fields and their longest lengths (those of the columns they are stored in).
TEXT_FIELDS = {"id": 36, "from": 200, "to": 200, "organisation": 64, "kind": 64, "request": 200, "sent_at": 40}


class Malformed(ValueError):
    """Not an envelope (or not a receipt) as docs/federation.md describes it."""


def content(message: OutboxMessage, now: datetime) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "from": settings.CYBERSPEX_INSTANCE_ID,
        "to": message.peer.instance_id,
        "organisation": message.organisation,
        "kind": message.kind,
        "request": message.request,
        "payload": message.payload,
        "sent_at": now.isoformat(),
        "files": files.manifest(message),  # {name, sha256, size}: the files travel in chunks (files.py)
    }


def content_sha256(envelope: dict[str, Any]) -> str:
    return sha256(canonical({k: v for k, v in envelope.items() if k != "sent_at"}))


def seal_envelope(message: OutboxMessage, now: datetime) -> bytes:
    """The signed envelope of ``message``, sent at ``now``."""
    return keys.sign_compact(keys.current_key(now), canonical(content(message, now)), ENVELOPE_TYPE).encode()


@dataclass(frozen=True)
class Incoming:
    token: str
    kid: str
    envelope: dict[str, Any]
    sent_at: datetime
    sha256: str


def read(body: bytes) -> Incoming:
    """The envelope in ``body``, read but not yet verified (the sender's keys depend on ``from``)."""
    try:
        token = body.decode("ascii").strip()
        parts = token.split(".")
        if len(parts) != 3:
            raise Malformed("not a compact JWS")
        header = keys.header_of(parts[0])
        envelope = json.loads(keys.unb64(parts[1]))
    except (UnicodeDecodeError, ValueError, RecursionError, keys.BadSignature) as error:
        raise Malformed(f"not a signed envelope ({error})") from None
    if not isinstance(envelope, dict):
        raise Malformed("the envelope is not a JSON object")
    for name, longest in TEXT_FIELDS.items():
        value = envelope.get(name)
        if not isinstance(value, str) or len(value) > longest:
            raise Malformed(f"the envelope's {name!r} must be text of at most {longest} characters")
    if not isinstance(envelope.get("payload"), dict) or not isinstance(envelope.get("files"), list):
        raise Malformed("the envelope's 'payload' must be an object and 'files' a list")
    try:
        uuid.UUID(envelope["id"])
        sent_at = datetime.fromisoformat(envelope["sent_at"])
    except ValueError:
        raise Malformed("the envelope's 'id' must be a UUID and 'sent_at' an ISO 8601 time") from None
    if sent_at.tzinfo is None:
        raise Malformed("the envelope's 'sent_at' must carry a time zone")
    return Incoming(token, str(header["kid"]), envelope, sent_at, content_sha256(envelope))


def receipt(incoming: Incoming, peer: Peer, received_at: datetime) -> str:
    facts = {
        "message": incoming.envelope["id"],
        "sha256": incoming.sha256,
        "received_at": received_at.isoformat(),
        "receiver": settings.CYBERSPEX_INSTANCE_ID,
        "sender": peer.instance_id,
    }
    return keys.sign_compact(keys.current_key(received_at), canonical(facts), RECEIPT_TYPE)


def verify_receipt(body: bytes, message: OutboxMessage, expected_sha256: str, now: datetime) -> dict[str, Any]:
    """The facts of the peer's receipt for ``message``; Malformed unless signed by the peer's key
    and naming this message, its content hash, the peer and this instance."""
    try:
        token = body.decode("ascii").strip()
        _header, raw = keys.verify_compact(token, message.peer.keys, now)
        facts = json.loads(raw)
    except (UnicodeDecodeError, ValueError, keys.BadSignature) as error:
        raise Malformed(f"the receipt does not verify ({error})") from None
    expected = {
        "message": str(message.id),
        "sha256": expected_sha256,
        "receiver": message.peer.instance_id,
        "sender": settings.CYBERSPEX_INSTANCE_ID,
    }
    if not isinstance(facts, dict) or any(facts.get(k) != v for k, v in expected.items()):
        raise Malformed("the receipt is not for this message")
    try:
        received_at = datetime.fromisoformat(str(facts.get("received_at")))
    except ValueError:
        raise Malformed("the receipt's 'received_at' is not a time") from None
    return {**facts, "jws": token, "received_at": received_at.isoformat()}
