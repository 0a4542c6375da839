"""What a 24/7 point of contact (ETS 185 Art 35; CETS 224 Art 9) and a central authority
receiving an emergency request (CETS 224 Art 10) do with it: check the emergency facts, hand it
off to the provider (or, for Art 10, to the central authority), and record an emergency request
taken by telephone until it is confirmed in writing (CETS 224 Art 9(4)).

Writes are one transaction each with their audit record, by members who may decide
(``Action.DECIDE``) for the organisation that received the item. Reads (the checklist, elapsed
time, the oral requests of an organisation) are at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cyberspex.forms.definitions import forms
from cyberspex.forms.i18n import catalogues
from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.exchange import routing
from cyberspex.web.exchange.delivery import deliver_to, receipt
from cyberspex.web.exchange.models import (
    OPEN_STATUSES,
    Decision,
    DecisionKind,
    Delivery,
    DeliveryRole,
    DeliveryStatus,
    Function,
    OralRequest,
    ReceiptKind,
)
from cyberspex.web.exchange.selectors import delivery_get
from cyberspex.web.exchange.services import audit

EMERGENCY_ROLES = frozenset({DeliveryRole.CONTACT_247, DeliveryRole.CENTRAL})
EMERGENCY_DECISIONS = frozenset({DecisionKind.EMERGENCY_ACCEPTED, DecisionKind.EMERGENCY_NOT_ACCEPTED})

# CETS 224 Art 3(2)(c) (2ap.md 2AP-A3-2-emergency, tag T): "emergency" means a situation in which
# there is a significant and imminent risk to the life or safety of any natural person.
EMERGENCY_DEFINITION = "CETS 224 Art 3(2)(c)"


@dataclass(frozen=True)
class Check:
    """One point of the checklist: the form's field it is about and what the member confirms.
    The citation is the form's (cyberspex/data/forms), never written here."""

    field: str
    question: Any  # a lazy translation


# What is checked, per form, in the order of the form. The questions restate the element the
# field encodes (2ap.md §1.5, §1.6, §6 BC-29).
CHECKLISTS: dict[str, tuple[Check, ...]] = {
    "2ap-9-request": (
        Check(
            "emergency_facts",
            _(
                "The facts show an emergency (a significant and imminent risk to the life or safety of a "
                "natural person, CETS 224 Art 3(2)(c)) and how the data sought relate to it."
            ),
        ),
        Check("offences", _("The offences are given, with the legal provisions and the applicable penalties.")),
        Check("provider", _("The provider possessing or controlling the data is named, with its address.")),
        Check("data_sought", _("The data sought are described in detail.")),
    ),
    "2ap-10-request": (
        Check(
            "emergency_facts",
            _(
                "The facts show an emergency (a significant and imminent risk to the life or safety of a "
                "natural person, CETS 224 Art 3(2)(c)) and how the assistance sought relates to it."
            ),
        ),
        Check("offences", _("The offences are given.")),
        Check("assistance_sought", _("The assistance sought is described.")),
    ),
    "bc-29-request": (
        Check("preservation_necessity", _("The request says why preservation is needed.")),
        Check("data_sought", _("The data to be preserved and their relation to the offence are described.")),
        Check("provider", _("The custodian of the data or the location of the computer system is identified.")),
        Check("mla_to_follow", _("The request says that a request for mutual assistance will follow.")),
    ),
}

# What a provider receives when the form has no provider package (2ap-9, bc-29: "authority"
# only). The 24/7 point of contact passes on what the provider needs to find and disclose the
# data, and no more: whom the request concerns (the provider), what is sought, and the form's
# metadata that every document needs. The emergency facts, the offences and the requesting
# authority's other information stay with the authorities (under Art 9(2) the requested Party's
# authorities obtain the data from the provider and pass it on: the provider deals with them,
# not with the requesting Party). The member may add other fields of the form, one by one.
PASS_ON_ALWAYS = ("form", "language", "recipient_state", "recipient_languages", "date_of_issue")
PASS_ON_DEFAULT = ("provider", "data_sought")


