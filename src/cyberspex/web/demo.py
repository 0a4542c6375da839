"""Demo organisations and people for `cyberspex serve --demo`: one of each role, with a known
TOTP secret so that an authenticator app (or `cyberspex demo-code USER`) gives the codes.

The organisations cover both sides of an exchange: issuing authorities in France and in Serbia
(a Party to CETS 224 outside the EU), and a recipient of every kind, each with its functions in
the directory (``exchange.models.Function``) and, for providers and the registrar, a fictitious
policy profile. A demo instance is an exercise instance: ``seed_exchanges`` issues, once, a few
requests through the real services so that every receiving inbox has something to do, each
stamped as an exercise."""

from __future__ import annotations

import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.resources import files
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, OrganisationProfile, Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Case, Request
from cyberspex.web.cases.selectors import what_if
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange.models import Function, PolicyProfile
from cyberspex.web.training.models import Cohort

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # demo accounts only, printed to the user


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    organisation: str
    first_name: str = ""  # fictitious names, printed where an order names who issued or validated it
    last_name: str = ""


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: OrganisationKind
    country: str
    functions: tuple[Function, ...] = ()  # what it does in an exchange (exchange.models.Function)


PARIS = "Parquet de Paris (demo)"
CENTRAL = "Ministère de la Justice, autorité centrale (demo)"
CONTACT_247 = "OFAC 24/7 point of contact (demo)"
PROVIDER_IE = "Example Mail Services LLC (demo)"
REGISTRAR = "Example Registrar Inc. (demo)"
NOTIFIED_DE = "Bundesamt für Justiz, Art 7(5) authority (demo)"
PROVIDER_DE = "Beispiel Mail GmbH (demo)"
BELGRADE = "Posebno tužilaštvo za VTK, Beograd (demo)"
# Trainees and trainers work in an exercise organisation: it can touch no real case (accounts/access.py).
TRAINING_CENTRE = "Judicial training centre, exercise organisation (demo)"
COHORT = "Cohort 2026: cross-border e-evidence (demo)"
SECRETARIAT = "CyberSPEX project secretariat (demo)"

