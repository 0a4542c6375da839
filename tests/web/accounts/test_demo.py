"""`serve --demo` adds its published accounts only to an empty or demo database, and never
changes what an existing account is allowed to do."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from cyberspex.cli import web
from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, OrganisationProfile, Role
from cyberspex.web.cases.models import Case, Request, State
from cyberspex.web.demo import (
    BELGRADE,
    EXCHANGES,
    NOTIFIED_DE,
    ORGANISATIONS,
    PROVIDER_DE,
    PROVIDER_IE,
    USERS,
    NotADemoDatabase,
    Seeding,
    demo_secret,
    load_demo,
    seed_exchanges,
)
from cyberspex.web.exchange import selectors
from cyberspex.web.exchange.delivery import EXERCISE_MARK
from cyberspex.web.exchange.models import Delivery, DeliveryRole, Function, PolicyProfile
from tests.web.conftest import Org
from tests.web.helpers import NOW, verified_session


@pytest.mark.django_db
def test_it_loads_the_demo_on_an_empty_database_with_every_user_enrolled() -> None:
    load_demo()
    assert set(User.objects.values_list("username", flat=True)) == {u.username for u in USERS}
    assert TOTPDevice.objects.filter(confirmed=True).count() == len(USERS)


@pytest.mark.django_db
def test_it_loads_the_demo_again_without_changing_anything() -> None:
    load_demo()
    before = sorted(Membership.objects.values_list("user__username", "role", "organisation__name"))
    load_demo()
    assert sorted(Membership.objects.values_list("user__username", "role", "organisation__name")) == before
    assert TOTPDevice.objects.count() == len(USERS)


def test_it_refuses_a_database_with_people_who_are_not_demo_users(fr: Org) -> None:
    with pytest.raises(NotADemoDatabase, match="not demo users"):
        load_demo()
    assert not User.objects.filter(username__in=[u.username for u in USERS]).exists()
    assert fr[Role.ADMINISTRATOR].membership.role == Role.ADMINISTRATOR


@pytest.mark.django_db
def test_it_never_changes_the_role_of_an_existing_demo_account() -> None:
    load_demo()
    Membership.objects.filter(user__username="investigator").update(role=Role.AUDITOR)
    TOTPDevice.objects.filter(user__username="investigator").delete()  # reset by an administrator
    load_demo()
    assert Membership.objects.get(user__username="investigator").role == Role.AUDITOR
    assert not TOTPDevice.objects.filter(user__username="investigator").exists()


# -- the receiving side: organisations with their functions, and seeded exercises ------------


@pytest.mark.django_db
def test_it_gives_every_demo_organisation_its_functions_and_every_provider_its_policy() -> None:
    load_demo(NOW)
    for demo in ORGANISATIONS:
        assert Organisation.objects.get(name=demo.name).functions == [f.value for f in demo.functions]
    assert PolicyProfile.objects.get(organisation__name=PROVIDER_IE).eu_establishment_state == "IE"
    assert PolicyProfile.objects.get(organisation__name=PROVIDER_DE).languages == ["de", "en"]
    notified = Organisation.objects.get(name=NOTIFIED_DE)
    assert {Function.NOTIFIED_AUTHORITY, Function.ENFORCING_AUTHORITY, Function.REQUESTED_PARTY} <= set(notified.functions)
    assert OrganisationProfile.objects.get(organisation__name=BELGRADE).authority_name.endswith("(demo)")
    assert all(o.name.endswith("(demo)") for o in Organisation.objects.all())


@pytest.mark.django_db
def test_it_adds_the_users_of_the_receiving_side_and_of_the_serbian_issuing_authority() -> None:
    load_demo(NOW)
    members = {m.user.username: m for m in Membership.objects.select_related("user", "organisation")}
    assert (members["provider-de"].organisation.country, members["provider-de"].role) == ("DE", Role.RESPONDER)
    assert (members["prosecutor-rs"].organisation.country, members["prosecutor-rs"].role) == ("RS", Role.PROSECUTOR)
    assert (members["investigator-rs"].organisation.country, members["investigator-rs"].role) == ("RS", Role.INVESTIGATOR)
    assert members["provider"].organisation.name == PROVIDER_IE


@pytest.mark.django_db
def test_loading_twice_makes_no_second_organisation_profile_or_policy() -> None:
    load_demo(NOW)
    counts = (Organisation.objects.count(), OrganisationProfile.objects.count(), PolicyProfile.objects.count())
    load_demo(NOW)
    assert (Organisation.objects.count(), OrganisationProfile.objects.count(), PolicyProfile.objects.count()) == counts


@pytest.mark.django_db
def test_it_upgrades_a_demo_database_made_before_organisations_had_functions() -> None:
    old = {
        PROVIDER_IE: ("provider", OrganisationKind.PROVIDER, "US"),
        NOTIFIED_DE: ("notified", OrganisationKind.NOTIFIED_AUTHORITY, "DE"),
    }
    for name, (username, kind, country) in old.items():
        organisation = Organisation.objects.create(name=name, kind=kind, country=country)
        Membership.objects.create(user=User.objects.create(username=username), organisation=organisation, role=Role.RESPONDER)
    Organisation.objects.filter(name=NOTIFIED_DE).update(functions=["consultation_desk"])  # added by its administrator
    load_demo(NOW)
    assert Organisation.objects.get(name=PROVIDER_IE).functions == [Function.PROVIDER]
    assert Organisation.objects.get(name=NOTIFIED_DE).functions == [
        "consultation_desk",
        Function.NOTIFIED_AUTHORITY,
        Function.ENFORCING_AUTHORITY,
        Function.REQUESTED_PARTY,
    ]
    assert PolicyProfile.objects.filter(organisation__name=PROVIDER_IE, eu_establishment_state="IE").exists()
    assert Membership.objects.get(user__username="provider").role == Role.RESPONDER  # unchanged
    assert User.objects.filter(username__in=["provider-de", "prosecutor-rs", "investigator-rs"]).count() == 3


def test_the_second_factor_of_the_new_demo_users_is_printed_by_demo_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(web, "_setup", lambda: tmp_path)
    for username in ("provider-de", "investigator-rs", "prosecutor-rs"):
        assert web.demo_code(argparse.Namespace(username=username)) == (0, f"{totp(demo_secret(username)):06d}")


@pytest.fixture
def seeded(db: None) -> list[Request]:  # noqa: ARG001  # needs the database
    with override_settings(EXERCISE_MODE=True):
        load_demo(NOW)
        return seed_exchanges(NOW).issued


def inbox_of(username: str) -> list[Delivery]:
    return list(Delivery.objects.filter(organisation=User.objects.get(username=username).membership.organisation))


def test_a_demo_instance_seeds_an_issued_exercise_for_every_receiving_inbox(seeded: list[Request]) -> None:
    assert [r.case.reference for r in seeded] == [e.reference for e in EXCHANGES]
    assert all(r.state == State.ISSUED for r in seeded)
    assert [(d.request.form_id, d.role) for d in inbox_of("provider")] == [("eu-epoc", DeliveryRole.ADDRESSEE)]
    assert [(d.request.form_id, d.role) for d in inbox_of("provider-de")] == [("2ap-7-order", DeliveryRole.ADDRESSEE)]
    assert [(d.request.form_id, d.role) for d in inbox_of("notified")] == [("2ap-7-order", DeliveryRole.NOTIFIED)]
    assert [(d.request.form_id, d.role) for d in inbox_of("contact247")] == [("2ap-9-request", DeliveryRole.CONTACT_247)]
    order = inbox_of("provider-de")[0].request
    assert order.case.organisation.country == "RS"
    assert order.route_advice["what_if"]["assume_in_force"] is True


@pytest.mark.usefixtures("seeded")
def test_seeding_again_issues_nothing_more() -> None:
    with override_settings(EXERCISE_MODE=True):
        load_demo(NOW)
        assert seed_exchanges(NOW) == Seeding()
    assert Delivery.objects.count() == 4
    assert Case.objects.count() == len(EXCHANGES)


@pytest.mark.django_db
def test_nothing_is_seeded_on_an_instance_that_is_not_in_exercise_mode() -> None:
    load_demo(NOW)
    assert seed_exchanges(NOW) == Seeding()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_an_exercise_whose_issuer_may_no_longer_issue_is_reported_and_leaves_nothing_behind() -> None:
    load_demo(NOW)
    Membership.objects.filter(user__username="prosecutor").update(role=Role.AUDITOR)  # changed by an administrator
    with override_settings(EXERCISE_MODE=True):
        seeding = seed_exchanges(NOW)
    assert [r.case.reference for r in seeding.issued] == ["DEMO-EX-ART7-1", "DEMO-EX-ART9-1"]
    assert [reference for reference, _ in seeding.not_seeded] == ["DEMO-EX-EPOC-1"]
    assert "cannot open cases" in seeding.not_seeded[0][1]
    assert not Case.objects.filter(reference="DEMO-EX-EPOC-1").exists()


@pytest.mark.usefixtures("seeded")
def test_every_seeded_delivery_is_stamped_as_an_exercise_in_its_content_and_on_every_page_of_its_pdf() -> None:
    for delivery in Delivery.objects.all():
        assert delivery.exercise
        assert delivery.content["exercise"] == EXERCISE_MARK
        pages = PdfReader(io.BytesIO(bytes(delivery.document))).pages
        assert all(EXERCISE_MARK in page.extract_text() for page in pages), delivery.request.form_id
        assert selectors.verification(delivery).verified


@pytest.mark.usefixtures("seeded")
def test_the_inbox_and_the_item_page_of_provider_de_show_the_exercise(client: Client) -> None:
    verified_session(client, User.objects.get(username="provider-de"))
    inbox = client.get("/inbox/")
    assert inbox.status_code == 200
    delivery = inbox_of("provider-de")[0]
    assert f'href="/inbox/{delivery.pk}/"' in inbox.content.decode()
    assert 'class="badge badge--unverified">Exercise<' in inbox.content.decode()
    item = client.get(f"/inbox/{delivery.pk}/")
    assert item.status_code == 200
    assert "this is an exercise, not a legal order." in item.content.decode()
    document = client.get(f"/inbox/{delivery.pk}/document.pdf")
    assert document.status_code == 200
    assert EXERCISE_MARK in PdfReader(io.BytesIO(document.content)).pages[0].extract_text()
