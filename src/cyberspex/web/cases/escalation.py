"""Escalation without retyping: a new draft pre-filled from an issued request, when the law or the
route advice says the next step is another instrument. One table (source form -> target form,
the fields carried, the condition, the citation), one function.

- Art 7 lapse -> Art 8 (CETS 224 Art 7(7), 2ap.md 2AP-A7-7): once the provider refused or did not
  disclose in time, the issuing Party may seek the data only through Art 8 or other mutual
  assistance.
- Preservation -> production: a European Preservation Order preserves data for a subsequent
  request for production (Regulation (EU) 2023/1543 Art 3(2), Art 11(1); eu-e-evidence.md
  DEF-EPresO, DL-8, V1) -> a European Production Order. A preservation under ETS 185 Art 29 is
  made in view of a request for mutual assistance (Art 29(1), 29(2)(f); 2ap.md BC-29, V): the
  platform has no form for an ordinary mutual assistance request, so an Article 8 order (CETS 224)
  is offered, which records the earlier preservation (Art 8(3)(b)(vii)); its own route advice
  says whether that route is open.
- Emergency -> formal follow-up: after an Art 9 request is executed, a Party that declared under
  Art 9(5) requires the request in the format and through the channel it specifies, possibly
  mutual assistance (2ap.md 2AP-A9-5, D-9-5). The route advice reports it as the requirement
  ``formal_follow_up`` (docs/route-json.md §8). The format is the declaration's and is not
  recorded: the Article 8 order is offered; where the advice does not report the requirement the
  follow-up is offered as optional, without asserting a duty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from cyberspex.forms.definitions import forms
from cyberspex.web.accounts.access import Action
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError

FOLLOW_UP_STATES = (State.LAPSED, State.REFUSED, State.PARTIALLY_ANSWERED)
META = ("language", "recipient_languages", "recipient_state")


def article_7_follow_up_due(request: Request, now: datetime) -> bool:
    """CETS 224 Art 7(7): refused, lapsed, partly answered, or not answered by the fallback date."""
    if request.issued_at is None:
        return False
    if request.state in FOLLOW_UP_STATES:
        return True
    fallback = request.deadlines.filter(rule="cets224.art7.7.fallback").first()
    return fallback is not None and fallback.due_at <= now and request.state in (State.ISSUED, State.ACKNOWLEDGED)


def _issued(request: Request, _now: datetime) -> bool:
    return request.issued_at is not None and request.state != State.WITHDRAWN


def formal_follow_up(request: Request) -> bool | str | None:
    """What the request's route advice says of a formal follow-up (CETS 224 Art 9(5)): True (the
    requested Party's declaration is recorded), "conditional" (it may have made one), None (not reported)."""
    for requirement in request.route_advice.get("route", {}).get("requirements", []):
        if requirement.get("code") == "formal_follow_up":
            applies = requirement.get("applies")
            return applies if applies in (True, "conditional") else None
    return None


def _issued_on(request: Request) -> str:
    return request.issued_at.date().isoformat() if request.issued_at else ""


def _art7_extra(source: Request, _now: datetime) -> dict[str, Any]:
    return {
        "other_means": {
            "sought": True,
            "details": f"Order under Article 7 of the Protocol issued on {_issued_on(source)} (request #{source.pk}); "
            f"outcome: {source.state}.",
        }
    }


def _preserved_extra(source: Request, _now: datetime) -> dict[str, Any]:
    return {"preservation": {"sought": True, "date": _issued_on(source), "reference": f"request #{source.pk}"}}


def _art9_extra(source: Request, _now: datetime) -> dict[str, Any]:
    return {
        "other_means": {
            "sought": True,
            "details": f"Emergency request under Article 9 of the Protocol issued on {_issued_on(source)} "
            f"(request #{source.pk}).",
        }
    }


def _epoc_pr_extra(_source: Request, _now: datetime) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Escalation:
    source: str  # form id
    target: str  # form id
    label: str  # what the button says
    carried: tuple[str, ...]  # fields of the source copied as they are
    condition: Callable[[Request, datetime], bool]
    refusal: str  # why it is refused when the condition does not hold (with its citation)
    citation: str
    built: Callable[[Request, datetime], dict[str, Any]]  # fields built from the source
    idempotency: str = "escalation-{source}-{target}"


CARRIED_TO_ARTICLE_8 = (
    *META,
    "issuing_authority",
    "provider",
    "offences",
    "requesting_authority",
    "data_sought",
    "legal_grounds",
    "contact_authority",
    "preservation",
    "summary_of_facts",
)

