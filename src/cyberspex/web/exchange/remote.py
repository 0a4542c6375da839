"""Requests between instances (docs/federation.md, "What travels"). A request addressed to the
mirror of a peer's organisation (federation/mirrors.py) is delivered here as a local one is, but
its Delivery is "sent" and a ``delivery`` message carries the recipient's package, document and
signature to the peer, in the issuing transaction (:func:`send`). The peer applies it
(:func:`receive_delivery`): a shadow request owned by the mirror of the issuing organisation, and
the recipient's Delivery, dated when it was received. Every event of the recipient side on such a
delivery (a receipt: opened, answered, decided, a message) goes back as an ``event`` message
(:func:`report`) with the state of the delivery; the issuing instance records it on its own
Delivery (:func:`receive_event`), with the recipient side's times. The issuing Delivery becomes
"delivered" at the time the peer's signed receipt names (:func:`delivered`). What the issuing side
does after issue on such a delivery (a message, a consultation reply, an Art 8 supplement, the
withdrawal) goes to the peer as an ``issuer_event`` message (:func:`tell`), numbered per delivery;
the peer applies them in that order (:func:`receive_issuer_event`). Applying a message twice
changes nothing.

The files produced with an answer travel in chunks after the first event that carries the answer
(federation/files.py). The issuing instance lists them as the answer's produced files when it
records the answer, "arriving" until their chunks are all in, then links each to the file received
(:func:`file_received`), whichever comes first."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.models import Event
from cyberspex.web.cases.models import Case, Request, State
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import grounds, signing
from cyberspex.web.exchange.models import (
    OPEN_STATUSES,
    Answer,
    Channel,
    Decision,
    DecisionKind,
    Delivery,
    DeliveryRole,
    DeliveryStatus,
    Message,
    ProducedFile,
    Receipt,
    ReceiptKind,
    SigningKey,
)
from cyberspex.web.federation import files, handlers, mirrors, outbox, trail
from cyberspex.web.federation.files_models import FileTransfer, ReceivedFile
from cyberspex.web.federation.models import InboxMessage, OutboxMessage, Peer

DELIVERY, EVENT, INSTRUCTION, ISSUER_EVENT = "delivery", "event", "instruction", "issuer_event"
# What the issuing side did, in an ``issuer_event``.
MESSAGE, SUPPLEMENT, WITHDRAWAL = "message", "supplement", "withdrawal"
OCTET_STREAM = "application/octet-stream"


def reference(instance_id: str, request_id: object) -> str:
    """The request's reference between instances: its messages reach a peer in order."""
    return f"{instance_id}/request/{request_id}"[:200]