# Every organisation is fictitious or a demo stand-in, and its name ends in "(demo)".
ORGANISATIONS = (
    DemoOrganisation(PARIS, OrganisationKind.ISSUING_AUTHORITY, "FR"),
    DemoOrganisation(CENTRAL, OrganisationKind.CENTRAL_AUTHORITY, "FR", (Function.CENTRAL_AUTHORITY, Function.REQUESTED_PARTY)),
    DemoOrganisation(CONTACT_247, OrganisationKind.CONTACT_247, "FR", (Function.CONTACT_247,)),
    DemoOrganisation(PROVIDER_IE, OrganisationKind.PROVIDER, "US", (Function.PROVIDER,)),
    DemoOrganisation(REGISTRAR, OrganisationKind.REGISTRAR, "US", (Function.REGISTRAR,)),
    DemoOrganisation(
        NOTIFIED_DE,
        OrganisationKind.NOTIFIED_AUTHORITY,
        "DE",
        (Function.NOTIFIED_AUTHORITY, Function.ENFORCING_AUTHORITY, Function.REQUESTED_PARTY),
    ),
    DemoOrganisation(PROVIDER_DE, OrganisationKind.PROVIDER, "DE", (Function.PROVIDER,)),
    # A Party to CETS 224 outside the EU, so that an Art 7 order with 7(5) notification can be
    # rehearsed towards a provider in Germany.
    DemoOrganisation(BELGRADE, OrganisationKind.ISSUING_AUTHORITY, "RS"),
    DemoOrganisation(TRAINING_CENTRE, OrganisationKind.EXERCISE, "FR"),
    # Curates the reference data (treaty status, positions): two curators, so that one reviews
    # what the other proposes (four-eyes rule, cyberspex/web/knowledge/curation.py).
    DemoOrganisation(SECRETARIAT, OrganisationKind.SECRETARIAT, "FR"),
)
# How each demo issuing authority signs its orders (fictitious contact details).
PROFILES = {
    PARIS: {
        "authority_name": "Parquet de Paris, section J3 (cybercriminalité) (demo)",
        "address": "Tribunal judiciaire de Paris, Parvis du Tribunal de Paris, 75017 Paris",
        "contact_person": "Substitut du procureur, section J3 (demo)",
        "email": "j3-cyber@parquet-paris.demo.invalid",
        "phone": "+33100000000",
    },
    BELGRADE: {
        "authority_name": "Posebno tužilaštvo za visokotehnološki kriminal, Beograd (demo)",
        "address": "Savska 17a, 11000 Beograd",
        "contact_person": "Zamenik tužioca za VTK (demo)",
        "email": "vtk@tuzilastvo.demo.invalid",
        "phone": "+381100000000",
    },
}
# What the demo providers publish in the directory (fictitious practices).
POLICIES = {
    PROVIDER_IE: {
        "languages": ["en"],
        "eu_establishment_state": "IE",
        "eu_establishment_kind": "designated_establishment",
        "eu_establishment_name": "Example Mail Services Ireland Limited (demo)",
        "user_notification": "Demo policy: users are told of a request unless the order forbids it.",
        "confidentiality": "Demo policy: orders marked confidential are not disclosed to the user.",
        "emergency_disclosure": "Demo policy: emergency requests are answered around the clock.",
    },
    PROVIDER_DE: {
        "languages": ["de", "en"],
        "user_notification": "Demo policy: users are told of a request unless the order forbids it.",
        "confidentiality": "Demo policy: orders marked confidential are not disclosed to the user.",
    },
    REGISTRAR: {
        "languages": ["en"],
        "rdap_access": "Demo policy: registration data through RDAP for authorities on request.",
    },
}
USERS = (
    DemoUser("investigator", Role.INVESTIGATOR, PARIS, "Luc", "Bernard (demo)"),
    DemoUser("prosecutor", Role.PROSECUTOR, PARIS, "Claire", "Martin (demo)"),
    # an investigating judge (juge d'instruction)
    DemoUser("judge", Role.JUDGE, PARIS, "Paul", "Lefèvre (demo)"),
    DemoUser("supervisor", Role.SUPERVISOR, PARIS, "Anne", "Roux (demo)"),
    DemoUser("auditor", Role.AUDITOR, PARIS),
    DemoUser("administrator", Role.ADMINISTRATOR, PARIS),
    DemoUser("central", Role.CENTRAL_AUTHORITY, CENTRAL),
    DemoUser("contact247", Role.CONTACT_247, CONTACT_247),
    DemoUser("provider", Role.RESPONDER, PROVIDER_IE),
    DemoUser("registrar", Role.RESPONDER, REGISTRAR),
    DemoUser("notified", Role.NOTIFIED_AUTHORITY, NOTIFIED_DE),
    DemoUser("provider-de", Role.RESPONDER, PROVIDER_DE),
    DemoUser("investigator-rs", Role.INVESTIGATOR, BELGRADE, "Marko", "Petrović (demo)"),
    DemoUser("prosecutor-rs", Role.PROSECUTOR, BELGRADE, "Jelena", "Jovanović (demo)"),
    DemoUser("trainee", Role.TRAINEE, TRAINING_CENTRE, "Sophie", "Durand (demo)"),
    DemoUser("trainer", Role.TRAINER, TRAINING_CENTRE, "Marc", "Petit (demo)"),
    DemoUser("curator", Role.CURATOR, SECRETARIAT, "Sofia", "Rossi (demo)"),
    DemoUser("curator2", Role.CURATOR, SECRETARIAT, "Jan", "Novak (demo)"),
)


def demo_secret(username: str) -> bytes:
    """A fixed, per-user TOTP key: demo only, so that codes can be produced for the demo."""
    return f"cyberspex-demo-{username}".encode().ljust(20, b"0")[:20]


DEMO_EMAIL_DOMAIN = "demo.invalid"
SYSTEM_USERNAME = "cyberspex-system"  # the inactive actor of `cyberspex retention run`, not a person


class NotADemoDatabase(Exception):
    """The database holds people who are not demo users: demo accounts must not be added to it."""


def non_demo_users() -> list[str]:
    """Usernames on this database that are neither demo users nor the system actor."""
    demo = {u.username for u in USERS} | {SYSTEM_USERNAME}
    return sorted(set(User.objects.exclude(username__in=demo).values_list("username", flat=True)))


def _organisation(demo: DemoOrganisation, now: datetime) -> Organisation:
    """The demo organisation, made if missing; an older demo database gains the functions and
    profiles added since (functions are added, never removed: an administrator may have added more)."""
    found, _ = Organisation.objects.get_or_create(
        name=demo.name, defaults={"kind": demo.kind, "country": demo.country, "functions": [f.value for f in demo.functions]}
    )
    missing = [f.value for f in demo.functions if f.value not in found.functions]
    if missing:
        found.functions = [*found.functions, *missing]
        found.save(update_fields=["functions"])
    if demo.name in PROFILES:
        OrganisationProfile.objects.get_or_create(organisation=found, defaults=PROFILES[demo.name])
    if demo.name in POLICIES:
        PolicyProfile.objects.get_or_create(
            organisation=found, defaults={**POLICIES[demo.name], "source": "demo", "updated_at": now}
        )
    return found


