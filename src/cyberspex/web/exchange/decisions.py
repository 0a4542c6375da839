"""Decisions of the authorities notified of a request (what they may decide: exchange/grounds.py).

- The authority notified under CETS 224 Art 7(5)(a) (a delivery received as ``notified``, package
  "notification": the order, the supplemental information and the summary of facts) may consult
  the issuing authority (``consult``: never shown to the provider), state that it has no objection
  (``no_objection``) or instruct the provider not to disclose (``instruct_non_disclosure``) on the
  grounds of Art 7(5)(c), with its reasons to the issuing authority (Art 7(5)(d)(ii)).
- The enforcing authority notified under Regulation (EU) 2023/1543 Art 8 (a delivery received as
  ``enforcing``) may raise no ground (``no_ground``) or raise a ground for refusal of Art 12(1)
  (``raise_ground_for_refusal``), within 10 days, 96 hours in an emergency.

Instructing non-disclosure or raising a ground blocks the addressee's delivery of the same request:
it is told that it must not disclose, never the authority's reasons. Each service is one
transaction with its audit record; a refusal changes nothing and is audit-logged on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation

from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.exchange import grounds, remote
from cyberspex.web.exchange.decision_clock import decision_clock
from cyberspex.web.exchange.delivery import receipt
from cyberspex.web.exchange.models import (
    OPEN_STATUSES,
    Channel,
    Decision,
    DecisionKind,
    Delivery,
    DeliveryRole,
    DeliveryStatus,
    Message,
    ReceiptKind,
)
from cyberspex.web.exchange.selectors import delivery_get
from cyberspex.web.exchange.services import audit

MAX_TEXT = 10_000  # characters of reasons or of a consultation message


@dataclass(frozen=True)
class Taken:
    decision: Decision
    message: Message | None  # the consultation message (``consult``)
    blocked: Delivery | None  # the addressee's delivery the decision blocked
    late: bool  # taken after the end of the period (exchange/decision_clock.py)


def decision_take(
    *, user: User, delivery_id: int, kind: str, grounds: Sequence[str] = (), reasons: str = "", now: datetime
) -> Taken:
    """Record the decision ``kind`` of the authority that received ``delivery_id``; refused (and
    audit-logged, nothing changed) when the user, the delivery or the input does not allow it."""
    try:
        return _take(user=user, delivery_id=delivery_id, kind=kind, codes=list(grounds), reasons=reasons, now=now)
    except ApplicationError as error:
        _refused(user, now, "decision_refused", delivery_id, error, kind=str(kind)[:40])
        raise


def consult(*, user: User, delivery_id: int, message: str, now: datetime) -> Taken:
    """CETS 224 Art 7(5)(d)(i): ask the issuing authority for information (never shown to the provider)."""
    return decision_take(user=user, delivery_id=delivery_id, kind=DecisionKind.CONSULT, reasons=message, now=now)


def no_objection(*, user: User, delivery_id: int, reasons: str = "", now: datetime) -> Taken:
    return decision_take(user=user, delivery_id=delivery_id, kind=DecisionKind.NO_OBJECTION, reasons=reasons, now=now)


def instruct_non_disclosure(*, user: User, delivery_id: int, grounds: Sequence[str], reasons: str, now: datetime) -> Taken:
    """CETS 224 Art 7(5)(c)-(d): instruct the provider not to disclose; the reasons go to the issuing authority."""
    return decision_take(
        user=user, delivery_id=delivery_id, kind=DecisionKind.NON_DISCLOSURE, grounds=grounds, reasons=reasons, now=now
    )


def no_ground(*, user: User, delivery_id: int, reasons: str = "", now: datetime) -> Taken:
    return decision_take(user=user, delivery_id=delivery_id, kind=DecisionKind.NO_GROUND, reasons=reasons, now=now)


def raise_ground_for_refusal(*, user: User, delivery_id: int, grounds: Sequence[str], reasons: str, now: datetime) -> Taken:
    """Regulation (EU) 2023/1543 Art 12(1): raise a ground for refusal; the addressee may not transfer the data."""
    return decision_take(
        user=user, delivery_id=delivery_id, kind=DecisionKind.GROUND_FOR_REFUSAL, grounds=grounds, reasons=reasons, now=now
    )


# -- checks -----------------------------------------------------------------------------------


def _competence(delivery: Delivery, kind: str) -> grounds.Competence:
    competence = grounds.competence(delivery.role)
    if competence is None:
        role = _english(DeliveryRole(delivery.role).label)
        raise ApplicationError(
            f"you received this request as {role}: only a notified or enforcing authority takes these decisions",
            field="kind",
            status=409,
        )
    if kind not in competence.kinds:
        allowed = ", ".join(competence.kinds)
        if kind in DecisionKind.values:
            raise ApplicationError(
                f"{kind} is not a decision of {_english(DeliveryRole(delivery.role).label)}, as which you received this request "
                f"(you may decide: {allowed})",
                field="kind",
                status=409,
            )
        raise ApplicationError(f"unknown kind of decision {str(kind)[:40]!r}: one of {allowed}", field="kind", status=422)
    return competence


def _not_decided(delivery: Delivery, competence: grounds.Competence) -> None:
    if delivery.status == DeliveryStatus.WITHDRAWN:
        raise ApplicationError("the issuing authority withdrew this request: nothing more can be decided", status=409)
    taken = delivery.decisions.filter(kind__in=competence.conclusive).order_by("at").first()
    if taken is not None:
        raise ApplicationError(
            f"already decided: {_english(DecisionKind(taken.kind).label)}, {taken.at.isoformat(timespec='minutes')}; "
            "a decision is taken once",
            field="kind",
            status=409,
        )


def _text(value: str, field: str, *, required: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(required, field=field, status=422)
    if len(text) > MAX_TEXT:
        raise ApplicationError(f"at most {MAX_TEXT} characters ({len(text)} given)", field=field, status=422)
    return text


def _grounds(codes: list[str], kind: str, competence: grounds.Competence) -> list[str]:
    if kind != competence.blocking:
        if codes:
            raise ApplicationError(
                "grounds are given only with an instruction not to disclose or a refusal", field="grounds", status=422
            )
        return []
    if not codes:
        raise ApplicationError(f"choose at least one ground of {competence.blocking_citation}", field="grounds", status=422)
    unknown = [str(c)[:40] for c in codes if grounds.ground(str(c), competence) is None]
    if unknown:
        known = ", ".join(g.code for g in competence.grounds)
        raise ApplicationError(f"unknown ground(s) {', '.join(unknown)}: one of {known}", field="grounds", status=422)
    return list(dict.fromkeys(str(c) for c in codes))


def _reasons(value: str, kind: str, competence: grounds.Competence) -> str:
    if kind == DecisionKind.CONSULT:
        return _text(value, "reasons", required="write what you ask the issuing authority")
    if kind == competence.blocking:
        return _text(value, "reasons", required=f"give your reasons to the issuing authority ({competence.reasons_citation})")
    return _text(value, "reasons")


# -- the transaction --------------------------------------------------------------------------


@transaction.atomic
def _take(*, user: User, delivery_id: int, kind: str, codes: list[str], reasons: str, now: datetime) -> Taken:
    found = delivery_get(user=user, delivery_id=delivery_id, action=Action.DECIDE)
    locked = Delivery.objects.select_for_update().select_related("request", "organisation").get(pk=found.pk)
    competence = _competence(locked, kind)
    _not_decided(locked, competence)
    chosen = _grounds(codes, kind, competence)
    text = _reasons(reasons, kind, competence)
    clock = decision_clock(locked, now)
    late = clock is not None and clock.due_at is not None and now > clock.due_at
    message = None
    if kind == DecisionKind.CONSULT:
        message = Message.objects.create(
            delivery=locked, channel=Channel.CONSULTATION, organisation=locked.organisation, author=user, body=text, at=now
        )
        text = ""  # the question is the message
    decision = Decision.objects.create(delivery=locked, kind=kind, grounds=chosen, reasons=text, by=user, at=now)
    if message is not None:  # after the decision: the event it sends to an issuing peer carries both (exchange/remote.py)
        receipt(locked, ReceiptKind.MESSAGE, at=now, organisation=locked.organisation, by=user)
    blocked = None
    if kind in competence.conclusive:
        _conclude(locked, user, now, kind)
        if kind == competence.blocking:
            blocked = _block_addressee(locked, competence, now, user)
    audit(
        user,
        now,
        Event.CHANGE,
        locked,
        action="decision",
        decision=decision.pk,
        kind=kind,
        grounds=chosen,
        reasons_length=len(text),
        blocked_delivery=blocked.pk if blocked else None,
        late=late,
    )
    return Taken(decision, message, blocked, late)


def _english(label: object) -> str:
    """A choice's label as stored in a record: English, whatever the page's language."""
    with translation.override("en"):
        return str(label)


def _conclude(delivery: Delivery, user: User, now: datetime, kind: str) -> None:
    if delivery.status in OPEN_STATUSES:
        delivery.status = DeliveryStatus.DECIDED
        delivery.save(update_fields=["status"])
    receipt(delivery, ReceiptKind.DECIDED, at=now, organisation=delivery.organisation, by=user)
    if delivery.role == DeliveryRole.ENFORCING:  # the Art 12(1) review clock on the request is done
        delivery.request.deadlines.filter(rule__in=grounds.ENFORCING_RULES, done_at__isnull=True).update(
            done_at=now, done_reason=f"enforcing authority decided: {_english(DecisionKind(kind).label)}"[:300]
        )


def _block_addressee(delivery: Delivery, competence: grounds.Competence, now: datetime, user: User) -> Delivery | None:
    """Tell the addressee of the same request: its delivery is blocked if it has not answered yet;
    an addressee that already answered is told too (the instruction came after its answer), so
    that the instruction is never dropped silently. A "decision taken" receipt, dated and naming
    the authority, is recorded on the addressee's delivery."""
    addressee = Delivery.objects.select_for_update().filter(request=delivery.request, role=DeliveryRole.ADDRESSEE).first()
    if addressee is None or addressee.status == DeliveryStatus.WITHDRAWN:
        return None
    addressee.blocked_at = now
    addressee.blocked_reason = competence.addressee_told
    if addressee.status in OPEN_STATUSES:
        addressee.status = DeliveryStatus.BLOCKED
    addressee.save(update_fields=["status", "blocked_at", "blocked_reason"])
    receipt(addressee, ReceiptKind.DECIDED, at=now, organisation=delivery.organisation, by=user)
    return addressee