def _delivery_for_decision(user: User, delivery_id: int) -> Delivery:
    found = delivery_get(user=user, delivery_id=delivery_id, action=Action.DECIDE)
    locked = Delivery.objects.select_for_update().select_related("request", "organisation", "signed_by").get(pk=found.pk)
    if locked.role not in EMERGENCY_ROLES or locked.request.form_id not in CHECKLISTS:
        raise ApplicationError(
            f"this item was received as {routing.ROLE_NAMES[DeliveryRole(locked.role)]}: only a 24/7 point of contact's or a "
            "central authority's emergency item is checked and handed off here",
            status=409,
        )
    if locked.status == DeliveryStatus.WITHDRAWN:
        raise ApplicationError("the issuing authority withdrew this request", status=409)
    return locked


def checklist(delivery: Delivery) -> list[dict[str, Any]]:
    """The points to check for ``delivery``: field, question, the form's citation and the value received."""
    form = forms()[delivery.request.form_id]
    return [
        {
            "field": check.field,
            "question": str(check.question),
            "citation": form.field(check.field).citation,
            "value": delivery.content.get(check.field),
            "present": delivery.content.get(check.field) not in (None, "", []),
        }
        for check in CHECKLISTS.get(delivery.request.form_id, ())
    ]


@transaction.atomic
def emergency_check(*, user: User, delivery_id: int, accepted: bool, reasons: str, checked: list[str], now: datetime) -> Decision:
    """Record the check of the emergency facts: accepted (every point of the checklist confirmed)
    or not accepted (with reasons). The requesting side sees the decision and its reasons."""
    delivery = _delivery_for_decision(user, delivery_id)
    if delivery.decisions.filter(kind__in=EMERGENCY_DECISIONS).exists():
        raise ApplicationError("the emergency facts of this item were already checked", status=409)
    if delivery.status not in OPEN_STATUSES:
        raise ApplicationError(f"this item is {delivery.get_status_display().lower()}: it can no longer be checked", status=409)
    points = [c["field"] for c in checklist(delivery)]
    unknown = sorted(set(checked) - set(points))
    if unknown:
        raise ApplicationError(f"not a point of this item's checklist: {', '.join(unknown)}", field="checked", status=422)
    reasons = reasons.strip()
    if accepted and (missing := [p for p in points if p not in checked]):
        raise ApplicationError(
            f"to accept the emergency, confirm every point of the checklist; not confirmed: {', '.join(missing)}",
            field="checked",
            status=422,
        )
    if not accepted and not reasons:
        raise ApplicationError("give the reasons why the emergency is not accepted", field="reasons", status=422)
    if len(reasons) > 5000:
        raise ApplicationError("the reasons are longer than 5000 characters", field="reasons", status=422)
    kind = DecisionKind.EMERGENCY_ACCEPTED if accepted else DecisionKind.EMERGENCY_NOT_ACCEPTED
    decision = Decision.objects.create(
        delivery=delivery, kind=kind, grounds=[p for p in points if p in checked], reasons=reasons, by=user, at=now
    )
    delivery.status = DeliveryStatus.DECIDED
    delivery.save(update_fields=["status"])
    receipt(delivery, ReceiptKind.DECIDED, at=now, organisation=delivery.organisation, by=user)
    audit(user, now, Event.TRANSITION, delivery, decision=kind, checked=decision.grounds)
    return decision


def _target(delivery: Delivery, organisation_id: int) -> tuple[Organisation, DeliveryRole]:
    found = Organisation.objects.filter(pk=organisation_id).select_related("policy").first()
    if found is None:
        raise ApplicationError(f"no organisation {organisation_id} in the directory", field="organisation_id", status=422)
    if found.pk == delivery.organisation_id:
        raise ApplicationError("an item is handed off to another organisation", field="organisation_id", status=422)
    state = delivery.request.recipient_state
    if routing.has_function(found, frozenset({Function.PROVIDER})):
        if not routing.serves_state(found, state):
            raise ApplicationError(f"{found.name} is not a provider in {state}", field="organisation_id", status=422)
        return found, DeliveryRole.SERVED
    # CETS 224 Art 10(9) (2ap.md D-10-9): a Party may declare that Art 10 requests may also reach
    # its 24/7 point of contact; the central authority then deals with the request.
    if (
        routing.has_function(found, frozenset({Function.CENTRAL_AUTHORITY}))
        and delivery.request.form_id == "2ap-10-request"
        and delivery.role == DeliveryRole.CONTACT_247
    ):
        if found.country != delivery.organisation.country:
            raise ApplicationError(f"{found.name} is not the central authority of {state}", field="organisation_id", status=422)
        return found, DeliveryRole.CENTRAL
    raise ApplicationError(
        f"{found.name} cannot receive this item: it goes to a provider in {state}"
        + (
            " or, for an Art 10 request received by the 24/7 point of contact, to the central authority"
            if delivery.request.form_id == "2ap-10-request"
            else ""
        ),
        field="organisation_id",
        status=422,
    )


