"""What an organisation's administrator changes in its directory entry: the policy profile a
provider or registrar publishes, and the rotation of the organisation's signing key. Each
function is one transaction with its audit record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pycountry
from django.contrib.auth.models import User
from django.db import transaction

from cyberspex.law.status import eu_member_on
from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import directory, signing
from cyberspex.web.exchange.models import PolicyProfile, SigningKey
from cyberspex.web.knowledge.reference import current_reference

# Regulation (EU) 2023/1543 Art 3 and Directive (EU) 2023/1544 Arts 3-4: the provider's
# addressee in the Union is its designated establishment or its legal representative.
ESTABLISHMENT_KINDS = ("designated_establishment", "legal_representative")
NOT_PUBLISHING = "only providers and registrars publish a policy profile in the directory"


@dataclass(frozen=True)
class PolicyInput:
    """A policy profile as submitted (the page's form or the API), not yet checked."""

    languages: list[str]
    electronic_submission: bool
    user_notification: str = ""
    confidentiality: str = ""
    emergency_disclosure: str = ""
    rdap_access: str = ""
    eu_establishment_kind: str = ""
    eu_establishment_state: str = ""
    eu_establishment_name: str = ""
    source: str = ""


def _administered(user: User) -> Organisation:
    """The organisation whose directory entry ``user`` administers (403 otherwise)."""
    found = membership(user)
    if found is None or not can(user, Action.MANAGE_DIRECTORY, found.organisation):
        raise ApplicationError("only an administrator of the organisation manages its directory entry", status=403)
    return found.organisation


def _audit(user: User, now: datetime, organisation: Organisation, **details: object) -> None:
    append(
        at=now,
        actor=user.get_username(),
        organisation=organisation.name,
        event=Event.CHANGE,
        object_type="organisation",
        object_id=str(organisation.pk),
        details=details,
    )


def check_languages(codes: list[str]) -> list[str]:
    """The codes, lower-cased and without repeats; 422 naming the first that is not ISO 639-1."""
    out: list[str] = []
    for raw in codes:
        code = raw.strip().lower()
        if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
            raise ApplicationError(
                f"{raw!r} is not an ISO 639-1 language code (two letters, e.g. en, de, fr)", field="languages", status=422
            )
        if code not in out:
            out.append(code)
    if not out:
        raise ApplicationError("state at least one language the organisation accepts", field="languages", status=422)
    return out


def _check_establishment(given: PolicyInput, now: datetime) -> tuple[str, str, str]:
    kind, state, name = given.eu_establishment_kind, given.eu_establishment_state.strip().upper(), given.eu_establishment_name
    if not (kind or state or name.strip()):
        return "", "", ""
    if kind not in ESTABLISHMENT_KINDS:
        raise ApplicationError(
            "choose whether it is a designated establishment or a legal representative",
            field="eu_establishment_kind",
            status=422,
        )
    if len(state) != 2 or pycountry.countries.get(alpha_2=state) is None:
        raise ApplicationError(
            f"{given.eu_establishment_state!r} is not an ISO 3166-1 alpha-2 State code (e.g. IE, DE)",
            field="eu_establishment_state",
            status=422,
        )
    if eu_member_on(current_reference(), state, now.date()) is not True:
        raise ApplicationError(
            f"{state} is not a Member State of the European Union: the establishment or representative is in the Union",
            field="eu_establishment_state",
            status=422,
        )
    if not name.strip():
        raise ApplicationError("name the establishment or legal representative", field="eu_establishment_name", status=422)
    return kind, state, name.strip()


def _check_source(source: str) -> str:
    source = source.strip()
    if source and not source.startswith("https://"):
        raise ApplicationError(
            "the source is the address of the page where the organisation states its policy (https://...)",
            field="source",
            status=422,
        )
    return source


@transaction.atomic
def policy_profile_save(*, user: User, given: PolicyInput, now: datetime) -> PolicyProfile:
    """Publish (or change) the policy profile of the administrator's provider or registrar."""
    organisation = _administered(user)
    if not directory.publishes_policy(organisation):
        raise ApplicationError(NOT_PUBLISHING, status=403)
    languages = check_languages(given.languages)
    kind, state, name = _check_establishment(given, now)
    source = _check_source(given.source)
    values = {
        "languages": languages,
        "electronic_submission": given.electronic_submission,
        "user_notification": given.user_notification.strip(),
        "confidentiality": given.confidentiality.strip(),
        "emergency_disclosure": given.emergency_disclosure.strip(),
        "rdap_access": given.rdap_access.strip(),
        "eu_establishment_kind": kind,
        "eu_establishment_state": state,
        "eu_establishment_name": name,
        "source": source,
    }
    existing = PolicyProfile.objects.select_for_update().filter(organisation=organisation).first()
    changed = sorted(k for k, v in values.items() if existing is None or getattr(existing, k) != v)
    profile, _created = PolicyProfile.objects.update_or_create(organisation=organisation, defaults={**values, "updated_at": now})
    _audit(user, now, organisation, policy_profile=changed)
    return profile


@transaction.atomic
def signing_key_rotate(*, user: User, now: datetime) -> SigningKey:
    """Retire the organisation's current key (it still verifies what it signed) and make a new one."""
    organisation = _administered(user)
    retired = list(SigningKey.objects.filter(organisation=organisation, retired_at__isnull=True).values_list("key_id", flat=True))
    key = signing.rotate(organisation, now)
    _audit(user, now, organisation, signing_key_rotated={"retired": retired, "new": key.key_id})
    return key