ESCALATIONS: tuple[Escalation, ...] = (
    Escalation(
        "2ap-7-order",
        "2ap-8-order",
        "Article 7 lapse: draft the Article 8 order",
        CARRIED_TO_ARTICLE_8,
        article_7_follow_up_due,
        "an Article 8 order follows an Article 7 order that was refused, lapsed or not answered within its time "
        "(CETS 224 Art 7(7))",
        "CETS 224 Art 7(7)",
        _art7_extra,
        idempotency="follow-up-of-{source}",
    ),
    Escalation(
        "eu-epoc-pr",
        "eu-epoc",
        "Preservation to production: draft the European Production Order",
        (
            *META,
            "issuing_authority",
            "validating_authority",
            "issuing_authority_type",
            "validating_authority_type",
            "addressee",
            "data_sought",
            "offences",
        ),
        _issued,
        "a European Production Order follows an issued European Preservation Order (Regulation (EU) 2023/1543 Art 3(2))",
        "Regulation (EU) 2023/1543 Art 3(2), Art 11(1)",
        _epoc_pr_extra,
    ),
    Escalation(
        "bc-29-request",
        "2ap-8-order",
        "Preservation to production: draft an Article 8 order (CETS 224)",
        (*META, "issuing_authority", "provider", "offences", "data_sought", "summary_of_facts"),
        _issued,
        "production follows an issued preservation request (ETS 185 Art 29(1))",
        "ETS 185 Art 29(1), 29(2)(f); CETS 224 Art 8(3)(b)(vii)",
        _preserved_extra,
    ),
    Escalation(
        "2ap-9-request",
        "2ap-8-order",
        "Emergency to formal follow-up: draft an Article 8 order",
        (*META, "issuing_authority", "provider", "offences", "data_sought"),
        _issued,
        "the formal follow-up comes after an issued Article 9 request (CETS 224 Art 9(5))",
        "CETS 224 Art 9(5)",
        _art9_extra,
    ),
)


def escalations_from(form_id: str) -> list[Escalation]:
    return [e for e in ESCALATIONS if e.source == form_id]


def find(source: str, target: str) -> Escalation:
    found = next((e for e in ESCALATIONS if e.source == source and e.target == target), None)
    if found is None:
        offered = ", ".join(e.target for e in escalations_from(source)) or "none"
        raise ApplicationError(f"a {source} is not escalated to {target} (from {source}: {offered})", field="to_form", status=409)
    return found


def carried_data(escalation: Escalation, source: Request, now: datetime) -> dict[str, Any]:
    """The target's pre-filled data: the carried fields the target form knows, what is built from
    the source, and today's date of issue. A data category the target cannot carry is left out."""
    target = forms()[escalation.target]
    data = {k: source.data[k] for k in escalation.carried if k in source.data}
    sought = data.get("data_sought")
    if isinstance(sought, dict) and sought.get("category") not in target.data_categories:
        data["data_sought"] = {k: v for k, v in sought.items() if k != "category"}
    data.update(escalation.built(source, now))
    data["date_of_issue"] = now.date().isoformat()
    return data


@dataclass(frozen=True)
class Offer:
    """An escalation as the request page shows it."""

    target: str
    label: str
    citation: str
    available: bool
    duty: bool | str | None  # Art 9(5): True, "conditional", None (optional: no duty asserted)


def offers(request: Request, now: datetime) -> list[Offer]:
    out = []
    for escalation in escalations_from(request.form_id):
        duty = formal_follow_up(request) if escalation.source == "2ap-9-request" else None
        out.append(Offer(escalation.target, escalation.label, escalation.citation, escalation.condition(request, now), duty))
    return out


def escalate(*, user: User, request_id: int, to_form: str, now: datetime, idempotency_key: str = "") -> tuple[Request, bool]:
    """Draft the ``to_form`` request that follows the issued request ``request_id``, pre-filled from it.
    Asked twice, gives the same draft."""
    from cyberspex.web.cases import services  # noqa: PLC0415  # services uses this module

    source = services.request_get(user=user, request_id=request_id, action=Action.DRAFT_REQUEST)
    escalation = find(source.form_id, to_form)
    if not escalation.condition(source, now):
        raise ApplicationError(escalation.refusal, status=409)
    return services.request_draft(
        user=user,
        case_id=source.case_id,
        form_id=escalation.target,
        data=carried_data(escalation, source, now),
        now=now,
        idempotency_key=idempotency_key or escalation.idempotency.format(source=source.pk, target=escalation.target),
        what_if=services.what_if_of(source),
    )
