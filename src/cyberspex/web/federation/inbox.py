"""Receiving a message from a peer (``POST /federation/v1/messages``): authenticated by its
signature alone. The envelope is read, its sender looked up among the trusted peers, its
signature verified with that peer's keys, its time and addressee checked, then it is stored once
by its id and answered with a signed receipt; the same message again gets the same receipt. A
refusal stores nothing and is audited (without the message; of the refusals of one client
address, one record a minute with the count of the others: federation/throttle.py). Each write
is one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.models import Event
from cyberspex.web.exchange.signing import sha256
from cyberspex.web.federation import envelope, handlers, keys, throttle, trail, trust
from cyberspex.web.federation.models import InboxMessage, Peer


class Refused(Exception):
    """The message is refused: ``status`` is the HTTP status, ``code`` a word the sender's worker
    reads (docs/federation.md), ``detail`` the reason in a sentence; ``peer``: the trusted peer
    whose signature the refused message bears, once verified ("" before: anyone may have sent it)."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.peer = ""


@contextmanager
def signed_by(peer: Peer) -> Iterator[None]:
    """Refusals raised within are of what ``peer`` signed: audited one by one, never counted as junk
    (federation/throttle.py)."""
    try:
        yield
    except Refused as refusal:
        refusal.peer = refusal.peer or peer.instance_id
        raise


@dataclass(frozen=True)
class Stored:
    receipt: str
    again: bool  # the same message came before: the receipt is the one answered then


def receive(body: bytes, *, now: datetime, declared_length: int | None = None, address: str = "") -> Stored:
    """Store the message in ``body`` and return its receipt, or refuse it (Refused, audited);
    ``address``: the client's, by which refusals are counted and audited."""
    try:
        return _receive(body, now, declared_length)
    except Refused as refusal:
        _audit_refusal(refusal, body, now, max(declared_length or 0, len(body)), address)
        raise


def _receive(body: bytes, now: datetime, declared_length: int | None) -> Stored:
    limit = settings.FEDERATION_MAX_MESSAGE_BYTES
    if (declared_length or 0) > limit or len(body) > limit:
        raise Refused(413, "too_large", f"the envelope is larger than {limit} bytes")
    try:
        incoming = envelope.read(body)
    except envelope.Malformed as error:
        raise Refused(400, "malformed", str(error)) from None
    sender = incoming.envelope["from"]
    peer = trust.trusted_peer(sender)
    if peer is None:
        raise Refused(403, "unknown_peer", f"{sender!r} is not a trusted peer of this instance")
    try:
        keys.verify_compact(incoming.token, peer.keys, now)
    except keys.BadSignature as error:
        raise Refused(401, "signature", f"the envelope's signature is not {sender}'s ({error})") from None
    with signed_by(peer):
        return _accept(incoming, peer, now)


def _accept(incoming: envelope.Incoming, peer: Peer, now: datetime) -> Stored:
    if incoming.envelope["to"] != settings.CYBERSPEX_INSTANCE_ID:
        raise Refused(421, "not_for_this_instance", f"the envelope is addressed to {incoming.envelope['to']!r}")
    off = abs((now - incoming.sent_at).total_seconds())
    if off > settings.FEDERATION_CLOCK_TOLERANCE_SECONDS:
        tolerance = settings.FEDERATION_CLOCK_TOLERANCE_SECONDS
        raise Refused(400, "clock", f"sent_at is {off:.0f} s from this instance's clock (at most {tolerance} s)")
    organisation = _hosted(incoming.envelope["organisation"])
    message_id = uuid.UUID(incoming.envelope["id"])
    known = InboxMessage.objects.filter(message_id=message_id).first()
    if known is None:
        try:
            with transaction.atomic():
                return Stored(_store(incoming, peer, organisation, message_id, now), again=False)
        except handlers.Unprocessable as error:
            raise Refused(422, "unprocessable", str(error)) from None
        except handlers.Early as error:
            raise Refused(425, "too_early", str(error)) from None
        except IntegrityError:  # the same id stored meanwhile by another request
            known = InboxMessage.objects.get(message_id=message_id)
    if known.peer_id != peer.pk or known.content_sha256 != incoming.sha256:
        raise Refused(409, "replayed", f"a message {message_id} with other content was received before")
    return Stored(known.receipt, again=True)


def _hosted(organisation_id: str) -> Organisation:
    hosted = Organisation.objects.filter(peer__isnull=True)  # never a mirror of a peer's organisation
    found = hosted.filter(pk=int(organisation_id)).first() if organisation_id.isdigit() else None
    if found is None:
        raise Refused(404, "unknown_organisation", f"this instance hosts no organisation {organisation_id!r}")
    return found


def _store(incoming: envelope.Incoming, peer: Peer, organisation: Organisation, message_id: uuid.UUID, now: datetime) -> str:
    receipt = envelope.receipt(incoming, peer, now)
    stored = InboxMessage.objects.create(
        message_id=message_id,
        peer=peer,
        organisation=organisation,
        kind=incoming.envelope["kind"],
        request=incoming.envelope["request"],
        content_sha256=incoming.sha256,
        envelope=incoming.envelope,
        received_at=now,
        receipt=receipt,
    )
    trail.record(
        now,
        Event.CREATE,
        "federation_message",
        str(message_id),
        {
            "action": "federation_message_received",
            "peer": peer.instance_id,
            "kind": incoming.envelope["kind"],
            "request": incoming.envelope["request"],
            "sha256": incoming.sha256,
        },
        actor=trail.PEER,
        organisation=organisation.name,
    )
    handlers.apply(stored)  # in this transaction: a message is never stored without its effect
    return receipt


def _audit_refusal(refusal: Refused, body: bytes, now: datetime, size: int, address: str) -> None:
    """The refusal, its reason, the size and the SHA-256 of what was sent (of what was read: an
    oversize body is not read), the client's address and how many of its refusals were counted
    without a record since its previous one; never the message itself. Only the first refusal of
    an address in each minute is recorded (federation/throttle.py)."""
    earlier = throttle.refusal_to_audit(address, signed=bool(refusal.peer))
    if earlier is None:
        return
    with transaction.atomic():
        trail.record(
            now,
            Event.CHANGE,
            "federation_message",
            "",
            {
                "action": "federation_message_refused",
                "status": refusal.status,
                "refusal": refusal.code,
                "reason": refusal.detail[:300],
                "bytes": size,
                "body_sha256": sha256(body) if len(body) == size else "",
                "address": address,
                "peer": refusal.peer,
                "earlier_refusals": earlier,
            },
            actor=trail.PEER,
        )
