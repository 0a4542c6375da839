"""The organisation profile: edited by the organisation's administrator only, audited, and
pre-filled into the drafts of the organisation."""

from __future__ import annotations

from django.test import Client

from cyberspex.web.accounts.models import OrganisationProfile, Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.editor_prefill import authority
from tests.web.conftest import Org
from tests.web.pages.conftest import logged_in

PROFILE = {
    "authority_name": "Parquet de Paris, section J3",
    "address": "Parvis du Tribunal de Paris, 75017 Paris",
    "contact_person": "Section J3",
    "email": "j3@example.org",
    "phone": "+33100000000",
}


def test_the_administrator_saves_the_profile_and_drafts_are_prefilled_with_it(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.ADMINISTRATOR])
    response = browser.post("/accounts/administration/profile/", PROFILE)
    assert response.status_code == 302
    assert OrganisationProfile.objects.get(organisation=fr.organisation).address == PROFILE["address"]
    entry = AuditEntry.objects.filter(event=Event.CHANGE, object_type="organisation").get()
    assert "Paris" not in str(entry.details)  # the names of the fields, not their values
    signer = authority(fr.organisation)
    assert signer == {
        "name": "Parquet de Paris, section J3",
        "country": "FR",
        "address": PROFILE["address"],
        "contact": {"person": "Section J3", "email": "j3@example.org", "phone": "+33100000000"},
    }


def test_a_telephone_without_its_country_code_is_refused_next_to_its_field(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.ADMINISTRATOR])
    response = browser.post("/accounts/administration/profile/", {**PROFILE, "phone": "01 00 00 00 00"})
    assert response.status_code == 422
    assert "Give the number with its country code" in response.content.decode()
    assert not OrganisationProfile.objects.exists()


def test_other_roles_may_not_edit_the_profile(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.PROSECUTOR])
    assert browser.post("/accounts/administration/profile/", PROFILE).status_code == 403
    assert not OrganisationProfile.objects.exists()
