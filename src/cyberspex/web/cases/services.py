"""Everything that changes a case or a request. Each function is one transaction and writes
its audit record inside it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from cyberspex.forms.definitions import forms
from cyberspex.forms.document import Signatory
from cyberspex.forms.i18n import MissingText
from cyberspex.forms.issues import Severity
from cyberspex.forms.package import build_document, package_data
from cyberspex.forms.quality import QualityContext, route_scenario
from cyberspex.forms.signatories import signatories_from_json
from cyberspex.forms.validate import validate
from cyberspex.law.advisor import assess
from cyberspex.law.errors import InvalidScenario
from cyberspex.law.report import to_json
from cyberspex.law.scenario import DataCategory, WhatIf
from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.cases import approval, escalation
from cyberspex.web.cases.lifecycle import action_for
from cyberspex.web.cases.models import Case, Classification, Deadline, Request, State, Transition
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.exchange import delivery, routing
from cyberspex.web.knowledge.reference import current_reference
from cyberspex.web.validation import check_case_identifiers


def _who(user: User, organisation: Organisation | None = None) -> tuple[str, str]:
    """The actor and the organisation an audit record names. A caller that has just checked the
    user's rights on an object of their organisation gives it (no second read of the membership)."""
    if organisation is None:
        found = membership(user)
        organisation = found.organisation if found else None
    return user.get_username(), organisation.name if organisation else ""


def _audit(
    user: User, now: datetime, event: Event, obj: Case | Request, *, organisation: Organisation | None = None, **extra: Any
) -> None:
    """Append the record of ``event`` on ``obj``; ``organisation``: the user's, when the caller knows it."""
    actor, organisation_name = _who(user, organisation)
    append(
        at=now,
        actor=actor,
        organisation=organisation_name,
        event=event,
        object_type=type(obj).__name__.lower(),
        object_id=str(obj.pk),
        **extra,
    )


def case_get(*, user: User, case_id: int, action: Action = Action.VIEW_CASE) -> Case:
    """The case if ``user`` may act on it; otherwise NotFound, whether it exists or not."""
    case = Case.objects.select_related("organisation").filter(pk=case_id, erased_at__isnull=True).first()
    if case is None or not can(user, action, case.organisation):
        raise NotFound("case")
    return case


@transaction.atomic
def case_view(*, user: User, case_id: int, justification: str, now: datetime) -> Case:
    """Consultation of a case's personal data: logged with its justification (LED Art 25)."""
    if not justification.strip():
        raise ApplicationError("a justification is required to consult a case", field="justification", status=422)
    case = case_get(user=user, case_id=case_id)
    _audit(user, now, Event.VIEW, case, organisation=case.organisation, justification=justification)
    return case


