"""The peers this instance trusts: added from their signed identity document, updated only by a
document signed with a key already trusted (or when the operator says to replace it), removed.
Removing a peer cancels the messages not yet delivered to it; adding it again may re-queue them.
Each change is one transaction with its audit record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction

from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.federation import identity, keys, mirrors, trail
from cyberspex.web.federation.models import CANCELLED_REASON, UNDELIVERED, OutboxMessage, OutboxState, Peer


@dataclass(frozen=True)
class Added:
    peer: Peer
    created: bool  # a new peer (or one removed before), not an update
    cancelled: int = 0  # messages cancelled when it was removed, still waiting (after requeue: none)
    requeued: int = 0  # of those, put back to be sent (``requeue``)


@dataclass(frozen=True)
class Removed:
    peer: Peer
    cancelled: int  # messages not delivered to it, cancelled


@transaction.atomic
def add(text: str, *, now: datetime, replace: bool = False, requeue: bool = False, actor: str = trail.INSTANCE) -> Added:
    """Trust the instance that ``text`` (its identity document) describes, or update it; ``actor``:
    who did (the instance's command, or the administrator on the page). ``requeue``: send again the
    messages cancelled when it was removed (otherwise they wait for `outbox retry`)."""
    found = identity.read(text, now)
    if found.instance_id == settings.CYBERSPEX_INSTANCE_ID:
        raise ApplicationError(
            f"the document is this instance's own ({found.instance_id!r}): an instance does not trust itself", status=422
        )
    peer = Peer.objects.select_for_update().filter(instance_id=found.instance_id).first()
    created = peer is None or peer.removed_at is not None
    if peer is not None and not created and not replace and not keys.signed_by_any(json.loads(found.text), peer.keys, now):
        trusted = [str(k["kid"]) for k in peer.keys if keys.usable(k, now)]
        raise ApplicationError(
            f"the document of {found.instance_id!r} is signed by none of the keys trusted for it "
            f"({', '.join(trusted) or 'none'}): check it with its operator, then add it with --replace",
            status=409,
        )
    if peer is not None and not created and found.issued_at < peer.issued_at:
        raise ApplicationError(f"the document of {found.instance_id!r} is older than the one trusted", status=409)
    peer = peer or Peer(instance_id=found.instance_id, added_at=now)
    if created:
        peer.added_at = now
    peer.base_url, peer.organisations, peer.keys, peer.document = found.base_url, found.organisations, found.keys, found.text
    peer.issued_at = found.issued_at
    peer.updated_at, peer.removed_at = now, None
    peer.save()
    mirrored = mirrors.sync(peer)
    waiting = OutboxMessage.objects.filter(peer=peer, state=OutboxState.CANCELLED)
    requeued = waiting.update(state=OutboxState.PENDING, next_attempt_at=now, claimed_until=None) if requeue else 0
    cancelled = waiting.count()
    trail.record(
        now,
        Event.CREATE if created else Event.CHANGE,
        "peer",
        peer.instance_id,
        {
            "action": "peer_added" if created else ("peer_replaced" if replace else "peer_updated"),
            "instance": peer.instance_id,
            "base_url": peer.base_url,
            "keys": [str(k["kid"]) for k in peer.keys],
            "organisations": len(peer.organisations),
            "mirrors": [o.name for o in mirrored],
            "cancelled_messages": cancelled,
            "requeued_messages": requeued,
        },
        actor=actor,
    )
    return Added(peer, created, cancelled, requeued)


@transaction.atomic
def remove(instance_id: str, *, now: datetime, actor: str = trail.INSTANCE) -> Removed:
    """Trust ``instance_id`` no more: its messages are refused, none is sent to it (those not yet
    delivered are cancelled, with the reason "peer removed", and leave the backlog)."""
    peer = Peer.objects.select_for_update().filter(instance_id=instance_id, removed_at__isnull=True).first()
    if peer is None:
        raise NotFound(f"peer {instance_id!r}")
    peer.removed_at = now
    peer.save(update_fields=["removed_at"])
    cancelled = OutboxMessage.objects.filter(peer=peer, state__in=UNDELIVERED).update(
        state=OutboxState.CANCELLED, claimed_until=None, last_error=CANCELLED_REASON
    )
    details = {"action": "peer_removed", "instance": peer.instance_id, "cancelled_messages": cancelled}
    trail.record(now, Event.CHANGE, "peer", peer.instance_id, details, actor=actor)
    return Removed(peer, cancelled)


def trusted() -> list[Peer]:
    return list(Peer.objects.filter(removed_at__isnull=True).order_by("instance_id"))


def trusted_peer(instance_id: str) -> Peer | None:
    return Peer.objects.filter(instance_id=instance_id, removed_at__isnull=True).first()
