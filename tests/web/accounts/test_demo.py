"""`serve --demo` adds its published accounts only to an empty or demo database, and never
changes what an existing account is allowed to do."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.models import Membership, Role
from cyberspex.web.demo import USERS, NotADemoDatabase, load_demo
from tests.web.conftest import Org


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
