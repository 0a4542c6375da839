"""The directory: organisations on this instance, what they do in an exchange, their public
signing keys and, for providers and registrars, their policy profile. Public within the
platform: every member may read it, to address a request and to verify a signature."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from django.db.models import Prefetch, QuerySet

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.exchange import routing
from cyberspex.web.exchange.models import Function, PolicyProfile, SigningKey
from cyberspex.web.exchange.signing import public_jwk

POLICY_FIELDS = (
    "languages",
    "electronic_submission",
    "user_notification",
    "confidentiality",
    "emergency_disclosure",
    "rdap_access",
    "eu_establishment_state",
    "eu_establishment_kind",
    "eu_establishment_name",
    "source",
)


# Who publishes a policy profile: providers and registrars.
PUBLISHING = frozenset({Function.PROVIDER.value, Function.REGISTRAR.value})


def publishes_policy(found: Organisation) -> bool:
    return bool(PUBLISHING & set(found.functions))


def fingerprint(key: SigningKey) -> str:
    """The SHA-256 of the raw public key, in hex groups of four (to compare by reading aloud)."""
    raw = base64.urlsafe_b64decode(key.public_key + "=" * (-len(key.public_key) % 4))
    digest = hashlib.sha256(raw).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def policy_of(found: Organisation) -> dict[str, Any] | None:
    try:
        policy: PolicyProfile = found.policy
    except PolicyProfile.DoesNotExist:
        return None
    return {name: getattr(policy, name) for name in POLICY_FIELDS} | {"updated_at": policy.updated_at.isoformat()}


def organisations(*, function: str = "", state: str = "", query: str = "") -> QuerySet[Organisation]:
    found = Organisation.objects.select_related("policy", "peer").prefetch_related(
        Prefetch("signing_keys", queryset=SigningKey.objects.order_by("retired_at", "-created_at"))
    )
    if state:
        found = found.filter(country=state.upper())
    if query:
        found = found.filter(name__icontains=query)
    if function:
        if function not in Function.values:
            return found.none()
        # JSON containment is not portable to SQLite: filter by function in Python over the
        # (small) list of organisations of the instance.
        ids = [o.pk for o in found if function in o.functions]
        found = found.filter(pk__in=ids)
    return found.order_by("country", "name")


def entry(found: Organisation) -> dict[str, Any]:
    return {
        "id": found.pk,
        "name": found.name,
        "kind": found.kind,
        "state": found.country,
        "functions": list(found.functions),
        # The instance that hosts it when it is a trusted peer's (federation/mirrors.py); null for this instance's own.
        "hosted_by": found.peer.instance_id if found.peer is not None else None,
        "signing_keys": [
            public_jwk(k)
            | {"fingerprint": fingerprint(k), "created_at": k.created_at.isoformat()}
            | ({"retired_at": k.retired_at.isoformat()} if k.retired_at else {})
            for k in found.signing_keys.all()
        ],
        "policy": policy_of(found),
    }


def entries(*, function: str = "", state: str = "", query: str = "") -> list[dict[str, Any]]:
    return [entry(o) for o in organisations(function=function, state=state, query=query)]


def addressees(route_id: str, recipient_state: str) -> list[Organisation]:
    """The organisations a request of ``route_id`` may be addressed to: those with the function
    the route needs (routing.ADDRESSING) in ``recipient_state`` (or, a provider, with its EU
    establishment there); every one with the function while no State is chosen."""
    addressing = routing.ADDRESSING.get(route_id)
    if addressing is None:
        return []
    found = Organisation.objects.select_related("policy").order_by("country", "name")
    return [
        o
        for o in found
        if routing.has_function(o, addressing.functions) and (not recipient_state or routing.serves_state(o, recipient_state))
    ]


def published_policies(state: str) -> list[Organisation]:
    """Providers and registrars on this instance in ``state`` (or with their EU establishment
    there) that publish a policy profile: what the voluntary route depends on (CETS 224 Art 5(7)
    leaves it to the provider's own policy), shown next to that route."""
    found = Organisation.objects.select_related("policy").filter(policy__isnull=False).order_by("name")
    return [o for o in found if publishes_policy(o) and routing.serves_state(o, state)]