@transaction.atomic
def load_demo(now: datetime | None = None) -> list[DemoUser]:
    """Create the demo organisations and users if missing; return the users.

    Refused (NotADemoDatabase) on a database with any other user: demo accounts have a
    published password and TOTP secret. An existing user's role, password and devices are
    never changed: only what is missing is added (and the functions and policy profiles of
    organisations made by an older version)."""
    others = non_demo_users()
    if others:
        shown = ", ".join(others[:5]) + (" ..." if len(others) > 5 else "")
        raise NotADemoDatabase(
            f"this database has {len(others)} user(s) who are not demo users ({shown}); "
            "--demo runs only on an empty or demo database (set CYBERSPEX_DATA_DIR or DATABASE_URL to another one)"
        )
    now = now or timezone.now()
    orgs = {demo.name: _organisation(demo, now) for demo in ORGANISATIONS}
    for demo in USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "email": f"{demo.username}@{DEMO_EMAIL_DOMAIN}",
                "first_name": demo.first_name,
                "last_name": demo.last_name,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, defaults={"organisation": orgs[demo.organisation], "role": demo.role})
        if created:  # an existing user keeps the devices they have (or had reset by an administrator)
            TOTPDevice.objects.create(
                user=user, name="demo", key=binascii.hexlify(demo_secret(demo.username)).decode(), confirmed=True
            )
    _cohort(orgs[TRAINING_CENTRE], now)
    return list(USERS)


def _cohort(centre: Organisation, now: datetime) -> None:
    """The demo cohort of the exercise organisation, with the demo trainee in it (made once)."""
    cohort, created = Cohort.objects.get_or_create(organisation=centre, name=COHORT, defaults={"created_at": now})
    if created:
        cohort.trainees.add(*User.objects.filter(username="trainee", membership__organisation=centre))


def functions_of(organisation: str) -> str:
    """The functions of a demo organisation, for the listing printed at start-up."""
    demo = next(o for o in ORGANISATIONS if o.name == organisation)
    return ", ".join(str(f.label) for f in demo.functions)


# -- Exercises seeded on a demo instance ----------------------------------------------------


@dataclass(frozen=True)
class DemoExchange:
    """A request issued on a demo instance so that its recipients' inboxes have something to do.
    ``reference`` is the case reference in the issuing organisation: the marker that it was seeded."""

    reference: str
    issuer: str  # the demo user who drafts and issues it
    form_id: str
    recipient: str  # the demo organisation it is addressed to
    recipient_state: str
    assume_in_force: bool
    assume_ratified: str
    description: str


EXCHANGES = (
    DemoExchange(
        "DEMO-EX-EPOC-1",
        "prosecutor",
        "eu-epoc",
        PROVIDER_IE,
        "IE",
        False,
        "",
        "European Production Order (subscriber data) from Paris to provider, through its Irish establishment",
    ),
    DemoExchange(
        "DEMO-EX-ART7-1",
        "prosecutor-rs",
        "2ap-7-order",
        PROVIDER_DE,
        "DE",
        True,
        "RS,DE",
        "CETS 224 Art 7 order from Belgrade to provider-de, notified at the same time to notified (Art 7(5)(a))",
    ),
    DemoExchange(
        "DEMO-EX-ART9-1",
        "prosecutor-rs",
        "2ap-9-request",
        CONTACT_247,
        "FR",
        True,
        "RS,FR",
        "CETS 224 Art 9 emergency request from Belgrade to the French 24/7 point of contact (contact247)",
    ),
)

_CASE: dict[str, Any] = {
    "title": "Phishing campaign (demo exercise, fictitious)",
    "offences": [
        {
            "description": "Computer fraud by phishing (demo, fictitious)",
            "provisions": "Demo exercise: the provisions and penalty are not cited (fictitious case)",
            "max_penalty_years": 8,
        }
    ],
    "summary_of_facts": "Fictitious facts for an exercise: customers received e-mails imitating their bank.",
    "identifiers": [{"kind": "email", "value": "j.doe.1987@mail.example.com"}],
    "persons": [{"name": "John Doe (fictitious)", "role": "suspect"}],
    "classification": "restricted",
}


