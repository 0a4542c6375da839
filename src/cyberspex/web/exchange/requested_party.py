"""The Article 8 requested Party (CETS 224 Art 8): what the authority that received an Art 8
order on this instance (DeliveryRole.REQUESTED_PARTY, the "authority" package) does with it.

- it checks that it received everything Art 8(3) and 8(4) ask for (``CHECKLIST``); while
  something is missing it says what (Decision INCOMPLETE and a message to the requesting side,
  who answers with a supplement); once it has everything it records so (Decision COMPLETE) and
  the 45-day service clock starts then (Art 8(6)(a)), not at issue;
- it serves the order on a provider in its State (a child Delivery, role SERVED, the
  "provider" package: the provider never sees the 8(3)(b) supporting information); service
  closes the service clock and starts the provider's 20 days (subscriber information) or 45
  days (traffic data);
- it may set conditions, postpone or refuse under Art 8(8), with reasons, which the requesting
  side sees; a refusal ends the request;
- once the provider answered, it passes the produced data back (Art 8(6)(b)); only then does
  the requesting side see the provider's answer (exchange/selectors.issuer_view).

Citations come from the project's reference (2ap.md §1.4, tag T: the wording is not yet checked
line by line against the official text), so every item carries ``verified: False``.

Refusals: an item of another organisation 404; a role that may not decide 403; an item not
received as the requested Party, or a step out of order, 409; bad input 422. Each service is one
transaction with its audit record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_noop

from cyberspex.web.accounts.access import Action, can
from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.models import Event
from cyberspex.web.cases import services as cases
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import remote, routing
from cyberspex.web.exchange.delivery import deliver_to, receipt
from cyberspex.web.exchange.models import (
    Answer,
    Channel,
    Decision,
    DecisionKind,
    Delivery,
    DeliveryRole,
    DeliveryStatus,
    Function,
    Message,
    ReceiptKind,
)
from cyberspex.web.exchange.selectors import delivery_get
from cyberspex.web.exchange.services import audit

FORM = "2ap-8-order"
VERIFIED = False  # 2ap.md §1.4 rows are tag T


@dataclass(frozen=True)
class Item:
    """One thing Art 8(3) or 8(4) asks the requesting Party to give (2ap.md §1.4)."""

    id: str  # the reference's element ID
    what: str  # English; marked for translation (gettext_noop), translated where shown
    citation: str
    fields: tuple[str, ...]  # the 2ap-8-order form's fields that carry it ("" for the statement)
    condition: str = ""  # when it is needed, if not always
    verified: bool = VERIFIED


# The order (8(3)(a)), the supporting information (8(3)(b), never shown to the provider without
# the requesting Party's consent), the optional instructions (8(3)(c)) and what the requested
# Party declared it needs (8(4)). The form definition's fields carry the same elements and
# citations (tests/web/exchange/test_requested_party.py checks they agree).
CHECKLIST: tuple[Item, ...] = (
    Item(
        "2AP-A8-3-a-i",
        gettext_noop("Issuing authority and date of the order"),
        "CETS 224 Art 8(3)(a)(i)",
        ("issuing_authority", "date_of_issue"),
    ),
    Item(
        "2AP-A8-3-a-ii", gettext_noop("Statement that the order is submitted under this Protocol"), "CETS 224 Art 8(3)(a)(ii)", ()
    ),
    Item(
        "2AP-A8-3-a-iii",
        gettext_noop("Name and address of the provider(s) to be served"),
        "CETS 224 Art 8(3)(a)(iii)",
        ("provider",),
    ),
    Item(
        "2AP-A8-3-a-iv", gettext_noop("Offence(s) under investigation or prosecution"), "CETS 224 Art 8(3)(a)(iv)", ("offences",)
    ),
    Item(
        "2AP-A8-3-a-v",
        gettext_noop("Authority seeking the information or data"),
        "CETS 224 Art 8(3)(a)(v)",
        ("requesting_authority",),
        condition=gettext_noop("if not the issuing authority"),
    ),
    Item(
        "2AP-A8-3-a-vi",
        gettext_noop("Detailed description of the specific information or data sought"),
        "CETS 224 Art 8(3)(a)(vi)",
        ("data_sought",),
    ),
    Item(
        "2AP-A8-3-b-i",
        gettext_noop("Domestic legal grounds empowering the authority to issue the order"),
        "CETS 224 Art 8(3)(b)(i)",
        ("legal_grounds",),
    ),
    Item(
        "2AP-A8-3-b-ii",
        gettext_noop("Legal provisions and applicable penalties for the offence(s)"),
        "CETS 224 Art 8(3)(b)(ii)",
        ("offences.provisions", "offences.max_penalty_years"),
    ),
    Item(
        "2AP-A8-3-b-iii",
        gettext_noop("Why the requesting Party believes the provider possesses or controls the data"),
        "CETS 224 Art 8(3)(b)(iii)",
        ("possession_reasons",),
    ),
    Item(
        "2AP-A8-3-b-iv",
        gettext_noop("Summary of the facts of the investigation or proceeding"),
        "CETS 224 Art 8(3)(b)(iv)",
        ("summary_of_facts",),
    ),
    Item(
        "2AP-A8-3-b-v",
        gettext_noop("Relevance of the information or data to the investigation or proceeding"),
        "CETS 224 Art 8(3)(b)(v)",
        ("relevance",),
    ),
    Item(
        "2AP-A8-3-b-vi",
        gettext_noop("Contact information of the authority or authorities that can give further information"),
        "CETS 224 Art 8(3)(b)(vi)",
        ("contact_authority",),
    ),
    Item(
        "2AP-A8-3-b-vii",
        gettext_noop("Whether preservation was already sought, with its date and any reference number"),
        "CETS 224 Art 8(3)(b)(vii)",
        ("preservation",),
    ),
    Item(
        "2AP-A8-3-b-viii",
        gettext_noop("Whether the information or data has already been sought by other means, and if so how"),
        "CETS 224 Art 8(3)(b)(viii)",
        ("other_means",),
    ),
    Item(
        "2AP-A8-3-c",
        gettext_noop("Special procedural instructions"),
        "CETS 224 Art 8(3)(c)",
        ("special_instructions",),
        condition=gettext_noop("optional: only if the requesting Party asks for them"),
    ),
    Item(
        "2AP-A8-4",
        gettext_noop("Additional supporting information the requested Party declared it needs"),
        "CETS 224 Art 8(4)",
        ("additional_information",),
        condition=gettext_noop("only if the requested Party made an Art 8(4) declaration"),
    ),
)
ITEMS = {item.id: item for item in CHECKLIST}

# CETS 224 Art 8(8) (2ap.md 2AP-A8-8, tag T): refusal on the grounds of ETS 185 Art 25(4) or
# 27(4), conditions, postponement on the grounds of ETS 185 Art 27(5); notified as soon as practicable.
EXECUTION: dict[str, tuple[DecisionKind, str]] = {
    "conditions": (DecisionKind.CONDITIONS, "CETS 224 Art 8(8)"),
    "postponed": (DecisionKind.POSTPONED, "CETS 224 Art 8(8); ETS 185 Art 27(5)"),
    "refused": (DecisionKind.REFUSED, "CETS 224 Art 8(8); ETS 185 Art 25(4) or 27(4)"),
}
MAX_REASONS = 4000


# -- state of an item -------------------------------------------------------------------------


def _kinds(delivery: Delivery) -> set[str]:
    return set(delivery.decisions.values_list("kind", flat=True))


def complete_at(delivery: Delivery) -> datetime | None:
    found = delivery.decisions.filter(kind=DecisionKind.COMPLETE).order_by("at").first()
    return found.at if found else None


def served(delivery: Delivery) -> Delivery | None:
    """The delivery of the order to the provider the requested Party served, if any."""
    return delivery.children.filter(role=DeliveryRole.SERVED).select_related("organisation").first()


def refused(delivery: Delivery) -> bool:
    return DecisionKind.REFUSED in _kinds(delivery)


def passed_back(delivery: Delivery) -> bool:
    return DecisionKind.DATA_PASSED_BACK in _kinds(delivery)


def providers_to_serve(delivery: Delivery) -> list[Organisation]:
    """The directory's providers in the requested Party's State."""
    state = delivery.organisation.country
    found = Organisation.objects.select_related("policy").order_by("name", "pk")
    return [o for o in found if routing.has_function(o, frozenset({Function.PROVIDER})) and routing.serves_state(o, state)]


# -- checks -------------------------------------------------------------------------------------


def _item(user: User, delivery_id: int) -> Delivery:
    """The requested Party's item, locked: 404 for another organisation, 403 for a role that may
    not decide, 409 for an item not received as the requested Party."""
    found = delivery_get(user=user, delivery_id=delivery_id, action=Action.DECIDE)
    if found.role != DeliveryRole.REQUESTED_PARTY:
        raise ApplicationError(
            "this item was not received as the requested Party of an Article 8 order (CETS 224 Art 8)", status=409
        )
    return Delivery.objects.select_for_update().select_related("request", "organisation", "signed_by").get(pk=found.pk)


def _open(delivery: Delivery) -> None:
    if refused(delivery):
        raise ApplicationError("execution of this order was refused (CETS 224 Art 8(8)): nothing more is done", status=409)
    if delivery.request.state == State.WITHDRAWN:
        raise ApplicationError("the requesting authority withdrew this order", status=409)


def _reasons(reasons: str, *, required: bool) -> str:
    reasons = reasons.strip()
    if required and not reasons:
        raise ApplicationError(
            "give the reasons: the requesting Party is told them (CETS 224 Art 8(8))", field="reasons", status=422
        )
    if len(reasons) > MAX_REASONS:
        raise ApplicationError(f"the reasons are longer than {MAX_REASONS} characters", field="reasons", status=422)
    return reasons


def _decide(delivery: Delivery, kind: DecisionKind, *, user: User, now: datetime, grounds: list[str], reasons: str) -> Decision:
    decision = Decision.objects.create(delivery=delivery, kind=kind, grounds=grounds, reasons=reasons, by=user, at=now)
    receipt(delivery, ReceiptKind.DECIDED, at=now, organisation=delivery.organisation, by=user)
    return decision


def _request(delivery: Delivery) -> Request:
    return Request.objects.select_for_update().get(pk=delivery.request_id)


# -- services -----------------------------------------------------------------------------------


@transaction.atomic
def completeness_check(
    *, user: User, delivery_id: int, complete: bool, missing: list[str], reasons: str, now: datetime
) -> Decision:
    """Record whether the requested Party has all the Art 8(3) and 8(4) information.

    Incomplete: what is missing (ids of ``CHECKLIST``) is recorded and sent to the requesting
    side as a message. Complete: the time is recorded and the 45-day service clock starts from
    it (CETS 224 Art 8(6)(a))."""
    delivery = _item(user, delivery_id)
    _open(delivery)
    if complete_at(delivery) is not None:
        raise ApplicationError("completeness is already recorded for this order", status=409)
    reasons = _reasons(reasons, required=False)
    unknown = [m for m in missing if m not in ITEMS]
    if unknown:
        raise ApplicationError(
            f"not an item of CETS 224 Art 8(3) or 8(4): {', '.join(map(str, unknown))}",
            field="missing",
            status=422,
            extra={"items": list(ITEMS)},
        )
    missing = list(dict.fromkeys(missing))
    if complete and missing:
        raise ApplicationError(
            "an order with missing items is not complete: record it as incomplete", field="missing", status=422
        )
    if not complete and not missing:
        raise ApplicationError("say which items are missing", field="missing", status=422, extra={"items": list(ITEMS)})
    if complete:
        decision = _decide(delivery, DecisionKind.COMPLETE, user=user, now=now, grounds=[], reasons=reasons)
        request = _request(delivery)
        cases.start_service_clock(request, now)
        audit(user, now, Event.CHANGE, delivery, decision=decision.kind, citation="CETS 224 Art 8(6)(a)")
        return decision
    decision = _decide(delivery, DecisionKind.INCOMPLETE, user=user, now=now, grounds=missing, reasons=reasons)
    lines = [f"- {ITEMS[m].what} ({ITEMS[m].citation})" for m in missing]
    body = "Information missing to give effect to the order (CETS 224 Art 8(3), 8(4)):\n" + "\n".join(lines)
    if reasons:
        body += f"\n\n{reasons}"
    Message.objects.create(
        delivery=delivery, channel=Channel.CLARIFICATION, organisation=delivery.organisation, author=user, body=body, at=now
    )
    receipt(delivery, ReceiptKind.MESSAGE, at=now, organisation=delivery.organisation, by=user)
    audit(user, now, Event.CHANGE, delivery, decision=decision.kind, missing=missing)
    return decision


@transaction.atomic
def supplement(*, user: User, request_id: int, body: str, now: datetime) -> Message:
    """The requesting side sends what the requested Party said was missing (a message on its
    item); the requested Party then records completeness."""
    request = cases.request_get(user=user, request_id=request_id, action=Action.DRAFT_REQUEST)
    delivery = (
        Delivery.objects.select_for_update()
        .select_related("request", "organisation")
        .filter(request=request, role=DeliveryRole.REQUESTED_PARTY)
        .first()
    )
    if delivery is None:
        raise ApplicationError("this request was not delivered to a requested Party on this platform", status=409)
    _open(delivery)
    if complete_at(delivery) is not None:
        raise ApplicationError("the requested Party already recorded that it has all the information", status=409)
    if not delivery.decisions.filter(kind=DecisionKind.INCOMPLETE).exists():
        raise ApplicationError("the requested Party has not said that anything is missing", status=409)
    body = body.strip()
    if not body:
        raise ApplicationError("write the supplement", field="body", status=422)
    if len(body) > MAX_REASONS:
        raise ApplicationError(f"the supplement is longer than {MAX_REASONS} characters", field="body", status=422)
    organisation = request.case.organisation
    message = Message.objects.create(
        delivery=delivery, channel=Channel.CLARIFICATION, organisation=organisation, author=user, body=body, at=now
    )
    receipt(delivery, ReceiptKind.MESSAGE, at=now, organisation=organisation, by=user)
    remote.tell_message(delivery, message, supplement=True)  # to a requested Party on a peer: its instance is told
    audit(user, now, Event.CHANGE, delivery, message=message.pk, supplement=True)
    return message


@transaction.atomic
def serve_provider(*, user: User, delivery_id: int, provider_organisation_id: int, now: datetime) -> Delivery:
    """Serve the order on a provider in the requested Party's State (CETS 224 Art 8(6)(a)): the
    provider receives the order only, the service clock is done, and the return clock starts."""
    delivery = _item(user, delivery_id)
    _open(delivery)
    if complete_at(delivery) is None:
        raise ApplicationError(
            "record first that all the Art 8(3) and 8(4) information was received, then serve the provider", status=409
        )
    if served(delivery) is not None or delivery.request.served_at is not None:
        raise ApplicationError("the order was already served on the provider", status=409)
    provider = Organisation.objects.select_related("policy").filter(pk=provider_organisation_id).first()
    if provider is None or provider not in providers_to_serve(delivery):
        raise ApplicationError(
            f"no service provider {provider_organisation_id} in {delivery.organisation.country} in the directory",
            field="provider_organisation_id",
            status=422,
        )
    request = _request(delivery)
    child = deliver_to(
        request,
        organisation=provider,
        role=DeliveryRole.SERVED,
        package="provider",  # the order only: the 8(3)(b) supporting information is in no provider package
        by=user,
        now=now,
        exercise=delivery.exercise,
        signer=delivery.organisation,  # the requested Party serves it
        signatories=lambda language: cases.document_signatories(request, language),
        parent=delivery,
    )
    cases.record_service(request, now)
    _decide(delivery, DecisionKind.SERVED, user=user, now=now, grounds=[], reasons=provider.name)
    receipt(delivery, ReceiptKind.SERVED, at=now, organisation=delivery.organisation, by=user)
    audit(user, now, Event.DISCLOSE, delivery, served=child.pk, provider=provider.name, citation="CETS 224 Art 8(6)(a)")
    return child


@transaction.atomic
def execution(*, user: User, delivery_id: int, decision: str, reasons: str, now: datetime) -> Decision:
    """Conditions, postponement or refusal under CETS 224 Art 8(8), with reasons the requesting
    side sees. A refusal moves the request to refused and closes its deadlines."""
    delivery = _item(user, delivery_id)
    _open(delivery)
    if decision not in EXECUTION:
        raise ApplicationError(f"the decision is one of: {', '.join(EXECUTION)}", field="decision", status=422)
    if passed_back(delivery):
        raise ApplicationError("the produced data was already passed back", status=409)
    kind, citation = EXECUTION[decision]
    text = _reasons(reasons, required=True)
    if kind == DecisionKind.REFUSED:  # before the receipt, which reports the delivery's state (exchange/remote.py)
        delivery.status = DeliveryStatus.DECIDED
        delivery.save(update_fields=["status"])
    made = _decide(delivery, kind, user=user, now=now, grounds=[citation], reasons=text)
    if kind == DecisionKind.REFUSED:
        cases.refused_by_requested_party(_request(delivery), party=delivery.organisation, grounds=citation, by=user, at=now)
    audit(user, now, Event.CHANGE, delivery, decision=kind, citation=citation)
    return made


@transaction.atomic
def pass_back(*, user: User, delivery_id: int, now: datetime) -> Decision:
    """Pass the provider's answer and produced data to the requesting side (CETS 224 Art 8(6)(b))."""
    delivery = _item(user, delivery_id)
    _open(delivery)
    child = served(delivery)
    if child is None:
        raise ApplicationError("the order has not been served on a provider", status=409)
    answer = Answer.objects.filter(delivery=child).first()
    if answer is None:
        raise ApplicationError("the provider has not answered yet", status=409)
    if passed_back(delivery):
        raise ApplicationError("the produced data was already passed back", status=409)
    delivery.status = DeliveryStatus.DECIDED  # before the receipt, which reports the delivery's state
    delivery.save(update_fields=["status"])
    made = _decide(delivery, DecisionKind.DATA_PASSED_BACK, user=user, now=now, grounds=[], reasons="")
    request = _request(delivery)
    request.deadlines.filter(rule__in=cases.RUNS_FROM_SERVICE, done_at__isnull=True).update(
        done_at=answer.at, done_reason=gettext_noop("the provider answered; passed back by the requested Party")
    )
    files = list(answer.files.values_list("sha256", flat=True))
    audit(
        user,
        now,
        Event.DISCLOSE,
        delivery,
        answer=answer.pk,
        outcome=answer.outcome,
        files=files,
        citation="CETS 224 Art 8(6)(b)",
    )
    return made


def may_decide(user: User, delivery: Delivery) -> bool:
    return delivery.role == DeliveryRole.REQUESTED_PARTY and can(user, Action.DECIDE, delivery.organisation)
