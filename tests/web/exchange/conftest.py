"""Organisations on both sides of an exchange on one instance.

- ``rs``: an issuing authority in Serbia (a Party to CETS 224 outside the EU), every role;
- ``provider_de``: a provider established in Germany (function ``provider``);
- ``bfj``: the German authority notified of Art 7 orders (Art 7(5)(a)) and enforcing authority
  under the Regulation;
- ``provider_ie``: a provider in the United States whose EU designated establishment is in Ireland.

Articles 6 to 10 of the Protocol are not in force: orders under them are rehearsed on an exercise
instance with what-if assumptions (``rehearsal``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role
from cyberspex.web.cases import services
from cyberspex.web.cases.selectors import what_if
from cyberspex.web.exchange.models import Delivery, DeliveryRole, Function, PolicyProfile
from tests.web.conftest import Org
from tests.web.helpers import NOW


def organisation(prefix: str, name: str, kind: OrganisationKind, country: str, functions: list[Function]) -> Org:
    found = Organisation.objects.create(name=name, kind=kind, country=country, functions=[f.value for f in functions])
    users = User.objects.bulk_create([User(username=f"{prefix}-{role.value}") for role in Role])
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=found, role=role) for user, role in zip(users, Role, strict=True)]
    )
    return Org(found, dict(zip(Role, users, strict=True)))


@pytest.fixture
def rs(db: None) -> Org:  # noqa: ARG001  # needs the database
    return organisation("rs", "Posebno tužilaštvo za VTK, Beograd", OrganisationKind.ISSUING_AUTHORITY, "RS", [])


@pytest.fixture
def provider_de(db: None) -> Org:  # noqa: ARG001
    return organisation("pde", "Beispiel Mail GmbH", OrganisationKind.PROVIDER, "DE", [Function.PROVIDER])


@pytest.fixture
def bfj(db: None) -> Org:  # noqa: ARG001
    return organisation(
        "bfj",
        "Bundesamt für Justiz",
        OrganisationKind.NOTIFIED_AUTHORITY,
        "DE",
        [Function.NOTIFIED_AUTHORITY, Function.ENFORCING_AUTHORITY, Function.REQUESTED_PARTY],
    )


@pytest.fixture
def provider_ie(db: None) -> Org:  # noqa: ARG001
    found = organisation("pie", "Example Mail Services LLC", OrganisationKind.PROVIDER, "US", [Function.PROVIDER])
    PolicyProfile.objects.create(
        organisation=found.organisation,
        languages=["en"],
        eu_establishment_state="IE",
        eu_establishment_kind="designated_establishment",
        eu_establishment_name="Example Mail Services Ireland Limited",
        updated_at=NOW,
    )
    return found


@pytest.fixture
def rehearsal() -> Iterator[WhatIf]:
    """An exercise instance, and the what-if that the Protocol is in force and ratified by Serbia and Germany."""
    with override_settings(EXERCISE_MODE=True):
        yield what_if(assume_in_force=True, assume_ratified="RS,DE")


# -- answers (tests/web/exchange/test_answer*.py) ------------------------------------------------


@pytest.fixture
def produced(produced_files: Path) -> Path:
    """Where this test's produced files are stored (tests/web/conftest.py)."""
    return produced_files


@pytest.fixture
def delivered(rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf) -> Delivery:  # noqa: ARG001  # bfj: notified
    """An Art 7 order issued by Serbia, delivered to the German provider and its notified authority."""
    from tests.web.exchange.test_delivery import art7_order  # noqa: PLC0415

    order = art7_order(rs, provider_de, rehearsal)
    services.request_transition(user=rs[Role.PROSECUTOR], request_id=order.pk, target="issued", now=NOW)
    return Delivery.objects.get(request=order, role=DeliveryRole.ADDRESSEE)
