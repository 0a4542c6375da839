"""What a recipient sees of what was delivered to its organisation, and what the issuing
authority sees of its deliveries. The one place that decides it: pages and the API use these.

A recipient sees its package (frozen at delivery: the forms' recipient rules applied), the
receipts, the clarification thread, its own answer and decisions, and the deadlines of the
request. It never sees another recipient's package; a provider never sees a notified
authority's reasons or its consultation with the issuing authority (CETS 224 Art 7(5)).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet

from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.cases.models import Deadline, Request
from cyberspex.web.errors import NotFound
from cyberspex.web.exchange import delivery as delivering
from cyberspex.web.exchange import signing
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
    Receipt,
    SigningKey,
)
from cyberspex.web.exchange.models import DecisionKind as _Kind

# Decisions that end an authority's part (an instruction, a ground, no objection, no ground).
CONCLUSIVE = frozenset({_Kind.NO_OBJECTION, _Kind.NON_DISCLOSURE, _Kind.NO_GROUND, _Kind.GROUND_FOR_REFUSAL})

# The roles that receive an order addressed to a provider or registrar: they see neither the
# authorities' decisions' reasons nor their consultations.
PROVIDER_ROLES = frozenset({DeliveryRole.ADDRESSEE, DeliveryRole.SERVED})
AUTHORITY_CHANNELS = frozenset({Channel.CONSULTATION})


def inbox(*, user: User, status: str = "", query: str = "") -> QuerySet[Delivery]:
    """What was delivered to the user's organisation, newest first."""
    own = organisation(user)
    if own is None or not can(user, Action.VIEW_INBOX, own):
        return Delivery.objects.none()
    found = Delivery.objects.filter(organisation=own).select_related("request", "signed_by").order_by("-delivered_at", "-pk")
    if status:
        found = found.filter(status=status)
    if query:
        found = found.filter(request__case__reference__icontains=query) | found.filter(signed_by__name__icontains=query)
    return found


def delivery_get(*, user: User, delivery_id: int, action: Action = Action.VIEW_INBOX) -> Delivery:
    """The delivery if it was made to the user's organisation and the user may ``action`` on it;
    NotFound otherwise, whether it exists or not."""
    found = Delivery.objects.select_related("request", "organisation", "signed_by").filter(pk=delivery_id).first()
    if found is None or not can(user, Action.VIEW_INBOX, found.organisation):
        raise NotFound("inbox item")
    if action is not Action.VIEW_INBOX and not can(user, action, found.organisation):
        from cyberspex.web.errors import ApplicationError  # noqa: PLC0415

        raise ApplicationError(f"your role cannot {action.value.replace('_', ' ')} on this item", status=403)
    return found


def verification(delivery: Delivery) -> signing.Verification:
    """Whether the package and its document are as the issuing organisation signed them."""
    result = signing.verify(delivery.signature, delivering.payload(delivery), signer=delivery.signed_by)
    if result.verified and signing.sha256(bytes(delivery.document)) != delivery.document_sha256:
        return signing.Verification(False, "the document was changed after signing", result.key_id, result.signer)
    return result


def messages_visible(delivery: Delivery) -> QuerySet[Message]:
    """The messages the recipient of ``delivery`` sees: a provider sees the clarification thread only."""
    found = delivery.messages.select_related("organisation", "author").order_by("at", "pk")
    if delivery.role in PROVIDER_ROLES:
        found = found.exclude(channel__in=AUTHORITY_CHANNELS)
    return found


def decisions_visible(delivery: Delivery) -> QuerySet[Decision]:
    """Decisions the recipient of ``delivery`` took itself (a provider takes none)."""
    return delivery.decisions.select_related("by").order_by("at", "pk")


def deadlines_of(delivery: Delivery) -> QuerySet[Deadline]:
    return delivery.request.deadlines.order_by("due_at")


def receipts_of(delivery: Delivery) -> QuerySet[Receipt]:
    return delivery.receipts.select_related("organisation").order_by("at", "pk")


@dataclass(frozen=True)
class InboxItem:
    delivery: Delivery
    verification: signing.Verification
    receipts: list[Receipt]
    messages: list[Message]
    decisions: list[Decision]
    deadlines: list[Deadline]
    blocked: bool
    answerable: bool
    fingerprint: str = ""  # of the key that signed it, as the directory shows it
    others: tuple[OtherRecipient, ...] = ()  # the other recipients this one may know of


@dataclass(frozen=True)
class OtherRecipient:
    """Another recipient of the same request, as this recipient may know of it: who it is, why it
    received the request and where it stands, never what it decided or why."""

    organisation: str
    role: str  # DeliveryRole label
    status: str  # DeliveryStatus label
    since: datetime | None  # when it answered or decided, if it did


# Who may know of whom: the addressee of the authorities notified at the same time (the order
# itself says so: CETS 224 Art 7(4)(g); Regulation (EU) 2023/1543 Art 8(1)), and those
# authorities of the addressee (whether it has answered, so that an instruction is not given blind).
KNOWS_OF: dict[str, frozenset[str]] = {
    DeliveryRole.ADDRESSEE: frozenset({DeliveryRole.NOTIFIED, DeliveryRole.ENFORCING}),
    DeliveryRole.NOTIFIED: frozenset({DeliveryRole.ADDRESSEE}),
    DeliveryRole.ENFORCING: frozenset({DeliveryRole.ADDRESSEE}),
}