def peer_user(peer: Peer) -> User:
    """Who the records a peer sent are by: an account that cannot log in, with no organisation."""
    user, created = User.objects.get_or_create(username=f"peer:{peer.instance_id}"[:150], defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _at(value: object) -> datetime:
    return datetime.fromisoformat(str(value))


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


# -- the issuing side: sending -------------------------------------------------------------------


def send(delivery: Delivery, key: SigningKey, now: datetime) -> OutboxMessage:
    """Enqueue the ``delivery`` of a request to a peer's organisation (in the issuing transaction):
    the recipient's package only, its document and the issuing organisation's signature."""
    recipient = delivery.organisation
    peer = recipient.peer
    if peer is None or peer.removed_at is not None:
        raise ApplicationError(
            f"{recipient.name} is hosted by {peer}, which this instance no longer trusts: send the request by other means",
            field="recipient_organisation",
            status=409,
        )
    request = delivery.request
    payload = {
        "delivery": delivery.pk,
        "request": {
            "id": request.pk,
            "form_id": request.form_id,
            "route_id": request.route_id,
            "state": request.recipient_state,
            # The recipient's copy is erased when the issuing case is (docs/federation.md, "What travels").
            "retention_review_date": request.case.retention_review_date.isoformat(),
        },
        "role": delivery.role,
        "package": delivery.package,
        "content": delivery.content,
        "document": base64.b64encode(bytes(delivery.document)).decode(),
        "document_sha256": delivery.document_sha256,
        "language": delivery.document_language,
        "exercise": delivery.exercise,
        "signature": delivery.signature,
        "key_id": delivery.key_id,
        "manifest": delivery.remote["manifest"] if delivery.remote else {},
        "signer": {"id": str(delivery.signed_by_id), "jwk": signing.public_jwk(key)},
    }
    return outbox.enqueue(
        peer=peer,
        organisation=recipient.remote_id,
        kind=DELIVERY,
        payload=payload,
        request=reference(settings.CYBERSPEX_INSTANCE_ID, request.pk),
        now=now,
    )


def delivered(message: OutboxMessage, received_at: datetime) -> None:
    """The peer's signed receipt of a ``delivery`` message: the issuing Delivery is delivered at
    the time the peer received it (the clocks the law starts at receipt start then)."""
    delivery = (
        Delivery.objects.select_for_update().filter(pk=message.payload["delivery"], organisation__peer=message.peer).first()
    )
    if delivery is None:
        return
    nonce = _nonce(message.peer, f"delivered/{delivery.pk}")
    if Receipt.objects.filter(nonce=nonce).exists():
        return
    delivery.delivered_at = received_at
    if delivery.status == DeliveryStatus.SENT:
        delivery.status = DeliveryStatus.DELIVERED
    delivery.save(update_fields=["delivered_at", "status"])
    Receipt.objects.create(
        delivery=delivery, kind=ReceiptKind.DELIVERED, at=received_at, organisation=delivery.signed_by, by=None, nonce=nonce
    )


def tell(delivery: Delivery, action: str, at: datetime, **facts: object) -> None:
    """Send what the issuing side did on its delivery to a peer's organisation (``action``: a
    MESSAGE, a SUPPLEMENT or the WITHDRAWAL, at ``at``), in the transaction of the action. Each
    is numbered on the delivery (``sequence``): the peer applies them in that order, once."""
    peer = delivery.organisation.peer
    if peer is None:
        return
    if peer.removed_at is not None:
        trail.record(
            at, Event.CHANGE, "delivery", str(delivery.pk), {"action": "remote_issuer_event_not_sent", "peer": peer.instance_id}
        )
        return
    locked = Delivery.objects.select_for_update().only("remote").get(pk=delivery.pk)  # one sequence per delivery
    kept = dict(locked.remote or {})
    kept["told"] = int(kept.get("told", 0)) + 1
    Delivery.objects.filter(pk=delivery.pk).update(remote=kept)
    delivery.remote = kept
    outbox.enqueue(
        peer=peer,
        organisation=delivery.organisation.remote_id,
        kind=ISSUER_EVENT,
        payload={"delivery": delivery.pk, "sequence": kept["told"], "action": action, "at": at.isoformat(), **facts},
        request=reference(settings.CYBERSPEX_INSTANCE_ID, delivery.request_id),
        now=at,
    )


def tell_message(delivery: Delivery, message: Message, *, supplement: bool = False) -> None:
    """A message of the issuing side (a clarification, a consultation reply, an Art 8 supplement)."""
    tell(delivery, SUPPLEMENT if supplement else MESSAGE, message.at, channel=message.channel, body=message.body)


def _nonce(peer: Peer, text: str) -> str:
    """A receipt's nonce on this instance for one a peer made: the same each time it is applied."""
    return "peer-" + hashlib.sha256(f"{peer.instance_id}\n{text}".encode()).hexdigest()[:59]


# -- the receiving side --------------------------------------------------------------------------


def receive_delivery(message: InboxMessage) -> None:
    """A request delivered from a peer: its recipient's Delivery here, signed by the mirror of the
    issuing organisation, received at the time this instance stored the message."""
    sent, peer, at = message.envelope["payload"], message.peer, message.received_at
    try:
        remote_delivery = int(sent["delivery"])
        signer = mirrors.mirror_of(peer, str(sent["signer"]["id"]))
        document = base64.b64decode(str(sent["document"]), validate=True)
        facts = sent["request"]
        role = DeliveryRole(sent["role"])
    except (KeyError, TypeError, ValueError) as error:
        raise handlers.Unprocessable(f"the delivery is incomplete or malformed ({error})") from None
    if Delivery.objects.filter(
        organisation=message.organisation, remote__peer=peer.instance_id, remote__delivery=remote_delivery
    ).exists():
        return
    if signer is None:
        raise handlers.Unprocessable(
            f"the issuing organisation {sent['signer']['id']!r} is not in the identity document of {peer.instance_id} "
            "trusted here: give this instance its current document"
        )
    _trust_key(signer, sent["signer"]["jwk"], at)
    request = _shadow_request(peer, signer, facts, at)
    delivery = Delivery(
        request=request,
        organisation=message.organisation,
        role=role,
        package=str(sent["package"]),
        content=sent["content"],
        document=document,
        document_sha256=str(sent["document_sha256"]),
        document_language=str(sent["language"])[:8],
        exercise=bool(sent["exercise"]),
        delivered_at=at,
        signed_by=signer,
        signature=str(sent["signature"]),
        key_id=str(sent["key_id"])[:64],
        remote={"peer": peer.instance_id, "delivery": remote_delivery, "request": facts["id"], "manifest": sent["manifest"]},
    )
    from cyberspex.web.exchange.delivery import payload  # noqa: PLC0415  # delivery.py imports this module

    verified = signing.verify(delivery.signature, payload(delivery), signer=signer)
    if not verified.verified or signing.sha256(document) != delivery.document_sha256:
        raise handlers.Unprocessable(f"the issuing organisation's signature does not verify: {verified.reason}")
    delivery.save()
    Receipt.objects.create(
        delivery=delivery,
        kind=ReceiptKind.DELIVERED,
        at=at,
        organisation=signer,
        by=None,
        nonce=_nonce(peer, str(message.message_id)),
    )
    _audit(message, Event.DISCLOSE, delivery, action="remote_delivery_received", role=role, key_id=delivery.key_id)


def _trust_key(signer: Organisation, jwk: dict[str, Any], at: datetime) -> None:
    """The public key of the issuing organisation, as its instance (authenticated by the envelope's
    signature) sent it: kept so that the signature verifies here as in the directory."""
    key_id = str(jwk.get("kid", ""))[:64]
    known = SigningKey.objects.filter(key_id=key_id).first()
    if known is not None:
        if known.organisation_id != signer.pk or known.public_key != jwk.get("x"):
            raise handlers.Unprocessable(f"the key {key_id!r} is known here as another key")
        return
    # A public key only: a mirror never signs (retired at once, so it is never a current key).
    SigningKey.objects.create(
        organisation=signer, key_id=key_id, public_key=str(jwk.get("x", "")), private_key_sealed=b"", created_at=at, retired_at=at
    )


def shadow_review_date(facts: dict[str, Any], at: datetime) -> date:
    """The retention review date (2AP Art 14(5)) of the shadow case: the issuing case's, as on one
    instance, where the recipient's delivery is erased with the issuing case; from an issuing
    instance that does not send it, FEDERATION_SHADOW_RETENTION_DAYS after the receipt."""
    sent = facts.get("retention_review_date")
    try:
        return date.fromisoformat(str(sent))
    except ValueError:
        if sent is not None:
            raise handlers.Unprocessable(f"the retention review date {str(sent)[:40]!r} is not a date") from None
    return at.date() + timedelta(days=settings.FEDERATION_SHADOW_RETENTION_DAYS)


def _shadow_request(peer: Peer, issuer: Organisation, facts: dict[str, Any], at: datetime) -> Request:
    """The issuing side's request as this instance knows it: the facts its views need, no more
    (the package is in the Delivery). One per request of the peer."""
    mark = f"federation:{reference(peer.instance_id, facts['id'])}"[:100]
    found = Request.objects.filter(case__organisation=issuer, idempotency_key=mark).first()
    if found is not None:
        return found
    user = peer_user(peer)
    case = Case.objects.create(
        organisation=issuer,
        reference=str(facts["id"])[:64],
        title=f"{facts['form_id']} from {peer.instance_id}"[:200],
        retention_review_date=shadow_review_date(facts, at),
        created_by=user,
        created_at=at,
    )
    return Request.objects.create(
        case=case,
        organisation=issuer,
        form_id=str(facts["form_id"])[:32],
        route_id=str(facts["route_id"])[:16],
        recipient_state=str(facts["state"])[:2],
        state=State.ISSUED,
        requires_approval=False,
        created_by=user,
        created_at=at,
        issued_at=at,
        idempotency_key=mark,
    )


def report(delivery: Delivery, made: Receipt) -> None:
    """Send the recipient side's event on a delivery received from a peer back to it, with the
    delivery's state (in the transaction of the event)."""
    if not delivery.remote or "peer" not in delivery.remote or made.organisation_id == delivery.signed_by_id:
        return
    peer = Peer.objects.filter(instance_id=delivery.remote["peer"]).first()
    if peer is None or peer.removed_at is not None:
        trail.record(
            made.at,
            Event.CHANGE,
            "delivery",
            str(delivery.pk),
            {"action": "remote_event_not_sent", "peer": delivery.remote["peer"]},
        )
        return
    message = outbox.enqueue(
        peer=peer,
        organisation=delivery.signed_by.remote_id,
        kind=EVENT,
        payload=_state(delivery, made),
        request=reference(peer.instance_id, delivery.remote["request"]),
        now=made.at,
    )
    _offer_files(message, delivery, made.at)


def _offer_files(message: OutboxMessage, delivery: Delivery, now: datetime) -> None:
    """The answer's produced files go with the first event that carries the answer (its envelope
    lists them, so their SHA-256 is signed with it); they are sent in chunks once it is received."""
    answer = Answer.objects.filter(delivery=delivery).first()
    if answer is None:
        return
    for produced in answer.files.exclude(stored_name="").order_by("pk"):
        if not FileTransfer.objects.filter(message__peer=message.peer, source_name=produced.stored_name).exists():
            files.offer(message=message, source=files.source_of(produced), now=now)


def _state(delivery: Delivery, made: Receipt) -> dict[str, Any]:
    answer = Answer.objects.filter(delivery=delivery).first()
    return {
        "delivery": delivery.remote["delivery"] if delivery.remote else None,
        "receipt": {"kind": made.kind, "at": made.at.isoformat(), "nonce": made.nonce, "organisation": str(made.organisation_id)},
        "status": delivery.status,
        "opened_at": _iso(delivery.opened_at),
        "answered_at": _iso(delivery.answered_at),
        "blocked_at": _iso(delivery.blocked_at),
        "blocked_reason": delivery.blocked_reason,
        "answer": None
        if answer is None
        else {
            "outcome": answer.outcome,
            "reason_code": answer.reason_code,
            "reason": answer.reason,
            "at": answer.at.isoformat(),
            # Metadata only: the files' bytes travel in chunks (federation/files.py).
            "files": [
                {"name": f.name, "sha256": f.sha256, "size": f.size, "content_type": f.content_type}
                for f in answer.files.order_by("pk")
            ],
        },
        "decisions": [
            {"kind": d.kind, "grounds": d.grounds, "reasons": d.reasons, "at": d.at.isoformat()}
            for d in delivery.decisions.order_by("at", "pk")
        ],
        "messages": [
            {"channel": m.channel, "body": m.body, "at": m.at.isoformat()}
            for m in delivery.messages.exclude(organisation=delivery.signed_by).order_by("at", "pk")
        ],
    }


# -- the issuing side: what the recipient did ------------------------------------------------------


def receive_event(message: InboxMessage) -> None:
    """Record on the issuing Delivery what its recipient on the peer did, with the peer's times."""
    sent, peer = message.envelope["payload"], message.peer
    delivery = (
        Delivery.objects.select_for_update()
        .select_related("request", "signed_by", "organisation")
        .filter(pk=sent.get("delivery"), organisation__peer=peer, signed_by=message.organisation)
        .first()
    )
    if delivery is None:
        raise handlers.Unprocessable(f"no delivery {sent.get('delivery')!r} of this instance to {peer.instance_id}")
    made = sent["receipt"]
    nonce = _nonce(peer, str(made["nonce"]))
    if Receipt.objects.filter(nonce=nonce).exists():
        return
    user = peer_user(peer)
    acting = mirrors.mirror_of(peer, str(made["organisation"])) or delivery.organisation
    Receipt.objects.create(delivery=delivery, kind=made["kind"], at=_at(made["at"]), organisation=acting, by=None, nonce=nonce)
    delivery.opened_at = _time(sent["opened_at"]) or delivery.opened_at
    delivery.answered_at = _time(sent["answered_at"]) or delivery.answered_at
    delivery.blocked_at = _time(sent["blocked_at"]) or delivery.blocked_at
    delivery.blocked_reason = str(sent["blocked_reason"])
    if delivery.status == DeliveryStatus.WITHDRAWN and sent["status"] in OPEN_STATUSES:
        pass  # withdrawn here before the peer knew: its instance withdraws it when the issuer_event arrives
    elif sent["status"] in DeliveryStatus.values and sent["status"] != DeliveryStatus.DELIVERED:
        delivery.status = sent["status"]
    elif delivery.status == DeliveryStatus.SENT:  # received, reported before the transport receipt was recorded
        delivery.status = DeliveryStatus.DELIVERED
    delivery.save(update_fields=["opened_at", "answered_at", "blocked_at", "blocked_reason", "status"])
    _answer(delivery, sent["answer"], user, message.received_at)
    for decided in sent["decisions"]:
        _decision(delivery, decided, user)
    for written in sent["messages"]:
        at = _at(written["at"])
        if not Message.objects.filter(delivery=delivery, channel=written["channel"], at=at, body=written["body"]).exists():
            Message.objects.create(
                delivery=delivery,
                channel=written["channel"],
                organisation=delivery.organisation,
                author=user,
                body=written["body"],
                at=at,
            )
    _audit(message, Event.CHANGE, delivery, action="remote_event_recorded", receipt=made["kind"], at=made["at"])


def _answer(delivery: Delivery, sent: dict[str, Any] | None, user: User, now: datetime) -> None:
    if sent is None or Answer.objects.filter(delivery=delivery).exists():
        return
    listed = [_listed(f) for f in sent.get("files") or []]
    from cyberspex.web.cases.services import request_settle  # noqa: PLC0415
    from cyberspex.web.exchange.answers import REQUEST_STATE  # noqa: PLC0415  # answers.py imports delivery.py, which imports this
    from cyberspex.web.exchange.models import Outcome  # noqa: PLC0415

    answer = Answer.objects.create(
        delivery=delivery,
        outcome=Outcome(sent["outcome"]),
        reason_code=str(sent["reason_code"]),
        reason=str(sent["reason"]),
        by=user,
        at=_at(sent["at"]),
    )
    for name, sha256, size, content_type in listed:
        ProducedFile.objects.create(
            answer=answer, name=name, content_type=content_type, size=size, sha256=sha256, stored_name="", uploaded_at=answer.at
        )
    if listed:  # the files may have arrived before the event that records the answer was applied
        arrived = ReceivedFile.objects.filter(
            message__peer=delivery.organisation.peer, sha256__in=[f[1] for f in listed], completed_at__isnull=False
        ).select_related("message__peer", "message__organisation")
        _attach(delivery, arrived, now)
    request = delivery.request
    if delivery.role == DeliveryRole.ADDRESSEE and request.state in (State.ISSUED, State.ACKNOWLEDGED):
        request_settle(
            request,
            target=REQUEST_STATE[Outcome(answer.outcome)],
            by=user,
            now=answer.at,
            note=f"answered by {delivery.organisation.name} on {delivery.organisation.peer}",
        )


def _listed(sent: object) -> tuple[str, str, int, str]:
    """A file as the peer's answer lists it: name, SHA-256, size and type (the page's download:
    one of the types a produced file may have, or plain bytes)."""
    from cyberspex.web.cases import attachments  # noqa: PLC0415  # attachments imports delivery.py, which imports this

    if not isinstance(sent, dict):
        raise handlers.Unprocessable("the answer lists a file that is not an object")
    name, sha256, size = sent.get("name"), sent.get("sha256"), sent.get("size")
    if not isinstance(name, str) or not isinstance(size, int) or size < 0 or not isinstance(sha256, str):
        raise handlers.Unprocessable("the answer lists a file without its name, SHA-256 and size")
    if len(sha256) != files.SHA256_LENGTH or any(c not in "0123456789abcdef" for c in sha256):
        raise handlers.Unprocessable(f"the answer lists a file whose SHA-256 is not 64 hexadecimal digits: {sha256[:80]!r}")
    content_type = sent.get("content_type")
    return (
        attachments.safe_name(name)[:200],
        sha256,
        size,
        (content_type if content_type in {k.content_type for k in attachments.KINDS} else OCTET_STREAM),
    )


def _attach(delivery: Delivery, received: Iterable[ReceivedFile], now: datetime) -> None:
    """Link the files of the answer to ``delivery`` still arriving to those received whole from
    its peer with an event on it (their SHA-256 checked on arrival); audited."""
    for found in received:
        sent = found.message.envelope.get("payload") or {}
        if found.message.kind != EVENT or sent.get("delivery") != delivery.pk or found.completed_at is None:
            continue
        linked = ProducedFile.objects.filter(
            answer__delivery=delivery, sha256=found.sha256, stored_name="", received__isnull=True
        ).update(received=found)
        if linked:
            trail.record(
                now,
                Event.CHANGE,
                "delivery",
                str(delivery.pk),
                {
                    "action": "remote_file_attached",
                    "request": delivery.request_id,
                    "peer": found.message.peer.instance_id,
                    "message": str(found.message.message_id),
                    "file": found.pk,
                    "sha256": found.sha256,
                    "size": found.size,
                },
                actor=trail.PEER,
                organisation=found.message.organisation.name,
            )


def file_received(received: ReceivedFile, now: datetime) -> None:
    """A file of an answer arrived whole after the event that recorded the answer: link it."""
    message = received.message
    delivery_id = (message.envelope.get("payload") or {}).get("delivery")
    if message.kind != EVENT or not isinstance(delivery_id, int):
        return
    delivery = Delivery.objects.filter(pk=delivery_id, organisation__peer=message.peer, signed_by=message.organisation).first()
    if delivery is not None:
        _attach(delivery, [received], now)


def _decision(delivery: Delivery, sent: dict[str, Any], user: User) -> None:
    at = _at(sent["at"])
    if Decision.objects.filter(delivery=delivery, kind=sent["kind"], at=at).exists():
        return
    kind = DecisionKind(sent["kind"])
    Decision.objects.create(delivery=delivery, kind=kind, grounds=sent["grounds"], reasons=str(sent["reasons"]), by=user, at=at)
    competence = grounds.competence(delivery.role)
    if competence is not None and kind == competence.blocking:
        _block(delivery, competence, at, user)
    if competence is not None and kind in competence.conclusive and delivery.role == DeliveryRole.ENFORCING:
        delivery.request.deadlines.filter(rule__in=grounds.ENFORCING_RULES, done_at__isnull=True).update(
            done_at=at, done_reason=f"enforcing authority decided: {kind.label}"[:300]
        )
    if delivery.role == DeliveryRole.REQUESTED_PARTY:
        _requested_party(delivery, kind, sent, user, at)


def _block(delivery: Delivery, competence: grounds.Competence, at: datetime, user: User) -> None:
    """A notified or enforcing authority on a peer told the addressee not to disclose (CETS 224
    Art 7(5)(c), Regulation Art 12): the addressee's instance blocked it already when it is the
    same; otherwise this instance blocks its delivery as locally, and tells the addressee's
    instance when it is another peer (an ``instruction`` message)."""
    from cyberspex.web.exchange.decisions import _block_addressee  # noqa: PLC0415  # decisions.py imports delivery.py, which imports this

    addressee = (
        Delivery.objects.filter(request=delivery.request, role=DeliveryRole.ADDRESSEE).select_related("organisation").first()
    )
    if addressee is None or addressee.organisation.peer_id == delivery.organisation.peer_id:
        return
    blocked = _block_addressee(delivery, competence, at, user)
    if blocked is not None and addressee.organisation.peer is not None:
        outbox.enqueue(
            peer=addressee.organisation.peer,
            organisation=addressee.organisation.remote_id,
            kind=INSTRUCTION,
            payload={"delivery": blocked.pk, "blocked_at": at.isoformat(), "blocked_reason": blocked.blocked_reason},
            request=reference(settings.CYBERSPEX_INSTANCE_ID, delivery.request_id),
            now=at,
        )


def receive_instruction(message: InboxMessage) -> None:
    """The issuing instance passes on an authority's instruction not to disclose: the addressee's
    delivery here is blocked as a local instruction blocks it (its reasons never travel)."""
    sent, peer = message.envelope["payload"], message.peer
    delivery = (
        Delivery.objects.select_for_update()
        .filter(organisation=message.organisation, remote__peer=peer.instance_id, remote__delivery=sent.get("delivery"))
        .first()
    )
    if delivery is None:
        raise handlers.Unprocessable(f"no delivery {sent.get('delivery')!r} from {peer.instance_id} here")
    if delivery.blocked_at is not None:
        return
    delivery.blocked_at = _at(sent["blocked_at"])
    delivery.blocked_reason = str(sent["blocked_reason"])
    if delivery.status in OPEN_STATUSES:
        delivery.status = DeliveryStatus.BLOCKED
    delivery.save(update_fields=["status", "blocked_at", "blocked_reason"])
    Receipt.objects.create(
        delivery=delivery,
        kind=ReceiptKind.DECIDED,
        at=delivery.blocked_at,
        organisation=delivery.signed_by,
        by=None,
        nonce=_nonce(peer, str(message.message_id)),
    )
    _audit(message, Event.CHANGE, delivery, action="remote_instruction_recorded", blocked_at=sent["blocked_at"])


def receive_issuer_event(message: InboxMessage) -> None:
    """What the issuing side did on a delivery received from it, applied as the same action on this
    instance applies it, at the issuing side's time: a message, a supplement, the withdrawal. The
    actions of a delivery are applied in the order of their ``sequence``: one already applied
    changes nothing; one that comes before its predecessor is refused for now (425, the sender
    retries)."""
    sent, peer = message.envelope["payload"], message.peer
    delivery = (
        Delivery.objects.select_for_update()
        .select_related("request", "signed_by")
        .filter(organisation=message.organisation, remote__peer=peer.instance_id, remote__delivery=sent.get("delivery"))
        .first()
    )
    if delivery is None:
        raise handlers.Unprocessable(f"no delivery {sent.get('delivery')!r} from {peer.instance_id} here")
    try:
        sequence, action, at = int(sent["sequence"]), str(sent["action"]), _at(sent["at"])
    except (KeyError, TypeError, ValueError) as error:
        raise handlers.Unprocessable(f"the issuing side's action is incomplete or malformed ({error})") from None
    kept = dict(delivery.remote or {})
    applied = int(kept.get("applied", 0))
    if sequence <= applied:
        return
    if sequence > applied + 1:
        raise handlers.Early(
            f"action {sequence} of the issuing side on delivery {sent['delivery']} comes before action {applied + 1}, "
            "not received yet"
        )
    user = peer_user(peer)
    if action in (MESSAGE, SUPPLEMENT):
        _issuer_message(delivery, sent, action, at, user, nonce=_nonce(peer, str(message.message_id)))
    elif action == WITHDRAWAL:
        _withdrawn(delivery, at, user)
    else:
        raise handlers.Unprocessable(f"unknown action of the issuing side {action[:40]!r}")
    kept["applied"] = sequence
    delivery.remote = kept
    delivery.save(update_fields=["remote"])
    _audit(message, Event.CHANGE, delivery, action="remote_issuer_event_recorded", done=action, sequence=sequence, at=sent["at"])


def _issuer_message(delivery: Delivery, sent: dict[str, Any], action: str, at: datetime, user: User, *, nonce: str) -> None:
    channel, body = str(sent.get("channel", "")), str(sent.get("body", ""))
    if channel not in Channel.values or not body.strip():
        raise handlers.Unprocessable(f"a message of the issuing side needs a channel ({', '.join(Channel.values)}) and a body")
    if action == SUPPLEMENT and delivery.role != DeliveryRole.REQUESTED_PARTY:
        raise handlers.Unprocessable("a supplement goes to the requested Party of an Article 8 order (CETS 224 Art 8)")
    Message.objects.create(delivery=delivery, channel=channel, organisation=delivery.signed_by, author=user, body=body, at=at)
    # The issuing side's receipt: not reported back (report() sends the recipient side's only).
    Receipt.objects.create(
        delivery=delivery, kind=ReceiptKind.MESSAGE, at=at, organisation=delivery.signed_by, by=None, nonce=nonce
    )


def _withdrawn(delivery: Delivery, at: datetime, user: User) -> None:
    """The issuing authority withdrew the request: the shadow request is withdrawn as a withdrawal
    on this instance withdraws one (cases/services.withdraw_issued: its deadlines closed, what its
    recipients may still act on withdrawn), and this delivery too when it crossed an answer."""
    from cyberspex.web.cases import services as cases  # noqa: PLC0415  # cases/services.py imports delivery.py, which imports this

    request = Request.objects.select_for_update().get(pk=delivery.request_id)
    cases.withdraw_issued(request, by=user, at=at, note=f"withdrawn by {delivery.signed_by.name} on {delivery.signed_by.peer}")
    delivery.refresh_from_db(fields=["status"])
    if delivery.status in OPEN_STATUSES:
        delivery.status = DeliveryStatus.WITHDRAWN
        delivery.save(update_fields=["status"])


def _requested_party(delivery: Delivery, kind: DecisionKind, sent: dict[str, Any], user: User, at: datetime) -> None:
    """The clocks and state of an Art 8 order, as exchange/requested_party.py moves them locally,
    at the requested Party's times (CETS 224 Art 8(6), 8(8))."""
    from cyberspex.web.cases import services as cases  # noqa: PLC0415

    request = Request.objects.select_for_update().get(pk=delivery.request_id)
    if kind == DecisionKind.COMPLETE:
        cases.start_service_clock(request, at)
    elif kind == DecisionKind.SERVED:
        cases.record_service(request, at)
    elif kind == DecisionKind.REFUSED:
        cases.refused_by_requested_party(request, party=delivery.organisation, grounds=", ".join(sent["grounds"]), by=user, at=at)


def _audit(message: InboxMessage, event: Event, delivery: Delivery, **details: object) -> None:
    trail.record(
        message.received_at,
        event,
        "delivery",
        str(delivery.pk),
        {"request": delivery.request_id, "peer": message.peer.instance_id, "message": str(message.message_id), **details},
        actor=trail.PEER,
        organisation=message.organisation.name,
    )


handlers.HANDLERS[DELIVERY] = receive_delivery
handlers.HANDLERS[EVENT] = receive_event
handlers.HANDLERS[INSTRUCTION] = receive_instruction
handlers.HANDLERS[ISSUER_EVENT] = receive_issuer_event
handlers.DELIVERED[DELIVERY] = delivered
handlers.FILE_RECEIVED.append(file_received)