_CASE_TEXTS: dict[str, Any] = {
    "offences": _CASE["offences"],
    "legal_grounds": "Demo exercise: the legal grounds are not cited",
    "instructions": "Do not inform the subscriber (demo exercise).",
    "summary_of_facts": _CASE["summary_of_facts"],
}


def _example(form_id: str) -> dict[str, Any]:
    path = files("cyberspex") / "data" / "forms" / "examples" / f"{form_id}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _authority(organisation: str, reference: str) -> dict[str, Any]:
    profile = PROFILES[organisation]
    country = next(o.country for o in ORGANISATIONS if o.name == organisation)
    return {
        "name": profile["authority_name"],
        "address": profile["address"],
        "country": country,
        "reference": reference,
        "contact": {"person": profile["contact_person"], "phone": profile["phone"], "email": profile["email"]},
    }


def exchange_data(exchange: DemoExchange, issuing: str, now: datetime) -> dict[str, Any]:
    """The form data of a seeded exercise: the shipped example, addressed to the demo organisation."""
    data = _example(exchange.form_id)
    data.update(recipient_state=exchange.recipient_state, date_of_issue=now.date().isoformat(), language="en")
    data["issuing_authority"] = _authority(issuing, exchange.reference)
    if exchange.form_id == "eu-epoc":
        data["addressee"] = {
            "name": POLICIES[PROVIDER_IE]["eu_establishment_name"],
            "kind": "designated_establishment",
            "address": "1 Example Quay, Dublin 2",
            "country": "IE",
        }
    elif exchange.form_id == "2ap-7-order":
        data["provider"] = {
            "name": "Beispiel Mail",
            "legal_entity": PROVIDER_DE,
            "address": "Beispielstraße 1, 10115 Berlin, Germany",
            "country": "DE",
        }
        data["contact_authority"] = _authority(issuing, exchange.reference)
        data.pop("requesting_authority", None)  # the issuing authority seeks the data itself
        data["notification_made"] = True  # CETS 224 Art 7(4)(g): the notified authority receives it too
        data.update(_CASE_TEXTS)
    elif exchange.form_id == "2ap-9-request":
        data["provider"] = {
            "name": "Exemple Hébergement",
            "legal_entity": "Exemple Hébergement SAS (demo)",
            "address": "1 rue de l'Exemple, 75002 Paris, France",
            "country": "FR",
        }
    return data


@dataclass
class Seeding:
    """What ``seed_exchanges`` did: the requests issued now, and the exercises it could not issue
    (with the reason, e.g. an administrator changed the issuer's role), which the start-up prints."""

    issued: list[Request] = field(default_factory=list)
    not_seeded: list[tuple[str, str]] = field(default_factory=list)


def seed_exchanges(now: datetime | None = None) -> Seeding:
    """Issue the demo exercises not yet issued, through the real services (once: each is marked
    by its case reference in the issuing organisation). Only on an exercise instance: elsewhere
    nothing is seeded. One transaction per exercise: one that cannot be issued leaves nothing."""
    seeding = Seeding()
    if not settings.EXERCISE_MODE:
        return seeding
    now = now or timezone.now()
    for exchange in EXCHANGES:
        found = Membership.objects.select_related("user", "organisation").filter(user__username=exchange.issuer).first()
        if found is None:
            seeding.not_seeded.append((exchange.reference, f"the demo user {exchange.issuer!r} has no organisation"))
            continue
        if Case.objects.filter(organisation=found.organisation, reference=exchange.reference).exists():
            continue
        try:
            seeding.issued.append(_seed(exchange, found.user, found.organisation, now))
        except ApplicationError as error:  # NotFound too
            seeding.not_seeded.append((exchange.reference, str(error)))
    return seeding


@transaction.atomic
def _seed(exchange: DemoExchange, user: User, organisation: Organisation, now: datetime) -> Request:
    case = services.case_create(
        user=user,
        reference=exchange.reference,
        retention_review_date=now.date() + timedelta(days=365),
        now=now,
        **_CASE,
    )
    made, _ = services.request_draft(
        user=user,
        case_id=case.pk,
        form_id=exchange.form_id,
        data=exchange_data(exchange, organisation.name, now),
        now=now,
        what_if=what_if(assume_in_force=exchange.assume_in_force, assume_ratified=exchange.assume_ratified),
        recipient_organisation=Organisation.objects.get(name=exchange.recipient).pk,
    )
    return services.request_transition(user=user, request_id=made.pk, target="issued", now=now)
