"""What an instance keeps to exchange with other instances: its own signing keys, the peers it
trusts (with their keys and the organisations they host), the messages it has to send (the
outbox) and the messages it received (the inbox)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q


class InstanceKey(models.Model):
    """An Ed25519 key of this instance, its private part sealed like an organisation's
    (exchange/sealing.py). A rotation retires the current key: it signs nothing new, but is still
    published and verifies until ``not_after`` (the overlap that lets peers learn the new key)."""

    key_id = models.CharField(max_length=64, unique=True)
    public_key = models.CharField(max_length=64)  # raw 32 bytes, base64url without padding (JWK "x")
    private_key_sealed = models.BinaryField()
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    not_after = models.DateTimeField(null=True, blank=True)  # set at retirement: retired_at + the overlap
    current = models.BooleanField(default=True)  # the one that signs (until retired_at)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["current"], condition=Q(current=True), name="one_current_instance_key")]


class Peer(models.Model):
    """An instance this one trusts, as its signed identity document described it. A removed peer
    is kept (its messages refer to it) but trusted no more."""

    instance_id = models.CharField(max_length=200, unique=True)
    base_url = models.URLField(max_length=500)
    organisations = models.JSONField(default=list)  # [{"id", "name", "kind", "state"}] hosted by the peer
    keys = models.JSONField(default=list)  # public JWKs, each with its "kid" and "not_after" (ISO 8601 or null)
    document = models.TextField()  # the identity document as received (JWS JSON serialisation)
    issued_at = models.DateTimeField()  # the document's: an older one does not replace it
    added_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.instance_id


class OutboxState(models.TextChoices):
    PENDING = "pending", "pending"  # to send, or to send again after a failure that may pass
    DELIVERED = "delivered", "delivered"  # the peer's signed receipt is recorded
    FAILED = "failed", "failed"  # refused by the peer for a reason retrying does not change: `outbox retry ID`
    CANCELLED = "cancelled", "cancelled"  # not delivered when its peer was removed (final, unless re-queued)


UNDELIVERED = (OutboxState.PENDING, OutboxState.FAILED)  # the backlog (a cancelled message is not)
# A message in one of these states holds the later messages of its request to the same peer back.
HOLDS_BACK = (*UNDELIVERED, OutboxState.CANCELLED)
CANCELLED_REASON = "peer removed"  # the last_error of the messages cancelled by `peers remove`


class OutboxMessage(models.Model):
    """A message to a peer, written in the transaction of the change it reports (``outbox.enqueue``)
    and delivered by the worker until the peer's signed receipt is recorded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="outbox")
    organisation = models.CharField(max_length=64)  # the recipient organisation's id at the peer
    kind = models.CharField(max_length=64)
    request = models.CharField(max_length=200, blank=True)  # messages of one request reach a peer in order
    sequence = models.PositiveIntegerField(default=0)  # their order within the request (0: no request)
    payload = models.JSONField()
    created_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)  # a worker's lease while it sends
    last_error = models.TextField(blank=True)
    receipt = models.JSONField(null=True, blank=True)  # {"jws": ..., "message", "sha256", "received_at", "receiver"}
    received_at = models.DateTimeField(null=True, blank=True)  # when the peer says it stored the message

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "request", "sequence"], condition=~Q(request=""), name="one_position_per_request_and_peer"
            )
        ]
        indexes = [
            # The health check's one query, and the worker's: only undelivered rows are indexed.
            models.Index(fields=["created_at"], condition=Q(state__in=UNDELIVERED), name="outbox_undelivered"),
            models.Index(fields=["next_attempt_at"], condition=Q(state=OutboxState.PENDING), name="outbox_due"),
            models.Index(fields=["peer", "request", "sequence"], name="outbox_request_order"),
        ]


class InboxMessage(models.Model):
    """A message a peer delivered, stored once by its id; ``receipt`` is the signed receipt that
    was answered, answered again if the same message comes again."""

    message_id = models.UUIDField(unique=True)
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="inbox")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="federation_inbox")
    kind = models.CharField(max_length=64)
    request = models.CharField(max_length=200, blank=True)
    content_sha256 = models.CharField(max_length=64)
    envelope = models.JSONField()  # the verified envelope (id, from, to, organisation, kind, request, payload, sent_at, files)
    received_at = models.DateTimeField()
    receipt = models.TextField()  # compact JWS


# The records of files in chunks (federation/files.py) are in their own module, loaded with these.
from cyberspex.web.federation import files_models  # noqa: E402, F401
