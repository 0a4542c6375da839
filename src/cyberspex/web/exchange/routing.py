"""Who receives an issued request on this instance, and which package each may see.

The addressee is the organisation the request is addressed to (``Request.recipient_organisation``,
chosen from the directory). The other recipients follow from the route and the form: the
authority notified under CETS 224 Art 7(5)(a) when the order says it was notified
(``notification_made``, Art 7(4)(g)), the enforcing authority when an EPOC says it was
notified (``enforcing_notified``, Regulation (EU) 2023/1543 Art 8(1)). Each is looked up in the
directory by its function and State; a recipient with no organisation on this instance is
reported, so that the issuing authority sends it by other means.
"""

from __future__ import annotations

from dataclasses import dataclass

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.cases.models import Request
from cyberspex.web.exchange.models import DeliveryRole, Function


@dataclass(frozen=True)
class Addressing:
    """What the route's first recipient is: its role, the package it sees, the functions an
    organisation needs to receive it, and the rule, for messages."""

    role: DeliveryRole
    package: str
    functions: frozenset[Function]
    citation: str


ADDRESSING: dict[str, Addressing] = {
    "2ap-6": Addressing(
        DeliveryRole.ADDRESSEE, "provider", frozenset({Function.REGISTRAR, Function.PROVIDER}), "CETS 224 Art 6(1)"
    ),
    "2ap-7": Addressing(DeliveryRole.ADDRESSEE, "provider", frozenset({Function.PROVIDER}), "CETS 224 Art 7(1)"),
    "2ap-8": Addressing(
        DeliveryRole.REQUESTED_PARTY,
        "authority",
        frozenset({Function.REQUESTED_PARTY, Function.CENTRAL_AUTHORITY}),
        "CETS 224 Art 8(1), 8(10), 8(11)",
    ),
    "2ap-9": Addressing(DeliveryRole.CONTACT_247, "authority", frozenset({Function.CONTACT_247}), "CETS 224 Art 9(1)"),
    "2ap-10": Addressing(DeliveryRole.CENTRAL, "authority", frozenset({Function.CENTRAL_AUTHORITY}), "CETS 224 Art 10(1)"),
    "bc-29": Addressing(
        DeliveryRole.CONTACT_247,
        "authority",
        frozenset({Function.CONTACT_247, Function.CENTRAL_AUTHORITY}),
        "ETS 185 Art 29, 35",
    ),
    "eu-epoc": Addressing(
        DeliveryRole.ADDRESSEE, "provider", frozenset({Function.PROVIDER}), "Regulation (EU) 2023/1543 Art 5, 7"
    ),
    "eu-epoc-pr": Addressing(
        DeliveryRole.ADDRESSEE, "provider", frozenset({Function.PROVIDER}), "Regulation (EU) 2023/1543 Art 6, 7"
    ),
}

FUNCTION_NAMES = {
    Function.PROVIDER: "a service provider",
    Function.REGISTRAR: "a registrar",
    Function.NOTIFIED_AUTHORITY: "the authority notified under CETS 224 Art 7(5)(a)",
    Function.ENFORCING_AUTHORITY: "the enforcing authority (Regulation (EU) 2023/1543 Art 8)",
    Function.REQUESTED_PARTY: "the requested Party's authority for Art 8 orders",
    Function.CENTRAL_AUTHORITY: "a central authority",
    Function.CONTACT_247: "a 24/7 point of contact",
}


class AddressingError(Exception):
    """The organisation cannot receive this request: the message says why."""


@dataclass(frozen=True)
class Recipient:
    role: DeliveryRole
    package: str
    organisation: Organisation | None  # None: no such organisation on this instance
    why: str  # the rule, with its citation


def has_function(organisation: Organisation, functions: frozenset[Function]) -> bool:
    return bool(set(organisation.functions) & {f.value for f in functions})


def serves_state(organisation: Organisation, state: str) -> bool:
    """Whether ``organisation`` is in ``state``, or (a provider) has its EU designated
    establishment or legal representative there."""
    if organisation.country == state:
        return True
    policy = getattr(organisation, "policy", None)
    return policy is not None and policy.eu_establishment_state == state


def check_addressee(route_id: str, organisation: Organisation, recipient_state: str) -> None:
    """Refuse an addressee that cannot receive a request of this route for this State."""
    addressing = ADDRESSING.get(route_id)
    if addressing is None:
        raise AddressingError(f"requests of the route {route_id} are not delivered on the platform: mark it as sent outside")
    if not has_function(organisation, addressing.functions):
        wanted = " or ".join(sorted(FUNCTION_NAMES[f] for f in addressing.functions))
        raise AddressingError(f"{organisation.name} is not {wanted}, which receives this request ({addressing.citation})")
    if not serves_state(organisation, recipient_state):
        raise AddressingError(
            f"{organisation.name} is in {organisation.country}, not in {recipient_state}, the State the request is addressed to"
        )


def find(function: Function, state: str) -> Organisation | None:
    """The one organisation on this instance with ``function`` in ``state`` (None if none, or if
    several: then the issuing authority chooses by sending outside the platform)."""
    found = list(Organisation.objects.filter(country=state).order_by("pk"))
    matching = [o for o in found if function.value in o.functions]
    return matching[0] if len(matching) == 1 else None


def recipients(request: Request) -> list[Recipient]:
    """Everyone the issued ``request`` goes to on this instance, the addressee first."""
    addressing = ADDRESSING.get(request.route_id)
    if addressing is None or request.recipient_organisation is None:
        return []
    out = [Recipient(addressing.role, addressing.package, request.recipient_organisation, addressing.citation)]
    data = request.data
    if request.route_id == "2ap-7" and data.get("notification_made") is True:
        out.append(
            Recipient(
                DeliveryRole.NOTIFIED,
                "notification",
                find(Function.NOTIFIED_AUTHORITY, request.recipient_state),
                "CETS 224 Art 7(5)(a): notified at the same time as the provider",
            )
        )
    if request.route_id == "eu-epoc" and data.get("enforcing_notified") is True:
        out.append(
            Recipient(
                DeliveryRole.ENFORCING,
                "authority",
                find(Function.ENFORCING_AUTHORITY, request.recipient_state),
                "Regulation (EU) 2023/1543 Art 8(1): notified at the same time as the addressee",
            )
        )
    return out


ROLE_NAMES = {
    DeliveryRole.ADDRESSEE: "the addressee",
    DeliveryRole.NOTIFIED: "the authority notified under CETS 224 Art 7(5)(a)",
    DeliveryRole.ENFORCING: "the enforcing authority",
    DeliveryRole.REQUESTED_PARTY: "the requested Party's authority",
    DeliveryRole.SERVED: "the provider served",
    DeliveryRole.CONTACT_247: "the 24/7 point of contact",
    DeliveryRole.CENTRAL: "the central authority",
}