def _received(delivery: Delivery) -> dict[str, Any]:
    """The request's data the organisation passing it on received itself (never more)."""
    return {k: v for k, v in delivery.request.data.items() if k in delivery.content}


def _passed_on(delivery: Delivery, fields: list[str] | None) -> tuple[str, dict[str, Any], list[str]]:
    """The package, data and field names a provider receives (see PASS_ON_DEFAULT)."""
    form = forms()[delivery.request.form_id]
    data = _received(delivery)
    if "provider" in form.packages:  # the form says what a provider may see
        return "provider", data, []
    names = {node.name for node in form.fields()}
    chosen = list(PASS_ON_DEFAULT) if fields is None else list(dict.fromkeys(fields))
    unknown = sorted(set(chosen) - names)
    if unknown:
        raise ApplicationError(f"not a field of {form.id}: {', '.join(unknown)}", field="fields", status=422)
    if "data_sought" not in chosen:
        raise ApplicationError("the provider must at least be told which data are sought", field="fields", status=422)
    keep = set(PASS_ON_ALWAYS) | set(chosen) | {"exercise"}
    return "authority", {k: v for k, v in data.items() if k in keep}, [n for n in chosen if n in data]


@transaction.atomic
def hand_off(*, user: User, delivery_id: int, organisation_id: int, now: datetime, fields: list[str] | None = None) -> Delivery:
    """Pass an accepted emergency item on: to the provider (role "served": the form's provider
    package, or, where the form has none, the fields the member passes on) or, for an Art 10
    request received by the 24/7 point of contact, to the central authority (role "central", the
    whole request). Signed by the organisation that passes it on. Returns the new delivery."""
    delivery = _delivery_for_decision(user, delivery_id)
    if not delivery.decisions.filter(kind=DecisionKind.EMERGENCY_ACCEPTED).exists():
        raise ApplicationError("check the emergency facts and accept the emergency before handing the item off", status=409)
    target, role = _target(delivery, organisation_id)
    if Delivery.objects.filter(request=delivery.request, organisation=target, role=role).exists():
        raise ApplicationError(f"this request was already passed to {target.name}", status=409)
    if role == DeliveryRole.SERVED:
        package, data, passed = _passed_on(delivery, fields)
    else:
        package, data, passed = "authority", _received(delivery), []
    child = deliver_to(
        delivery.request,
        organisation=target,
        role=role,
        package=package,
        by=user,
        now=now,
        exercise=delivery.exercise,
        signer=delivery.organisation,
        signatories=lambda _language: (),
        parent=delivery,
        data=data,
    )
    Decision.objects.create(
        delivery=delivery,
        kind=DecisionKind.HANDED_OFF,
        grounds=[f"{target.name} ({routing.ROLE_NAMES[role]})", *passed],
        reasons="",
        by=user,
        at=now,
    )
    receipt(
        delivery,
        ReceiptKind.SERVED if role == DeliveryRole.SERVED else ReceiptKind.DECIDED,
        at=now,
        organisation=delivery.organisation,
        by=user,
    )
    audit(user, now, Event.DISCLOSE, delivery, handed_off_to=target.name, child=child.pk, package=package, fields=passed)
    return child


# -- oral requests (CETS 224 Art 9(4)) -------------------------------------------------------------


MAX_TEXT = 5000


def _contact_247(user: User, action: Action) -> Organisation:
    own = organisation(user)
    if own is None or not can(user, action, own):
        raise ApplicationError(f"your role cannot {action.value.replace('_', ' ')} here", status=403)
    if Function.CONTACT_247.value not in own.functions:
        raise ApplicationError(f"{own.name} is not a 24/7 point of contact", status=403)
    return own


