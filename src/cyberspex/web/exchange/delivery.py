"""Delivery of an issued request to its recipients on this instance (exchange/routing.py): each
gets its package frozen, its document rendered and both signed with the issuing organisation's
key, and a "delivered" receipt that both sides see. Runs inside the issuing transaction
(cases/services.request_transition), so a request is never issued without its deliveries."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from cyberspex.forms.package import build_document, package_data
from cyberspex.forms.render_pdf import render_pdf
from cyberspex.web.accounts.access import membership
from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.cases.models import Request
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import remote, routing, signing
from cyberspex.web.exchange.models import OPEN_STATUSES, Delivery, DeliveryRole, DeliveryStatus, Receipt, ReceiptKind

EXERCISE_MARK = "EXERCISE — not a legal order"


def manifest(delivery: Delivery) -> dict[str, Any]:
    """The facts of the delivery that are signed with the package."""
    return {
        "request": delivery.request_id,
        "recipient": delivery.organisation_id,
        "role": delivery.role,
        "package": delivery.package,
        "delivered_at": delivery.delivered_at.isoformat(),
        "exercise": delivery.exercise,
    }


def payload(delivery: Delivery) -> bytes:
    """What was signed: a delivery between instances keeps the manifest as signed (its ids are the
    issuing instance's, and it was signed before the recipient's instance received it)."""
    signed = delivery.remote["manifest"] if delivery.remote else manifest(delivery)
    return signing.signed_payload(content=delivery.content, document_sha256=delivery.document_sha256, manifest=signed)


def _language(request: Request, recipient: Organisation) -> str:
    from cyberspex.forms.i18n import complete_languages  # noqa: PLC0415  # loads the catalogues once

    complete = complete_languages()
    accepted = request.data.get("recipient_languages")
    wanted = [str(c) for c in accepted] if isinstance(accepted, list) else []
    policy = getattr(recipient, "policy", None)
    if policy is not None:
        wanted += [str(c) for c in policy.languages]
    return next((code for code in wanted if code in complete), "en")


def receipt(
    delivery: Delivery, kind: ReceiptKind, *, at: datetime, organisation: Organisation, by: User | None, nonce: str = ""
) -> Receipt:
    """A receipt both sides see; one made on a delivery received from another instance by its
    recipient side is also sent back to the issuing instance (exchange/remote.py), in this transaction."""
    made = Receipt.objects.create(
        delivery=delivery, kind=kind, at=at, organisation=organisation, by=by, nonce=nonce or secrets.token_hex(16)
    )
    remote.report(delivery, made)
    return made


def deliver_to(
    request: Request,
    *,
    organisation: Organisation,
    role: DeliveryRole,
    package: str,
    by: User,
    now: datetime,
    exercise: bool,
    signer: Organisation,
    signatories: Callable[[str], tuple[Any, ...]],
    parent: Delivery | None = None,
    data: dict[str, Any] | None = None,
) -> Delivery:
    """One signed delivery of ``package`` to ``organisation`` (and its "delivered" receipt).
    ``data`` is what is passed on when a recipient passes on part of the request (a 24/7 point of
    contact to a provider, exchange/emergency.py); the request's data otherwise."""
    data = request.data if data is None else data
    content = package_data(request.form_id, data, package)
    if exercise:
        content = {"exercise": EXERCISE_MARK, **content}
    language = _language(request, organisation)
    document = render_pdf(
        build_document(
            request.form_id,
            data,
            package=package,
            language=language,
            exercise=exercise,
            signatories=signatories(language),
        )
    )
    sent = organisation.peer_id is not None  # a mirror: the delivery travels to the peer (exchange/remote.py)
    delivery = Delivery(
        request=request,
        organisation=organisation,
        role=role,
        package=package,
        content=content,
        document=document,
        document_sha256=signing.sha256(document),
        document_language=language,
        exercise=exercise,
        delivered_at=now,
        signed_by=signer,
        parent=parent,
        status=DeliveryStatus.SENT if sent else DeliveryStatus.DELIVERED,
    )
    key = signing.current_key(signer, now)
    delivery.key_id = key.key_id
    delivery.signature = signing.sign(key, payload(delivery))
    if sent:
        delivery.remote = {"manifest": manifest(delivery)}
    delivery.save()
    if sent:  # "delivered" when the peer's signed receipt comes back (remote.delivered)
        remote.send(delivery, key, now)
    else:
        receipt(delivery, ReceiptKind.DELIVERED, at=now, organisation=signer, by=by)
    found = membership(by)
    append(
        at=now,
        actor=by.get_username(),
        organisation=found.organisation.name if found else "",
        event=Event.DISCLOSE,
        object_type="request",
        object_id=str(request.pk),
        details={
            "delivery": delivery.pk,
            "recipient": organisation.name,
            "role": role,
            "package": package,
            "document_sha256": delivery.document_sha256,
            "key_id": delivery.key_id,
        },
    )
    return delivery


def deliver_on_issue(
    request: Request, *, by: User, now: datetime, exercise: bool, signatories: Callable[[str], tuple[Any, ...]]
) -> list[str]:
    """Deliver the issued ``request`` to every recipient its route names. Returns what could not
    be delivered on this instance (a recipient with no organisation here), for the issuing
    authority to send by other means; refuses (nothing issued) when the addressee cannot receive it."""
    if request.recipient_organisation is None:
        return []
    try:
        routing.check_addressee(request.route_id, request.recipient_organisation, request.recipient_state)
    except routing.AddressingError as error:
        raise ApplicationError(str(error), field="recipient_organisation", status=422) from None
    signer = request.case.organisation
    outside = []
    for recipient in routing.recipients(request):
        if recipient.organisation is None:
            outside.append(f"{routing.ROLE_NAMES[recipient.role]} of {request.recipient_state}: {recipient.why}")
            continue
        deliver_to(
            request,
            organisation=recipient.organisation,
            role=recipient.role,
            package=recipient.package,
            by=by,
            now=now,
            exercise=exercise,
            signer=signer,
            signatories=signatories,
        )
    return outside


def withdraw(request: Request, *, now: datetime) -> None:
    """The issuing authority withdrew the issued ``request`` (in the transaction of the withdrawal):
    every delivery its recipient may still act on is withdrawn, and the instance of each recipient
    on a peer is told (exchange/remote.py), whatever its delivery's status, at ``now``."""
    for found in request.deliveries.select_for_update(of=("self",)).select_related("organisation__peer").order_by("pk"):
        if found.status in OPEN_STATUSES:
            found.status = DeliveryStatus.WITHDRAWN
            found.save(update_fields=["status"])
        if found.organisation.peer_id is not None:
            remote.tell(found, remote.WITHDRAWAL, now)


def exercise_instance() -> bool:
    return bool(settings.EXERCISE_MODE)
