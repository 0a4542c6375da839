"""The API of 24/7 points of contact and central authorities receiving an emergency request
(exchange/emergency.py): the check of the emergency facts, the hand-off, oral requests and their
written confirmation (CETS 224 Art 9(4)); and, for the issuing side, escalation without
retyping (cases/escalation.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from cyberspex.web.api.auth import TokenAuth
from cyberspex.web.api.errors import ErrorBody
from cyberspex.web.api.inbox import caller
from cyberspex.web.cases import escalation
from cyberspex.web.exchange import emergency
from cyberspex.web.exchange.models import Decision, Delivery, OralRequest

router = Router(auth=TokenAuth())
REFUSALS = {403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody}


class EmergencyCheckIn(Schema):
    accepted: bool
    reasons: str = Field(default="", max_length=5000)
    checked: list[str] = Field(default_factory=list, max_length=20)  # the checklist's fields confirmed


class DecisionOut(Schema):
    id: int
    delivery_id: int
    kind: str
    grounds: list[Any]
    reasons: str
    at: datetime


@router.post("/inbox/{delivery_id}/emergency-check", response={201: DecisionOut, **REFUSALS}, tags=["emergency"])
def emergency_check(request: HttpRequest, delivery_id: int, body: EmergencyCheckIn) -> Any:
    """Record the check of an emergency item's facts (24/7 point of contact: CETS 224 Art 9, ETS 185
    Art 29; central authority: CETS 224 Art 10): accepted, every point of the checklist confirmed, or
    not accepted with reasons. The requesting side sees the decision and its reasons."""
    made: Decision = emergency.emergency_check(
        user=caller(request),
        delivery_id=delivery_id,
        accepted=body.accepted,
        reasons=body.reasons,
        checked=body.checked,
        now=timezone.now(),
    )
    return Status(201, made)


class HandOffIn(Schema):
    organisation_id: int  # from GET /directory
    fields: list[str] | None = Field(default=None, max_length=30)  # to a provider, where the form has no provider package


class HandOffOut(Schema):
    id: int
    parent_id: int
    organisation: str
    role: str
    package: str
    content_fields: list[str]
    delivered_at: datetime

    @staticmethod
    def resolve_organisation(obj: Delivery) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_content_fields(obj: Delivery) -> list[str]:
        return sorted(obj.content)


@router.post("/inbox/{delivery_id}/hand-off", response={201: HandOffOut, **REFUSALS}, tags=["emergency"])
def hand_off(request: HttpRequest, delivery_id: int, body: HandOffIn) -> Any:
    """Hand an accepted emergency item off: to the provider, or an Art 10 request received by the
    24/7 point of contact to the central authority. A new signed delivery to that organisation."""
    made = emergency.hand_off(
        user=caller(request),
        delivery_id=delivery_id,
        organisation_id=body.organisation_id,
        fields=body.fields,
        now=timezone.now(),
    )
    return Status(201, made)


class OralRequestIn(Schema):
    caller_name: str = Field(max_length=200)
    caller_authority: str = Field(max_length=200)
    caller_state: str = Field(max_length=2)
    caller_phone: str = Field(default="", max_length=50)
    called_at: datetime  # ISO 8601 with a time zone
    asked: str = Field(max_length=5000)
    emergency_facts: str = Field(max_length=5000)
    callback_verified: bool = False  # the caller was called back on a number known independently


class OralRequestOut(Schema):
    id: int
    caller_name: str
    caller_authority: str
    caller_state: str
    caller_phone: str
    called_at: datetime
    asked: str
    emergency_facts: str
    callback_verified: bool
    taken_by: str
    recorded_at: datetime
    elapsed: str  # since the call, as of this answer
    confirmation_outstanding: bool
    confirmed_at: datetime | None
    confirmation_delivery_id: int | None
    confirmation_note: str
    confirmation_date: date | None

    @staticmethod
    def resolve_taken_by(obj: OralRequest) -> str:
        return str(obj.taken_by.get_username())

    @staticmethod
    def resolve_elapsed(obj: OralRequest) -> str:
        return emergency.elapsed(obj.called_at, timezone.now())

    @staticmethod
    def resolve_confirmation_outstanding(obj: OralRequest) -> bool:
        return obj.confirmed_at is None


@router.get("/oral-requests", response=list[OralRequestOut], tags=["emergency"])
def oral_requests_list(request: HttpRequest) -> Any:
    """Emergency requests your organisation took by telephone, those still to be confirmed in writing first."""
    return list(emergency.oral_requests(user=caller(request))[:200])


@router.post("/oral-requests", response={201: OralRequestOut, **REFUSALS}, tags=["emergency"])
def oral_requests_create(request: HttpRequest, body: OralRequestIn) -> Any:
    """Record an emergency request received by telephone from a foreign 24/7 point of contact
    (CETS 224 Art 9(4)); your organisation must be a 24/7 point of contact."""
    return Status(201, emergency.oral_intake_create(user=caller(request), now=timezone.now(), **body.dict()))


class ConfirmationIn(Schema):
    delivery_id: int | None = None  # the written request, delivered to your inbox
    note: str = Field(default="", max_length=5000)  # or: the written confirmation received by other means...
    confirmation_date: date | None = None  # ...and its date


@router.post("/oral-requests/{oral_request_id}/confirmation", response={200: OralRequestOut, **REFUSALS}, tags=["emergency"])
def oral_requests_confirm(request: HttpRequest, oral_request_id: int, body: ConfirmationIn) -> Any:
    """Record the written confirmation of an oral request."""
    return Status(
        200,
        emergency.oral_intake_confirm(
            user=caller(request),
            oral_request_id=oral_request_id,
            now=timezone.now(),
            delivery_id=body.delivery_id,
            note=body.note,
            confirmation_date=body.confirmation_date,
        ),
    )


class EscalationIn(Schema):
    to_form: str = Field(max_length=40)


class EscalationOut(Schema):
    id: int
    case_id: int
    form_id: str
    state: str
    data: dict[str, Any]


@router.post(
    "/requests/{request_id}/escalations", response={200: EscalationOut, 201: EscalationOut, **REFUSALS}, tags=["requests"]
)
def requests_escalate(request: HttpRequest, request_id: int, body: EscalationIn) -> Any:
    """Draft the request that follows an issued one, pre-filled from it (Art 7 lapse to Art 8,
    preservation to production, emergency to formal follow-up). Asked again, gives the same draft (200)."""
    made, created = escalation.escalate(
        user=caller(request),
        request_id=request_id,
        to_form=body.to_form,
        now=timezone.now(),
        idempotency_key=request.headers.get("Idempotency-Key", "")[:100],
    )
    return Status(201 if created else 200, made)