@transaction.atomic
def case_create(
    *,
    user: User,
    reference: str,
    title: str,
    offences: list[dict[str, Any]],
    summary_of_facts: str,
    identifiers: list[dict[str, Any]],
    persons: list[dict[str, Any]],
    classification: str,
    retention_review_date: date,
    now: datetime,
) -> Case:
    found = membership(user)
    if found is None or not can(user, Action.EDIT_CASE):
        raise ApplicationError("your role cannot open cases", status=403)
    if classification not in Classification.values:
        raise ApplicationError(f"unknown classification {classification!r}", field="classification", status=422)
    check_case_identifiers(reference=reference, identifiers=identifiers)
    if retention_review_date <= now.date():
        raise ApplicationError(
            "the retention review date must be in the future (2AP Art 14(5))", field="retention_review_date", status=422
        )
    case = Case(
        organisation=found.organisation,
        reference=reference,
        title=title,
        offences=offences,
        summary_of_facts=summary_of_facts,
        identifiers=identifiers,
        persons=persons,
        classification=classification,
        retention_review_date=retention_review_date,
        created_by=user,
        created_at=now,
    )
    try:
        case.full_clean(exclude=["created_by", "organisation"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(f"{field}: {' '.join(messages)}", field=field, status=422) from None
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise ApplicationError(f"a case with reference {reference!r} already exists", field="reference", status=409) from None
    _audit(user, now, Event.CREATE, case, organisation=found.organisation)
    return case


def _route_advice(case: Case, form_id: str, data: dict[str, Any], now: datetime, what_if: WhatIf) -> dict[str, Any]:
    reference = current_reference()
    form = forms()[form_id]
    category = data.get("data_sought", {}).get("category") if isinstance(data.get("data_sought"), dict) else None
    category = category or ("domain_registration" if form_id == "2ap-6-request" else form.data_categories[0])
    if not isinstance(category, str) or category not in {c.value for c in DataCategory}:
        known = ", ".join(c.value for c in DataCategory)
        raise ApplicationError(f"the data category must be one of: {known}", field="data.data_sought.category", status=422)
    scenario = route_scenario(
        form, data, issuing=case.organisation.country, category=DataCategory(category), as_of=now.date(), what_if=what_if
    )
    try:
        body = to_json(reference, assess(reference, scenario))
    except InvalidScenario as error:
        raise ApplicationError(str(error), field="recipient_state", status=422) from None
    route = next(r for r in body["routes"] if r["id"] == form.route)
    return {"as_of": body["as_of"], "what_if": body["scenario"]["what_if"], "route": route, "recommended": body["recommended"]}


def _needs_approval(user: User, form_id: str, data: dict[str, Any], advice: dict[str, Any]) -> bool:
    """Whether the drafter may not issue the order alone (cases/approval.py: Reg 2023/1543 Art 4,
    the CETS 224 Art 7(2)(b) supervision declaration, an investigator's request)."""
    return approval.needs_validation(form_id, data, advice, user)


@transaction.atomic
def request_draft(
    *,
    user: User,
    case_id: int,
    form_id: str,
    data: dict[str, Any],
    now: datetime,
    idempotency_key: str = "",
    what_if: WhatIf | None = None,
    recipient_organisation: int | None = None,
    sent_outside: bool = False,
) -> tuple[Request, bool]:
    """Create a draft request, or return the one already made with ``idempotency_key``.

    ``recipient_organisation`` addresses it to an organisation of the directory (it is then
    delivered there when issued); ``sent_outside`` says it is sent by other means.
    Returns the request and whether it was created now.
    """
    case = case_get(user=user, case_id=case_id, action=Action.DRAFT_REQUEST)
    if idempotency_key and (existing := Request.objects.filter(case=case, idempotency_key=idempotency_key).first()):
        return existing, False
    if form_id not in forms():
        raise ApplicationError(f"unknown form id {form_id!r}", field="form_id", status=422)
    data = {**data, "form": form_id, "issuing_state": case.organisation.country}
    advice = _route_advice(case, form_id, data, now, what_if or WhatIf())
    addressee = addressee_of(forms()[form_id].route, str(data.get("recipient_state", "")), recipient_organisation, sent_outside)
    request = Request(
        recipient_organisation=addressee,
        sent_outside=sent_outside,
        case=case,
        organisation_id=case.organisation_id,
        form_id=form_id,
        route_id=forms()[form_id].route,
        recipient_state=str(data.get("recipient_state", "")),
        data=data,
        route_advice=advice,
        requires_approval=_needs_approval(user, form_id, data, advice),
        created_by=user,
        created_at=now,
        idempotency_key=idempotency_key,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        if not idempotency_key:
            raise
        # A retry with the same key committed first (PostgreSQL runs both at once): answer with its request.
        return Request.objects.get(case=case, idempotency_key=idempotency_key), False
    _audit(
        user,
        now,
        Event.CREATE,
        request,
        organisation=case.organisation,  # the user's: case_get checked it
        details={"form": form_id, "route": request.route_id, "route_status": advice["route"]["status"]},
    )
    return request, True


def addressee_of(route_id: str, recipient_state: str, organisation_id: int | None, sent_outside: bool) -> Organisation | None:
    """The directory's organisation a request is addressed to, checked against its route and
    State (exchange/routing.py); None when it is sent outside the platform or not yet addressed."""
    if organisation_id is None:
        return None
    if sent_outside:
        raise ApplicationError(
            "a request is either addressed to an organisation on the platform or sent outside it, not both",
            field="sent_outside",
            status=422,
        )
    found = Organisation.objects.filter(pk=organisation_id).select_related("policy").first()
    if found is None:
        raise ApplicationError(f"no organisation {organisation_id} in the directory", field="recipient_organisation", status=422)
    try:
        routing.check_addressee(route_id, found, recipient_state)
    except routing.AddressingError as error:
        raise ApplicationError(str(error), field="recipient_organisation", status=422) from None
    return found


def request_get(*, user: User, request_id: int, action: Action = Action.VIEW_CASE) -> Request:
    request = Request.objects.select_related("case__organisation").filter(pk=request_id, case__erased_at__isnull=True).first()
    if request is None or not can(user, action, request.case.organisation):
        raise NotFound("request")
    return request


def what_if_of(request: Request) -> WhatIf:
    """The what-if switches the request's route advice was asked with (none for a real draft)."""
    stored = request.route_advice.get("what_if", {}) if isinstance(request.route_advice, dict) else {}
    assumed = [str(code) for code in stored.get("assume_ratified", [])]
    return WhatIf(
        assume_in_force=bool(stored.get("assume_in_force")),
        assume_ratified=frozenset(c for c in assumed if c != "all-signatories"),
        assume_all_signatories="all-signatories" in assumed,
    )


def form_issues(request: Request, now: datetime) -> list[dict[str, str]]:
    """Every problem of the request's data, checked under the what-if its route was chosen with."""
    context = QualityContext(
        current_reference(),
        now.date(),
        what_if=what_if_of(request),
        accepted_languages=accepted_languages(request.recipient_organisation),
    )
    return [i.as_json() for i in validate(request.form_id, request.data, context)]


def accepted_languages(organisation: Organisation | None) -> tuple[str, ...]:
    """The languages the addressed organisation states it accepts in its policy profile (none known: ())."""
    policy = getattr(organisation, "policy", None) if organisation is not None else None
    return tuple(str(code) for code in policy.languages) if policy is not None else ()


# CETS 224 Art 8(6)(a): the requested Party serves the provider within 45 days of receiving
# all the Art 8(3)-(4) information (counted from issue when the order is sent outside the
# platform, from the recorded completeness when it is delivered here); the periods its order gives the
# provider to return the data run from service on the provider, so they start only when the
# service is recorded (request_record_service).
SERVICE_CLOCK = "cets224.art8.6.a.serve"
RUNS_FROM_SERVICE = frozenset({"cets224.art8.6.a.i.subscriber", "cets224.art8.6.a.ii.traffic"})


def _timed(request: Request) -> list[dict[str, Any]]:
    """The advisor's deadlines that apply to the request, or may apply (``applies:
    "conditional"``: it depends on a fact the advisor does not know), and have a number of days
    or hours. A conditional deadline is kept, marked as such, until someone marks it done."""
    return [
        d
        for d in request.route_advice.get("route", {}).get("deadlines", [])
        if d.get("applies") in (True, "conditional") and ("days" in d or "hours" in d)
    ]


# Deadlines the advisor leaves conditional on whether the enforcing authority must be notified
# (Regulation (EU) 2023/1543 Art 8(1)-(2)), which the issued EPOC settles: the issuing authority
# states in it whether it notified the enforcing authority (field ``enforcing_notified``, NOTIF-1).
# Art 10(2) and the Art 12(1) review run when it did; Art 10(3) when it did not.
SETTLED_BY_THE_ORDER: dict[str, tuple[str, bool]] = {
    "reg.epoc.art10.2.with_notification": ("enforcing_notified", True),
    "reg.epoc.art12.1.review": ("enforcing_notified", True),
    "reg.epoc.art12.1.review_emergency": ("enforcing_notified", True),
    "reg.epoc.art10.3.normal": ("enforcing_notified", False),
}


def settled(request: Request, deadline: dict[str, Any]) -> bool | None:
    """Whether a conditional deadline applies, as the issued order settles it; None if it does not."""
    if deadline.get("applies") != "conditional" or deadline.get("rule") not in SETTLED_BY_THE_ORDER:
        return None
    field, applies_when = SETTLED_BY_THE_ORDER[deadline["rule"]]
    stated = request.data.get(field)
    return None if not isinstance(stated, bool) else stated is applies_when


def _open_deadline(request: Request, **fields: Any) -> None:
    """A deadline of ``request``, open; none for a request of an erased case. So an open deadline
    never belongs to an erased case (the erasure closes them, retention.py), and the lists of the
    organisation's open deadlines need not join every one to its request and case to know it
    (selectors.py, the deadline API): a remote Party's decision arriving after the erasure starts
    no clock."""
    if request.case.erased_at is not None:
        return
    Deadline.objects.create(request=request, organisation_id=request.case.organisation_id, **fields)


def _create_deadline(request: Request, deadline: dict[str, Any], start: datetime) -> None:
    span = timedelta(days=deadline["days"]) if "days" in deadline else timedelta(hours=deadline["hours"])
    _open_deadline(
        request,
        event=deadline["event"],
        due_at=start + span,
        citation=deadline["citation"],
        rule=deadline["rule"],
        conditional=deadline.get("applies") == "conditional" and settled(request, deadline) is None,
    )


# A request in one of these states expects nothing more: its open deadlines are closed with it.
FINAL_STATES = frozenset({State.ANSWERED, State.REFUSED, State.PARTIALLY_ANSWERED, State.LAPSED, State.CLOSED, State.WITHDRAWN})


def close_deadlines(request: Request, state: State, now: datetime) -> None:
    request.deadlines.filter(done_at__isnull=True).update(done_at=now, done_reason=f"request {state.value}")


def _deadlines(request: Request, now: datetime) -> None:
    delivered_to_requested_party = request.route_id == "2ap-8" and request.recipient_organisation_id is not None
    for deadline in _timed(request):
        if delivered_to_requested_party and deadline.get("rule") == SERVICE_CLOCK:
            # CETS 224 Art 8(6)(a): the 45 days run from the requested Party's receipt of all the
            # information, which it records in its inbox (exchange/requested_party.py).
            continue
        if str(deadline.get("from", "")).startswith("end of"):
            continue  # runs from the end of another period (e.g. an optional extension), not from issue
        if deadline.get("rule") in RUNS_FROM_SERVICE:
            continue  # runs from service on the provider, once it is recorded
        if settled(request, deadline) is False:
            continue  # the order says the fact it depends on does not hold
        _create_deadline(request, deadline, now)


def delivered_to_requested_party(request: Request) -> bool:
    """An Article 8 order delivered on this platform to the requested Party, which records the
    completeness and the service itself (exchange/requested_party.py)."""
    return request.route_id == "2ap-8" and request.recipient_organisation_id is not None and request.issued_at is not None


def service_recordable(request: Request) -> bool:
    """An issued Article 8 order whose service on the provider is not yet recorded, and that the
    requested Party does not serve on this platform."""
    return (
        request.route_id == "2ap-8"
        and not delivered_to_requested_party(request)
        and request.issued_at is not None
        and request.served_at is None
        and request.state in (State.ISSUED, State.ACKNOWLEDGED)
    )


def start_service_clock(request: Request, received_all_at: datetime) -> None:
    """CETS 224 Art 8(6)(a): the 45 days to serve the provider, from the requested Party's
    receipt of all the Art 8(3) and 8(4) information (recorded in its inbox,
    exchange/requested_party.py). The caller holds the request's lock."""
    for deadline in _timed(request):
        if deadline.get("rule") == SERVICE_CLOCK:
            _create_deadline(request, deadline, received_all_at)


def record_service(request: Request, when: datetime) -> None:
    """Service of the Article 8 order on the provider at ``when`` (CETS 224 Art 8(6)(a)): the
    service clock is done and the provider's 20 days (subscriber information) or 45 days
    (traffic data) to return the data start. Shared by the issuing side's record
    (request_record_service) and the requested Party's service on the platform
    (exchange/requested_party.serve_provider); the caller holds the request's lock and checked it."""
    request.served_at = when
    request.save(update_fields=["served_at"])
    request.deadlines.filter(rule=SERVICE_CLOCK, done_at__isnull=True).update(
        done_at=when, done_reason=gettext_noop("service on the provider recorded")
    )
    for deadline in _timed(request):
        if deadline.get("rule") in RUNS_FROM_SERVICE:
            _create_deadline(request, deadline, when)


@transaction.atomic
def request_record_service(
    *, user: User, request_id: int, now: datetime, served_at: datetime | None = None, note: str = ""
) -> Request:
    """Record that the requested Party served the Article 8 order on the provider (CETS 224
    Art 8(6)(a)): the 45-day service clock is done, and the provider's 20 days (subscriber
    information) or 45 days (traffic data) to return the data start from ``served_at``."""
    request = request_get(user=user, request_id=request_id)
    request = Request.objects.select_for_update().select_related("case__organisation").get(pk=request.pk)
    if not can(user, Action.RECORD_OUTCOME, request.case.organisation):
        raise ApplicationError("your role cannot record what happened to a request", status=403)
    if request.route_id != "2ap-8":
        raise ApplicationError("service on the provider is recorded for Article 8 orders (CETS 224 Art 8(6)(a))", status=409)
    if request.served_at is not None:
        raise ApplicationError(
            f"service on the provider is already recorded ({request.served_at.isoformat()})", field="served_at", status=409
        )
    if delivered_to_requested_party(request):
        raise ApplicationError("the requested Party serves this order on the platform and records the service itself", status=409)
    if not service_recordable(request):
        raise ApplicationError("service on the provider is recorded once the order is issued and still open", status=409)
    when = served_at or now
    if timezone.is_naive(when):
        raise ApplicationError("the date and time of service need a time zone", field="served_at", status=422)
    if when > now:
        raise ApplicationError("the service on the provider cannot be recorded in advance", field="served_at", status=422)
    if request.issued_at is not None and when < request.issued_at:
        raise ApplicationError("the order cannot have been served before it was issued", field="served_at", status=422)
    record_service(request, when)
    _audit(
        user,
        now,
        Event.CHANGE,
        request,
        organisation=request.case.organisation,
        details={"served_at": when.isoformat(), "citation": "CETS 224 Art 8(6)(a)"},
        personal_details={"note": note} if note else None,  # erasable with the case (ADR 0013)
    )
    return request


EXERCISE_MARK = "EXERCISE — not a legal order"
WHAT_IF_REFUSAL = (
    "this draft was made under what-if assumptions, for planning only: it cannot be submitted for approval "
    "or issued on this instance; draft it again without what-if, or use an instance in exercise mode"
)


def made_under_what_if(request: Request) -> bool:
    """Whether the route advice of ``request`` assumed facts that are not the law today."""
    return bool(request.route_advice.get("what_if", {}).get("active"))


def stamped_as_exercise(request: Request) -> bool:
    """Whether every page and document of ``request`` (its packages, their PDF, what is delivered)
    says it is an exercise: it was drafted under what-if assumptions, or this is an exercise
    instance, where nothing is a legal order (docs/configuration.md, EXERCISE_MODE)."""
    return made_under_what_if(request) or bool(settings.EXERCISE_MODE)


# The outcomes a recipient on the platform gives by answering (exchange/answers.py): the issuing
# side records them itself only for a request sent outside the platform.
SET_BY_THE_RECIPIENT = frozenset({State.ACKNOWLEDGED, State.ANSWERED, State.PARTIALLY_ANSWERED, State.REFUSED})


def delivered_on_the_platform(request: Request) -> bool:
    return request.issued_at is not None and request.deliveries.exists()


def may_leave_planning(request: Request) -> bool:
    """A what-if draft is for planning and exercises: only an exercise instance may submit or issue it."""
    return not made_under_what_if(request) or bool(settings.EXERCISE_MODE)


@transaction.atomic
def request_transition(*, user: User, request_id: int, target: str, now: datetime, note: str = "") -> Request:
    request = request_get(user=user, request_id=request_id)
    # Lock the row so that two people cannot move the same request at once.
    request = Request.objects.select_for_update().select_related("case__organisation").get(pk=request.pk)
    current = State(request.state)
    if target not in State.values:
        raise ApplicationError(f"unknown state {target!r}", field="state", status=422)
    wanted = State(target)
    action = action_for(current, wanted)
    if action is None:
        raise ApplicationError(f"a request cannot go from {current} to {wanted}", field="state", status=409)
    if not can(user, action, request.case.organisation):
        raise ApplicationError(f"your role cannot {action.value.replace('_', ' ')}", status=403)
    if wanted in SET_BY_THE_RECIPIENT and delivered_on_the_platform(request):
        raise ApplicationError(
            f"this request was delivered on the platform: its recipient's answer sets it to {wanted.value}; "
            "you may withdraw it, close it or record that it lapsed",
            field="state",
            status=409,
        )
    if wanted in (State.ISSUED, State.AWAITING_APPROVAL) and not may_leave_planning(request):
        raise ApplicationError(WHAT_IF_REFUSAL, field="state", status=409, extra={"what_if": request.route_advice["what_if"]})
    returned = current is State.AWAITING_APPROVAL and wanted is State.DRAFT
    if returned and not note.strip():
        raise ApplicationError("say what must change: a request is returned with comments", field="note", status=422)
    if returned:
        approval.clear_validation(request)
    validation: dict[str, Any] = {}
    if current is State.AWAITING_APPROVAL and wanted in (State.VALIDATED, State.ISSUED):
        approval.refuse_validation(request, user)
        validation = approval.record_validation(request, user, now)
    ex_post = False
    if wanted is State.ISSUED:
        _check_issuable(user, request, now)
        ex_post = approval.issued_ex_post(request, user)
    request.state = wanted
    outside: list[str] = []
    if wanted is State.ISSUED:
        request.issued_at = now
        _deadlines(request, now)
        if ex_post:
            _ex_post_deadline(request, now)
        outside = delivery.deliver_on_issue(
            request,
            by=user,
            now=now,
            exercise=stamped_as_exercise(request),
            signatories=lambda language: document_signatories(request, language),
        )
    _enter(request, current=current, wanted=wanted, user=user, now=now, note=note)
    event = Event.APPROVE if validation else Event.TRANSITION
    details: dict[str, Any] = {"from": current.value, "to": wanted.value, **validation}
    if outside:
        details["not_delivered_on_the_platform"] = outside
    # A return's comments may name people: erasable with the case (ADR 0013).
    _audit(
        user,
        now,
        event,
        request,
        organisation=request.case.organisation,
        details=details,
        personal_details={"comments": note} if returned else None,
    )
    return request


def _enter(request: Request, *, current: State, wanted: State, user: User, now: datetime, note: str) -> None:
    """Record ``request`` in its ``wanted`` state: a final state closes its open deadlines; an
    issued request withdrawn is withdrawn from its recipients (exchange/delivery.withdraw)."""
    if wanted in FINAL_STATES:
        close_deadlines(request, wanted, now)
    request.save()
    Transition.objects.create(request=request, from_state=current, to_state=wanted, by=user, at=now, note=note)
    if wanted is State.WITHDRAWN and request.issued_at is not None:
        delivery.withdraw(request, now=now)


def refused_by_requested_party(request: Request, *, party: Organisation, grounds: str, by: User, at: datetime) -> None:
    """The requested Party refused an Art 8 order (exchange/requested_party.py on this instance,
    exchange/remote.py when it refused on its own): an issued or acknowledged request becomes
    refused with its transition, and its open deadlines close (also when it was already final)."""
    if request.state in (State.ISSUED, State.ACKNOWLEDGED):
        Transition.objects.create(
            request=request,
            from_state=request.state,
            to_state=State.REFUSED,
            by=by,
            at=at,
            note=f"refused by the requested Party ({party.name}), {grounds}",
        )
        request.state = State.REFUSED
        request.save(update_fields=["state"])
    close_deadlines(request, State.REFUSED, at)


def withdraw_issued(request: Request, *, by: User, at: datetime, note: str) -> None:
    """The issuing side withdrew the issued ``request`` on its own instance (exchange/remote.py
    applies it to the request received from it): withdrawn here as request_transition withdraws
    one (its open deadlines closed, its transition recorded, what its recipients may still act on
    withdrawn), when its state allows it (a request already answered or refused stays so). The
    caller holds the request's lock."""
    current = State(request.state)
    if action_for(current, State.WITHDRAWN) is None:
        return
    request.state = State.WITHDRAWN
    _enter(request, current=current, wanted=State.WITHDRAWN, user=by, now=at, note=note)


def request_settle(request: Request, *, target: State, by: User, now: datetime, note: str = "") -> None:
    """Move an issued request to the final state its addressee's answer on the platform gives it
    (exchange/answers.py), inside the caller's transaction: the lifecycle must allow it, its open
    deadlines close, the transition is recorded and audited. ``by`` is the recipient who answered,
    so no issuing role is asked for."""
    locked = Request.objects.select_for_update().get(pk=request.pk)
    current = State(locked.state)
    if action_for(current, target) is None:
        raise ApplicationError(f"a request cannot go from {current} to {target}", field="state", status=409)
    locked.state = target
    _enter(locked, current=current, wanted=target, user=by, now=now, note=note)
    request.state = target
    _audit(by, now, Event.TRANSITION, locked, details={"from": current.value, "to": target.value, "by_answer": True})


def _ex_post_deadline(request: Request, now: datetime) -> None:
    """Reg 2023/1543 Art 4(5): an order issued in an emergency without prior validation is
    validated within 48 hours (eu-e-evidence.md ISS-4, not verified against the legal text)."""
    _open_deadline(
        request,
        event="validation of an order issued in an emergency without prior validation (not verified against the legal text)",
        due_at=now + timedelta(hours=approval.EX_POST_HOURS),
        citation="Regulation (EU) 2023/1543 Art 4(5)",
        rule=approval.EX_POST_RULE,
    )


@transaction.atomic
def request_validate_ex_post(*, user: User, request_id: int, now: datetime) -> Request:
    """Record the validation of an order issued under Art 4(5) (in an emergency, without prior
    validation): the validator must be one the rule accepts, not the drafter; the 48-hour
    deadline is done. A refused validation is not recorded here: the order is then withdrawn."""
    request = request_get(user=user, request_id=request_id)
    request = Request.objects.select_for_update().select_related("case__organisation").get(pk=request.pk)
    if not can(user, Action.APPROVE, request.case.organisation):
        raise ApplicationError("your role cannot approve", status=403)
    if not approval.ex_post_pending(request):
        raise ApplicationError(
            "only an order issued in an emergency without prior validation is validated after issue "
            "(Regulation (EU) 2023/1543 Art 4(5))",
            field="state",
            status=409,
        )
    approval.refuse_validation(request, user)
    validation = approval.record_validation(request, user, now)
    request.save()
    request.deadlines.filter(rule=approval.EX_POST_RULE, done_at__isnull=True).update(
        done_at=now, done_by=user, done_reason=gettext_noop("validated ex post")
    )
    _audit(
        user,
        now,
        Event.APPROVE,
        request,
        organisation=request.case.organisation,
        details={"ex_post": True, "citation_ex_post": "Regulation (EU) 2023/1543 Art 4(5)", **validation},
    )
    return request


@transaction.atomic
def deadline_mark_done(*, user: User, deadline_id: int, reason: str, now: datetime, request_id: int | None = None) -> Deadline:
    """Mark one open deadline done, with the reason (e.g. the data arrived, or a conditional
    deadline does not apply); recorded in the audit trail. A deadline already done: 409."""
    found = (
        Deadline.objects.select_related("request__case__organisation")
        .filter(pk=deadline_id, request__case__erased_at__isnull=True)
        .first()
    )
    if found is None or not can(user, Action.VIEW_CASE, found.request.case.organisation):
        raise NotFound("deadline")
    if request_id is not None and found.request_id != request_id:
        raise NotFound("deadline")
    if not can(user, Action.RECORD_OUTCOME, found.request.case.organisation):
        raise ApplicationError("your role cannot record what happened to a request", status=403)
    reason = reason.strip()
    if not reason:
        raise ApplicationError("say why the deadline is done", field="reason", status=422)
    if len(reason) > MAX_DONE_REASON:
        raise ApplicationError(
            f"the reason is longer than {MAX_DONE_REASON} characters", field="reason", status=422, extra={"max": MAX_DONE_REASON}
        )
    deadline = Deadline.objects.select_for_update().get(pk=found.pk)
    if deadline.done_at is not None:
        raise ApplicationError(f"this deadline is already done ({deadline.done_at.isoformat()})", status=409)
    deadline.done_at = now
    deadline.done_by = user
    deadline.done_reason = reason
    deadline.save(update_fields=["done_at", "done_by", "done_reason"])
    _audit(
        user,
        now,
        Event.CHANGE,
        found.request,
        organisation=found.request.case.organisation,
        details={"deadline": deadline.pk, "rule": deadline.rule, "done_at": now.isoformat()},
        personal_details={"reason": reason},  # erasable with the case (ADR 0013)
    )
    return deadline


MAX_DONE_REASON = 300


def _check_issuable(user: User, request: Request, now: datetime) -> None:
    # Without a validation the rule accepts, both the drafter and the issuer must be allowed to
    # issue alone (cases/approval.py; the table is cyberspex/forms/authority.py).
    approval.refuse_issue(request, user)
    errors = [i for i in form_issues(request, now) if i["severity"] == Severity.ERROR]
    if errors:
        raise ApplicationError("the form is not valid", field="data", status=422, extra={"issues": errors})


def _export(*, user: User, request_id: int, package: str, now: datetime) -> Request:
    """The request whose ``package`` may be exported now; the export is recorded with the recipient."""
    request = request_get(user=user, request_id=request_id, action=Action.DOWNLOAD_PACKAGE)
    if package not in forms()[request.form_id].packages:
        raise NotFound("package")
    if request.issued_at is None and package != "full":
        raise ApplicationError("a recipient package exists once the request is issued", status=409)
    _audit(
        user,
        now,
        Event.EXPORT,
        request,
        organisation=request.case.organisation,
        details={"package": package, "recipient_state": request.recipient_state},
    )
    return request


@transaction.atomic
def request_package(*, user: User, request_id: int, package: str, now: datetime) -> dict[str, Any]:
    """The data of one recipient package; its export is recorded with the recipient."""
    request = _export(user=user, request_id=request_id, package=package, now=now)
    body = package_data(request.form_id, request.data, package)
    return {"exercise": EXERCISE_MARK, **body} if stamped_as_exercise(request) else body


@transaction.atomic
def request_document(*, user: User, request_id: int, package: str, language: str, now: datetime) -> Any:
    """The document of one recipient package; its export is recorded with the recipient."""
    request = _export(user=user, request_id=request_id, package=package, now=now)
    try:
        return build_document(
            request.form_id,
            request.data,
            package=package,
            language=language,
            exercise=stamped_as_exercise(request),
            signatories=document_signatories(request, language),
        )
    except MissingText as error:
        field = "data" + error.path[1:] if error.path.startswith("$") else "data"
        raise ApplicationError(
            f"{field.removeprefix('data.')}: this value is not one of the form's choices, so no document can show it; "
            "correct the draft first",
            field=field,
            status=422,
        ) from None


def document_signatories(request: Request, language: str) -> tuple[Signatory, ...]:
    """The issuing and validating persons (approval.request_signatories) for the document's
    signature and seal block, their roles in the document's language (English where the
    interface has no catalogue)."""
    with translation.override(language):
        signatories = approval.request_signatories(request)
    return signatories_from_json([{k: v for k, v in s.items() if k != "date"} | {"signed_on": s["date"]} for s in signatories])


def follow_up_due(request: Request, now: datetime) -> bool:
    """CETS 224 Art 7(7): once the provider refused or did not disclose in time, the issuing
    Party may seek the data only through Art 8 or other mutual assistance."""
    return request.form_id == "2ap-7-order" and escalation.article_7_follow_up_due(request, now)


def request_follow_up(*, user: User, request_id: int, now: datetime, idempotency_key: str = "") -> tuple[Request, bool]:
    """Draft the Article 8 order that follows an Article 7 order, pre-filled from it and its case
    (one of the escalations of cases/escalation.py)."""
    source = request_get(user=user, request_id=request_id, action=Action.DRAFT_REQUEST)
    if source.form_id != "2ap-7-order":
        raise ApplicationError(escalation.find("2ap-7-order", "2ap-8-order").refusal, status=409)
    return escalation.escalate(user=user, request_id=request_id, to_form="2ap-8-order", now=now, idempotency_key=idempotency_key)
