"""Demo organisations and people for `cyberspex serve --demo`: one of each role, with a known
TOTP secret so that an authenticator app (or `cyberspex demo-code USER`) gives the codes."""

from __future__ import annotations

import binascii
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, OrganisationProfile, Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # demo accounts only, printed to the user


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    organisation: str
    first_name: str = ""  # fictitious names, printed where an order names who issued or validated it
    last_name: str = ""


ORGANISATIONS = (
    ("Parquet de Paris (demo)", OrganisationKind.ISSUING_AUTHORITY, "FR"),
    ("Ministère de la Justice, autorité centrale (demo)", OrganisationKind.CENTRAL_AUTHORITY, "FR"),
    ("OFAC 24/7 point of contact (demo)", OrganisationKind.CONTACT_247, "FR"),
    ("Example Mail Services LLC (demo)", OrganisationKind.PROVIDER, "US"),
    ("Example Registrar Inc. (demo)", OrganisationKind.REGISTRAR, "US"),
    ("Bundesamt für Justiz, Art 7(5) authority (demo)", OrganisationKind.NOTIFIED_AUTHORITY, "DE"),
)
# How each demo issuing authority signs its orders (fictitious contact details).
PROFILES = {
    "Parquet de Paris (demo)": {
        "authority_name": "Parquet de Paris, section J3 (cybercriminalité) (demo)",
        "address": "Tribunal judiciaire de Paris, Parvis du Tribunal de Paris, 75017 Paris",
        "contact_person": "Substitut du procureur, section J3 (demo)",
        "email": "j3-cyber@parquet-paris.demo.invalid",
        "phone": "+33100000000",
    },
}
USERS = (
    DemoUser("investigator", Role.INVESTIGATOR, ORGANISATIONS[0][0], "Luc", "Bernard (demo)"),
    DemoUser("prosecutor", Role.PROSECUTOR, ORGANISATIONS[0][0], "Claire", "Martin (demo)"),
    # an investigating judge (juge d'instruction)
    DemoUser("judge", Role.JUDGE, ORGANISATIONS[0][0], "Paul", "Lefèvre (demo)"),
    DemoUser("supervisor", Role.SUPERVISOR, ORGANISATIONS[0][0], "Anne", "Roux (demo)"),
    DemoUser("auditor", Role.AUDITOR, ORGANISATIONS[0][0]),
    DemoUser("administrator", Role.ADMINISTRATOR, ORGANISATIONS[0][0]),
    DemoUser("central", Role.CENTRAL_AUTHORITY, ORGANISATIONS[1][0]),
    DemoUser("contact247", Role.CONTACT_247, ORGANISATIONS[2][0]),
    DemoUser("provider", Role.RESPONDER, ORGANISATIONS[3][0]),
    DemoUser("registrar", Role.RESPONDER, ORGANISATIONS[4][0]),
    DemoUser("notified", Role.NOTIFIED_AUTHORITY, ORGANISATIONS[5][0]),
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


@transaction.atomic
def load_demo() -> list[DemoUser]:
    """Create the demo organisations and users if missing; return the users.

    Refused (NotADemoDatabase) on a database with any other user: demo accounts have a
    published password and TOTP secret. An existing user's role, password and devices are
    never changed: only what is missing is added."""
    others = non_demo_users()
    if others:
        shown = ", ".join(others[:5]) + (" ..." if len(others) > 5 else "")
        raise NotADemoDatabase(
            f"this database has {len(others)} user(s) who are not demo users ({shown}); "
            "--demo runs only on an empty or demo database (set CYBERSPEX_DATA_DIR or DATABASE_URL to another one)"
        )
    orgs = {}
    for name, kind, country in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "country": country})
        if name in PROFILES:
            OrganisationProfile.objects.get_or_create(organisation=orgs[name], defaults=PROFILES[name])
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
    return list(USERS)
