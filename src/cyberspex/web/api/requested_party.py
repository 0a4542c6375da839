"""The Article 8 requested Party's operations (exchange/requested_party.py): the completeness
check against CETS 224 Art 8(3) and 8(4), service on the provider, the Art 8(8) decisions and
passing the produced data back; and the requesting side's supplement."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from cyberspex.web.api.auth import TokenAuth
from cyberspex.web.api.errors import ErrorBody
from cyberspex.web.api.inbox import caller
from cyberspex.web.exchange import requested_party
from cyberspex.web.exchange.models import Decision, Delivery, Message

router = Router(auth=TokenAuth(), tags=["requested Party (CETS 224 Art 8)"])
REFUSALS: dict[int, Any] = {403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody}


class CompletenessIn(Schema):
    complete: bool
    missing: list[str] = Field(default_factory=list)  # ids of the checklist (GET /api/v1/inbox/{id}: "checklist")
    reasons: str = ""


class ServiceIn(Schema):
    provider_organisation_id: int  # a provider of the requested Party's State in the directory


class ExecutionIn(Schema):
    decision: str  # conditions, postponed or refused
    reasons: str


class SupplementIn(Schema):
    body: str


def _decision(found: Decision) -> dict[str, Any]:
    return {
        "id": found.pk,
        "delivery_id": found.delivery_id,
        "kind": found.kind,
        "grounds": found.grounds,
        "reasons": found.reasons,
        "at": found.at.isoformat(),
    }


@router.get("/requested-party/checklist", response=list[dict[str, Any]])
def checklist(request: HttpRequest) -> Any:  # noqa: ARG001
    """What CETS 224 Art 8(3) and 8(4) ask the requesting Party to give: the items of the completeness check."""
    return [
        {"id": i.id, "what": i.what, "citation": i.citation, "condition": i.condition, "verified": i.verified}
        for i in requested_party.CHECKLIST
    ]


@router.post("/inbox/{delivery_id}/completeness", response={201: dict[str, Any], **REFUSALS})
def completeness(request: HttpRequest, delivery_id: int, body: CompletenessIn) -> Any:
    """Record that all the Art 8(3) and 8(4) information was received (the 45-day service clock
    starts now), or what is missing (the requesting side is told)."""
    made = requested_party.completeness_check(
        user=caller(request),
        delivery_id=delivery_id,
        complete=body.complete,
        missing=body.missing,
        reasons=body.reasons,
        now=timezone.now(),
    )
    return Status(201, _decision(made))


@router.post("/inbox/{delivery_id}/service", response={201: dict[str, Any], **REFUSALS})
def service(request: HttpRequest, delivery_id: int, body: ServiceIn) -> Any:
    """Serve the order on the provider (it receives the order only); the return clock starts now."""
    child: Delivery = requested_party.serve_provider(
        user=caller(request), delivery_id=delivery_id, provider_organisation_id=body.provider_organisation_id, now=timezone.now()
    )
    return Status(
        201,
        {
            "delivery_id": child.pk,
            "provider": {"id": child.organisation_id, "name": child.organisation.name},
            "package": child.package,
            "served_at": child.delivered_at.isoformat(),
        },
    )


@router.post("/inbox/{delivery_id}/execution", response={201: dict[str, Any], **REFUSALS})
def execution(request: HttpRequest, delivery_id: int, body: ExecutionIn) -> Any:
    """Conditions, postponement or refusal under Art 8(8), with reasons the requesting side sees."""
    made = requested_party.execution(
        user=caller(request), delivery_id=delivery_id, decision=body.decision, reasons=body.reasons, now=timezone.now()
    )
    return Status(201, _decision(made))


@router.post("/inbox/{delivery_id}/pass-back", response={201: dict[str, Any], **REFUSALS})
def pass_back(request: HttpRequest, delivery_id: int) -> Any:
    """Pass the provider's answer and produced data to the requesting side (Art 8(6)(b))."""
    made = requested_party.pass_back(user=caller(request), delivery_id=delivery_id, now=timezone.now())
    return Status(201, _decision(made))


@router.post("/requests/{request_id}/supplement", response={201: dict[str, Any], **REFUSALS})
def supplement(request: HttpRequest, request_id: int, body: SupplementIn) -> Any:
    """The requesting side sends the requested Party what it said was missing."""
    made: Message = requested_party.supplement(user=caller(request), request_id=request_id, body=body.body, now=timezone.now())
    return Status(201, {"id": made.pk, "at": made.at.isoformat()})
