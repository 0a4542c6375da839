"""Demo organisations and people for `cyberspex serve --demo`: one of each role, with a known
TOTP secret so that an authenticator app (or `cyberspex demo-code USER`) gives the codes."""

from __future__ import annotations

import binascii
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # demo accounts only, printed to the user


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    organisation: str


ORGANISATIONS = (
    ("Parquet de Paris (demo)", OrganisationKind.ISSUING_AUTHORITY, "FR"),
    ("Ministère de la Justice, autorité centrale (demo)", OrganisationKind.CENTRAL_AUTHORITY, "FR"),
    ("OFAC 24/7 point of contact (demo)", OrganisationKind.CONTACT_247, "FR"),
    ("Example Mail Services LLC (demo)", OrganisationKind.PROVIDER, "US"),
    ("Example Registrar Inc. (demo)", OrganisationKind.REGISTRAR, "US"),
    ("Bundesamt für Justiz, Art 7(5) authority (demo)", OrganisationKind.NOTIFIED_AUTHORITY, "DE"),
)
USERS = (
    DemoUser("investigator", Role.INVESTIGATOR, ORGANISATIONS[0][0]),
    DemoUser("prosecutor", Role.PROSECUTOR, ORGANISATIONS[0][0]),
    DemoUser("supervisor", Role.SUPERVISOR, ORGANISATIONS[0][0]),
    DemoUser("auditor", Role.AUDITOR, ORGANISATIONS[0][0]),
    DemoUser("central", Role.CENTRAL_AUTHORITY, ORGANISATIONS[1][0]),
    DemoUser("contact247", Role.CONTACT_247, ORGANISATIONS[2][0]),
    DemoUser("provider", Role.RESPONDER, ORGANISATIONS[3][0]),
    DemoUser("registrar", Role.RESPONDER, ORGANISATIONS[4][0]),
    DemoUser("notified", Role.NOTIFIED_AUTHORITY, ORGANISATIONS[5][0]),
)


def demo_secret(username: str) -> bytes:
    """A fixed, per-user TOTP key: demo only, so that codes can be produced for the demo."""
    return f"cyberspex-demo-{username}".encode().ljust(20, b"0")[:20]


@transaction.atomic
def load_demo() -> list[DemoUser]:
    """Create the demo organisations and users if missing; return the users."""
    orgs = {}
    for name, kind, country in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "country": country})
    for demo in USERS:
        user, created = User.objects.get_or_create(username=demo.username, defaults={"email": f"{demo.username}@demo.invalid"})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.update_or_create(user=user, defaults={"organisation": orgs[demo.organisation], "role": demo.role})
        TOTPDevice.objects.get_or_create(
            user=user, name="demo", defaults={"key": binascii.hexlify(demo_secret(demo.username)).decode(), "confirmed": True}
        )
    return list(USERS)