def may_take_calls(user: User) -> bool:
    """Whether the user may record an oral request (a member who decides, of a 24/7 point of contact)."""
    own = organisation(user)
    return own is not None and can(user, Action.DECIDE, own) and Function.CONTACT_247.value in own.functions


def _text(value: str, field: str, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(f"give {what}", field=field, status=422)
    if len(value) > limit:
        raise ApplicationError(f"{what} is longer than {limit} characters", field=field, status=422)
    return value


@transaction.atomic
def oral_intake_create(  # the facts of a call, each named
    *,
    user: User,
    now: datetime,
    caller_name: str,
    caller_authority: str,
    caller_state: str,
    called_at: datetime,
    asked: str,
    emergency_facts: str,
    callback_verified: bool,
    caller_phone: str = "",
) -> OralRequest:
    """Record an emergency request received by telephone from a foreign 24/7 point of contact."""
    own = _contact_247(user, Action.DECIDE)
    state = (caller_state or "").strip().upper()
    if len(state) != 2 or not state.isalpha():
        raise ApplicationError("give the caller's State as a two-letter code (ISO 3166-1)", field="caller_state", status=422)
    if called_at.tzinfo is None:
        raise ApplicationError("give the time of the call with its time zone", field="called_at", status=422)
    if called_at > now + timedelta(minutes=5):
        raise ApplicationError("the time of the call is in the future", field="called_at", status=422)
    made = OralRequest.objects.create(
        organisation=own,
        caller_name=_text(caller_name, "caller_name", "the caller's name", limit=200),
        caller_authority=_text(caller_authority, "caller_authority", "the caller's authority", limit=200),
        caller_state=state,
        caller_phone=_text(caller_phone, "caller_phone", "the caller's number", required=False, limit=50),
        called_at=called_at,
        asked=_text(asked, "asked", "what was asked"),
        emergency_facts=_text(emergency_facts, "emergency_facts", "the emergency facts the caller gave"),
        callback_verified=bool(callback_verified),
        taken_by=user,
        recorded_at=now,
    )
    _audit_oral(user, now, Event.CREATE, made, callback_verified=made.callback_verified, caller_state=state)
    return made


def oral_get(*, user: User, oral_request_id: int) -> OralRequest:
    """The oral request if it was taken by the user's organisation (NotFound otherwise)."""
    found = (
        OralRequest.objects.select_related("organisation", "taken_by", "confirmation_delivery__request")
        .filter(pk=oral_request_id)
        .first()
    )
    if found is None or not can(user, Action.VIEW_INBOX, found.organisation):
        raise NotFound("oral request")
    return found


@transaction.atomic
def oral_intake_confirm(
    *,
    user: User,
    oral_request_id: int,
    now: datetime,
    delivery_id: int | None = None,
    note: str = "",
    confirmation_date: date | None = None,
) -> OralRequest:
    """Record the written confirmation of an oral request: the written request delivered on this
    platform (``delivery_id``), or a note of a confirmation received by other means with its date."""
    found = oral_get(user=user, oral_request_id=oral_request_id)
    if not can(user, Action.DECIDE, found.organisation):
        raise ApplicationError("your role cannot decide here", status=403)
    locked = OralRequest.objects.select_for_update().get(pk=found.pk)
    if locked.confirmed_at is not None:
        raise ApplicationError("this oral request was already confirmed", status=409)
    note = _text(note, "note", "the note", required=False)
    if delivery_id is not None:
        written = delivery_get(user=user, delivery_id=delivery_id)
        if written.role != DeliveryRole.CONTACT_247:
            raise ApplicationError(
                "the written confirmation is a request delivered to your organisation as 24/7 point of contact",
                field="delivery_id",
                status=422,
            )
        locked.confirmation_delivery = written
        locked.confirmation_date = written.delivered_at.date()
    else:
        if not note or confirmation_date is None:
            raise ApplicationError(
                "give the written request delivered on the platform, or a note of the written confirmation and its date",
                field="note" if not note else "confirmation_date",
                status=422,
            )
        if confirmation_date < locked.called_at.date() or confirmation_date > now.date():
            raise ApplicationError(
                "the date of the written confirmation is between the call and today", field="confirmation_date", status=422
            )
        locked.confirmation_date = confirmation_date
    locked.confirmation_note = note
    locked.confirmed_at = now
    locked.confirmed_by = user
    locked.save()
    _audit_oral(user, now, Event.CHANGE, locked, confirmed=True, delivery=delivery_id)
    return locked


def _audit_oral(user: User, now: datetime, event: Event, oral: OralRequest, **details: object) -> None:
    append(
        at=now,
        actor=user.get_username(),
        organisation=oral.organisation.name,
        event=event,
        object_type="oral_request",
        object_id=str(oral.pk),
        details=details,
    )


# -- reads -------------------------------------------------------------------------------------


def oral_requests(*, user: User) -> QuerySet[OralRequest]:
    """The oral requests taken by the user's organisation, the outstanding ones first, newest first."""
    own = organisation(user)
    if own is None or not can(user, Action.VIEW_INBOX, own):
        return OralRequest.objects.none()
    return (
        OralRequest.objects.filter(organisation=own)
        .select_related("taken_by", "confirmation_delivery")
        .order_by("confirmed_at", "-called_at", "-pk")
    )


def elapsed(since: datetime, now: datetime) -> str:
    """Whole hours and minutes from ``since`` to ``now``, e.g. "3 h 05 min" (days beyond 48 hours)."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return gettext("%(days)s d %(hours)s h") % {"days": hours // 24, "hours": hours % 24}
    return gettext("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": f"{minutes:02d}"}


def is_urgent_item(delivery: Delivery) -> bool:
    """Items for which the inbox shows the time elapsed since receipt."""
    return delivery.role in EMERGENCY_ROLES


def state_of(delivery: Delivery) -> dict[str, Any]:
    """Where an emergency item stands: its emergency decision and hand-offs, for its panel."""
    decisions = list(delivery.decisions.order_by("at", "pk"))
    check = next((d for d in decisions if d.kind in EMERGENCY_DECISIONS), None)
    return {
        "check": check,
        "handed_off": [d for d in decisions if d.kind == DecisionKind.HANDED_OFF],
        "children": list(delivery.children.select_related("organisation").order_by("delivered_at", "pk")),
    }


def hand_off_targets(delivery: Delivery) -> list[tuple[Organisation, DeliveryRole]]:
    """The organisations on this instance the item may be handed off to."""
    out = []
    for found in Organisation.objects.exclude(pk=delivery.organisation_id).select_related("policy").order_by("name"):
        try:
            out.append(_target(delivery, found.pk))
        except ApplicationError:
            continue
    return out


def pass_on_choices(delivery: Delivery) -> list[dict[str, Any]]:
    """The form's fields a member may pass on to a provider, with the default ones ticked; empty
    when the form has a provider package (the form decides)."""
    form = forms()[delivery.request.form_id]
    if "provider" in form.packages:
        return []
    data = delivery.content
    english = catalogues()["en"].texts
    texts = catalogues().get((translation.get_language() or "en")[:2], catalogues()["en"]).texts
    return [
        {
            "name": node.name,
            "label": texts.get(f"field.{node.name}") or english.get(f"field.{node.name}", node.name),
            "citation": node.citation,
            "default": node.name in PASS_ON_DEFAULT,
        }
        for node in form.fields()
        if node.name in data and node.name not in PASS_ON_ALWAYS
    ]


def written_requests(*, user: User) -> QuerySet[Delivery]:
    """Requests delivered to the user's organisation as 24/7 point of contact: what may confirm an oral request."""
    own = organisation(user)
    if own is None or not can(user, Action.VIEW_INBOX, own):
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(organisation=own, role=DeliveryRole.CONTACT_247)
        .select_related("request", "signed_by")
        .order_by("-delivered_at", "-pk")[:50]
    )


def oral_requests_for_inbox(*, user: User) -> list[OralRequest] | None:
    """The inbox's list of oral requests: for members of a 24/7 point of contact, None for others."""
    own = organisation(user)
    if own is None or Function.CONTACT_247.value not in own.functions or not can(user, Action.VIEW_INBOX, own):
        return None
    return list(oral_requests(user=user)[:50])