# -- the issuing side's reply in a consultation ------------------------------------------------


def consultation_reply(*, user: User, delivery_id: int, message: str, now: datetime) -> Message:
    """The issuing authority answers the consultation of the authority that received ``delivery_id``
    (CETS 224 Art 7(5)(d)(i)); the provider never sees it. Refusals are audit-logged."""
    try:
        return _reply(user=user, delivery_id=delivery_id, message=message, now=now)
    except ApplicationError as error:
        _refused(user, now, "consultation_reply_refused", delivery_id, error)
        raise


@transaction.atomic
def _reply(*, user: User, delivery_id: int, message: str, now: datetime) -> Message:
    found = Delivery.objects.select_related("request__case__organisation").filter(pk=delivery_id).first()
    if (
        found is None
        or found.request.case.erased_at is not None
        or not can(user, Action.RECORD_OUTCOME, found.request.case.organisation)
    ):
        raise NotFound("delivery")
    locked = Delivery.objects.select_for_update().select_related("request__case__organisation").get(pk=found.pk)
    if (
        grounds.competence(locked.role) is None
        or not locked.messages.filter(channel=Channel.CONSULTATION, organisation=locked.organisation).exists()
    ):
        raise ApplicationError("the recipient has not consulted you on this request: there is nothing to reply to", status=409)
    body = _text(message, "message", required="write your reply")
    issuer = locked.request.case.organisation
    reply = Message.objects.create(
        delivery=locked, channel=Channel.CONSULTATION, organisation=issuer, author=user, body=body, at=now
    )
    receipt(locked, ReceiptKind.MESSAGE, at=now, organisation=issuer, by=user)
    remote.tell_message(locked, reply)  # to an authority on a peer: its instance is told
    audit(user, now, Event.DISCLOSE, locked, action="consultation_reply", message=reply.pk, length=len(body))
    return reply


def _refused(user: User, now: datetime, action: str, delivery_id: int, error: ApplicationError, **details: object) -> None:
    found = membership(user)
    with transaction.atomic():
        append(
            at=now,
            actor=user.get_username(),
            organisation=found.organisation.name if found else "",
            event=Event.CHANGE,
            object_type="delivery",
            object_id=str(delivery_id),
            details={"action": action, "status": error.status, "field": error.field, "refusal": error.message[:300], **details},
        )
