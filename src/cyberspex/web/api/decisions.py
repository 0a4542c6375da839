"""Decisions of the authorities notified of a request: the authority notified under CETS 224
Art 7(5)(a) and the enforcing authority under Regulation (EU) 2023/1543 Arts 8 and 12
(cyberspex/web/exchange/decisions.py). What a recipient sees is decided in exchange/selectors.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from cyberspex.web.api.auth import TokenAuth
from cyberspex.web.api.errors import ErrorBody
from cyberspex.web.api.inbox import caller
from cyberspex.web.exchange import decisions, grounds, selectors
from cyberspex.web.exchange.decision_clock import Clock, decision_clock
from cyberspex.web.exchange.models import Channel, Decision, Message

router = Router(auth=TokenAuth())


class DecisionIn(Schema):
    kind: str  # consult, no_objection, non_disclosure (notified authority); consult, no_ground, ground_for_refusal (enforcing)
    grounds: list[str] = Field(default_factory=list)  # codes from GET .../decisions, with non_disclosure or ground_for_refusal
    reasons: str = ""  # required with non_disclosure and ground_for_refusal; with consult: the question


def decision_body(decision: Decision, *, message: Message | None = None, late: bool | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": decision.pk,
        "delivery_id": decision.delivery_id,
        "kind": decision.kind,
        "label": decision.get_kind_display(),
        "grounds": decision.grounds,
        "reasons": decision.reasons,
        "at": decision.at.isoformat(),
    }
    if message is not None:
        body["message"] = message_body(message)
    if late is not None:
        body["late"] = late
    return body


def message_body(message: Message) -> dict[str, Any]:
    return {"from": message.organisation.name, "at": message.at.isoformat(), "body": message.body}


def clock_body(clock: Clock | None, now: datetime) -> dict[str, Any] | None:
    if clock is None:
        return None
    period = clock.period
    return {
        "started_at": clock.started_at.isoformat(),
        "due_at": clock.due_at.isoformat() if clock.due_at else None,
        "period": str(period.text),
        "citation": period.citation,
        "reference": period.reference,
        "verified": period.verified,
        "from_route_advice": clock.deadline is not None,
        "decided_at": clock.decided_at.isoformat() if clock.decided_at else None,
        "elapsed_seconds": int(clock.elapsed.total_seconds()),
        "left_seconds": int(clock.left.total_seconds()) if clock.left is not None else None,
        "overdue": clock.overdue,
        "as_of": now.isoformat(),
    }


@router.post(
    "/inbox/{delivery_id}/decisions",
    response={201: dict[str, Any], 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody},
    tags=["inbox"],
)
def decision_create(request: HttpRequest, delivery_id: int, body: DecisionIn) -> Any:
    """Take a decision on what was delivered to your organisation as a notified authority (CETS 224
    Art 7(5)) or as the enforcing authority (Regulation (EU) 2023/1543 Arts 8, 12). A decision that
    blocks the addressee tells it not to disclose, never your reasons; they go to the issuing authority."""
    taken = decisions.decision_take(
        user=caller(request),
        delivery_id=delivery_id,
        kind=body.kind,
        grounds=body.grounds,
        reasons=body.reasons,
        now=timezone.now(),
    )
    return Status(201, decision_body(taken.decision, message=taken.message, late=taken.late))


@router.get("/inbox/{delivery_id}/decisions", response={200: dict[str, Any], 404: ErrorBody}, tags=["inbox"])
def decision_list(request: HttpRequest, delivery_id: int) -> Any:
    """Your organisation's decisions on one inbox item, its decision clock, the consultation with the
    issuing authority and what you may decide, with the grounds and their citations (an addressee:
    none of these)."""
    now = timezone.now()
    item = selectors.delivery_get(user=caller(request), delivery_id=delivery_id)
    competence = grounds.competence(item.role)
    thread = [m for m in selectors.messages_visible(item) if m.channel == Channel.CONSULTATION]
    return Status(
        200,
        {
            "delivery_id": item.pk,
            "role": item.role,
            "decisions": [decision_body(d) for d in selectors.decisions_visible(item)],
            "clock": clock_body(decision_clock(item, now), now),
            "consultation": [message_body(m) for m in thread],
            "kinds": list(competence.kinds) if competence else [],
            "grounds": [
                {"code": g.code, "text": str(g.text), "citation": g.citation, "reference": g.reference, "verified": g.verified}
                for g in (competence.grounds if competence else ())
            ],
        },
    )
