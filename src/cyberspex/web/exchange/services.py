"""What a recipient does with what was delivered to it that every recipient does: open it and
download its signed document. Answers (answers.py), decisions (decisions.py and the modules of
each authority) are elsewhere. Each function is one transaction with its audit record."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from cyberspex.web.accounts.access import membership
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.exchange.delivery import receipt
from cyberspex.web.exchange.models import Delivery, DeliveryStatus, ReceiptKind
from cyberspex.web.exchange.selectors import delivery_get


def audit(user: User, now: datetime, event: Event, delivery: Delivery, **details: object) -> None:
    found = membership(user)
    append(
        at=now,
        actor=user.get_username(),
        organisation=found.organisation.name if found else "",
        event=event,
        object_type="delivery",
        object_id=str(delivery.pk),
        details={"request": delivery.request_id, **details},
    )


@transaction.atomic
def delivery_open(*, user: User, delivery_id: int, now: datetime) -> Delivery:
    """The delivery, recorded as opened the first time one of its recipients opens it."""
    found = delivery_get(user=user, delivery_id=delivery_id)
    locked = Delivery.objects.select_for_update().select_related("request", "organisation", "signed_by").get(pk=found.pk)
    if locked.opened_at is None:
        locked.opened_at = now
        if locked.status == DeliveryStatus.DELIVERED:
            locked.status = DeliveryStatus.OPENED
        locked.save(update_fields=["opened_at", "status"])
        receipt(locked, ReceiptKind.OPENED, at=now, organisation=locked.organisation, by=user)
        audit(user, now, Event.VIEW, locked, receipt="opened")
    return locked


@transaction.atomic
def delivery_document(*, user: User, delivery_id: int, now: datetime) -> tuple[Delivery, bytes]:
    """The signed document as delivered; its download is recorded."""
    found = delivery_get(user=user, delivery_id=delivery_id)
    audit(user, now, Event.EXPORT, found, document_sha256=found.document_sha256)
    return found, bytes(found.document)