def others_of(delivery: Delivery) -> tuple[OtherRecipient, ...]:
    roles = KNOWS_OF.get(delivery.role, frozenset())
    if not roles:
        return ()
    found = (
        Delivery.objects.filter(request=delivery.request, role__in=roles)
        .exclude(pk=delivery.pk)
        .select_related("organisation")
        .order_by("pk")
    )
    out = []
    for other in found:
        decided = other.decisions.filter(kind__in=CONCLUSIVE).order_by("at").values_list("at", flat=True).first()
        out.append(
            OtherRecipient(
                other.organisation.name,
                str(DeliveryRole(other.role).label),
                str(DeliveryStatus(other.status).label),
                other.answered_at or decided,
            )
        )
    return tuple(out)


def inbox_item(*, user: User, delivery_id: int, now: datetime) -> InboxItem:  # noqa: ARG001  # the page's clock, for clocks
    item = delivery_get(user=user, delivery_id=delivery_id)
    return InboxItem(
        delivery=item,
        verification=verification(item),
        receipts=list(receipts_of(item)),
        messages=list(messages_visible(item)),
        decisions=list(decisions_visible(item)),
        deadlines=list(deadlines_of(item)),
        blocked=item.status == DeliveryStatus.BLOCKED,
        answerable=item.role in PROVIDER_ROLES and item.status in OPEN_STATUSES and can(user, Action.ANSWER, item.organisation),
        fingerprint=_fingerprint(item.key_id),
        others=others_of(item),
    )


def _fingerprint(key_id: str) -> str:
    from cyberspex.web.exchange.directory import fingerprint  # noqa: PLC0415  # directory imports signing too

    key = SigningKey.objects.filter(key_id=key_id).first()
    return fingerprint(key) if key else ""


def deliveries_of(request: Request) -> QuerySet[Delivery]:
    """The issuing side's view of where its request went (the caller checked access to the request):
    every recipient's receipts, messages and decisions, with their reasons (CETS 224 Art 7(5)(d))."""
    return (
        request.deliveries.select_related("organisation")
        .prefetch_related("receipts__organisation", "messages__organisation", "decisions")
        .order_by("delivered_at", "pk")
    )


@dataclass(frozen=True)
class IssuerView:
    deliveries: list[Delivery]
    not_on_the_platform: list[str]  # recipients the route names that have no organisation here
    # Answers of a provider served by a requested Party (CETS 224 Art 8), once it passed them back.
    passed_back: list[Answer] = field(default_factory=list)
    # Requested Parties' items that said something is missing and await the requesting side's supplement.
    awaiting_supplement: list[int] = field(default_factory=list)


def answer_shown_to_issuer(delivery: Delivery) -> bool:
    """Whether the issuing side may see the answer on ``delivery``: a provider served by the
    requested Party answers the requested Party, which passes the data back (CETS 224 Art 8(6)(b));
    until then the requesting side does not see it."""
    if delivery.role != DeliveryRole.SERVED or delivery.parent_id is None:
        return True
    return Decision.objects.filter(delivery_id=delivery.parent_id, kind=DecisionKind.DATA_PASSED_BACK).exists()


def issuer_view(request: Request) -> IssuerView:
    """Where the issued ``request`` went on this platform, and which recipients it names are not
    on it (to be sent by other means). The caller checked access to the request."""
    from cyberspex.web.exchange import routing  # noqa: PLC0415

    missing = []
    if request.issued_at is not None:
        missing = [f"{routing.ROLE_NAMES[r.role]} ({r.why})" for r in routing.recipients(request) if r.organisation is None]
    deliveries = list(deliveries_of(request))
    served = [d for d in deliveries if d.role == DeliveryRole.SERVED and answer_shown_to_issuer(d)]
    passed_back = list(
        Answer.objects.filter(delivery__in=served).select_related("delivery__organisation").prefetch_related("files")
    )
    awaiting = [
        d.pk
        for d in deliveries
        if d.role == DeliveryRole.REQUESTED_PARTY
        and (kinds := {decision.kind for decision in d.decisions.all()}) & {DecisionKind.INCOMPLETE}
        and not kinds & {DecisionKind.COMPLETE, DecisionKind.REFUSED}
    ]
    return IssuerView(deliveries, missing, passed_back, awaiting)


def readable(delivery: Delivery, language: str):  # type: ignore[no-untyped-def]  # -> Document
    """The delivered package as a document in ``language`` (English where its catalogue is not
    complete), built from the frozen content alone."""
    from cyberspex.forms.i18n import complete_languages  # noqa: PLC0415
    from cyberspex.forms.package import build_document  # noqa: PLC0415

    shown = language if language in complete_languages() else "en"
    return build_document(
        delivery.request.form_id, delivery.content, package=delivery.package, language=shown, exercise=delivery.exercise
    )
