"""The directory: every member reads it (pages and API, filtered by function, State and name);
a provider's administrator publishes its policy profile; an administrator rotates the
organisation's signing key, and what was signed before still verifies."""

from __future__ import annotations

import pytest
from django.test import Client

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import directory, directory_services, selectors, signing
from cyberspex.web.exchange.models import Delivery, DeliveryRole, PolicyProfile, SigningKey
from tests.web.conftest import Api, Org
from tests.web.exchange.test_delivery import art7_order
from tests.web.helpers import NOW, make_case, move, verified_session

pytestmark = pytest.mark.django_db


def page(user, path: str, method: str = "get", data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    client = Client()
    verified_session(client, user)
    return client.post(path, data or {}) if method == "post" else client.get(path, data or {})


def policy_form(**changes: str) -> dict[str, str]:
    return {
        "languages": "en, de",
        "electronic_submission": "on",
        "emergency_disclosure": "24/7 via the law-enforcement portal",
        "eu_establishment_kind": "designated_establishment",
        "eu_establishment_state": "IE",
        "eu_establishment_name": "Example Mail Services Ireland Limited",
        "source": "https://mail.example.com/law-enforcement",
    } | changes


# -- reading the directory --------------------------------------------------------------------


@pytest.mark.usefixtures("bfj", "provider_ie")
def test_every_member_sees_the_organisations_with_kind_state_functions_and_policy(rs: Org, provider_de: Org) -> None:
    signing.current_key(provider_de.organisation, NOW)
    response = page(rs[Role.INVESTIGATOR], "/directory/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Beispiel Mail GmbH" in text
    assert "Bundesamt für Justiz" in text
    assert "Germany (DE)" in text
    assert "Authority notified of Art 7 orders (CETS 224 Art 7(5)(a))" in text
    assert directory.fingerprint(SigningKey.objects.get(organisation=provider_de.organisation)) in text
    assert "Designated establishment: Ireland (IE)" in text


@pytest.mark.usefixtures("provider_de", "bfj", "provider_ie")
def test_the_directory_page_filters_by_function_state_and_name(rs: Org) -> None:
    by_function = page(rs[Role.PROSECUTOR], "/directory/", data={"function": "notified_authority"}).content.decode()
    assert "Bundesamt für Justiz" in by_function
    assert "Beispiel Mail GmbH" not in by_function
    by_state = page(rs[Role.PROSECUTOR], "/directory/", data={"state": "US"}).content.decode()
    assert "Example Mail Services LLC" in by_state
    assert "Beispiel Mail GmbH" not in by_state
    by_name = page(rs[Role.PROSECUTOR], "/directory/", data={"q": "beispiel"}).content.decode()
    assert "Beispiel Mail GmbH" in by_name
    assert "Bundesamt" not in by_name


@pytest.mark.usefixtures("provider_de")
def test_the_directory_api_filters_and_gives_each_key_its_fingerprint(api: Api, rs: Org, bfj: Org) -> None:
    key = signing.current_key(bfj.organisation, NOW)
    found = api.get("/directory", rs[Role.PROSECUTOR], function="enforcing_authority", state="de").json()["items"]
    assert [e["name"] for e in found] == ["Bundesamt für Justiz"]
    assert found[0]["signing_keys"][0]["fingerprint"] == directory.fingerprint(key)
    assert api.get("/directory", rs[Role.PROSECUTOR], function="no-such-function").json()["items"] == []


def test_an_organisation_has_its_own_page(rs: Org, provider_ie: Org) -> None:
    response = page(rs[Role.JUDGE], f"/directory/{provider_ie.organisation.pk}/")
    assert response.status_code == 200
    assert "Example Mail Services Ireland Limited" in response.content.decode()
    assert page(rs[Role.JUDGE], "/directory/999999/").status_code == 404


# -- the policy profile -----------------------------------------------------------------------


def test_a_providers_administrator_publishes_its_policy_profile_audited(provider_de: Org) -> None:
    response = page(provider_de[Role.ADMINISTRATOR], "/directory/policy/", "post", policy_form())
    assert response.status_code == 302
    profile = PolicyProfile.objects.get(organisation=provider_de.organisation)
    assert profile.languages == ["en", "de"]
    assert profile.eu_establishment_state == "IE"
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.object_type == "organisation"
    assert "languages" in entry.details["policy_profile"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"languages": "english"}, "is not an ISO 639-1 language code"),
        ({"languages": "xx"}, "is not an ISO 639-1 language code"),
        ({"eu_establishment_state": "ZZ"}, "is not an ISO 3166-1 alpha-2 State code"),
        ({"eu_establishment_state": "US"}, "is not a Member State of the European Union"),
        ({"eu_establishment_kind": ""}, "designated establishment or a legal representative"),
        ({"source": "javascript:alert(1)"}, "https://"),
    ],
)
def test_a_bad_policy_profile_is_refused_by_its_field_and_nothing_is_stored(
    provider_de: Org, change: dict[str, str], message: str
) -> None:
    response = page(provider_de[Role.ADMINISTRATOR], "/directory/policy/", "post", policy_form(**change))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PolicyProfile.objects.filter(organisation=provider_de.organisation).exists()


def test_only_an_administrator_of_a_provider_or_registrar_publishes_a_policy(rs: Org, provider_de: Org) -> None:
    assert page(provider_de[Role.RESPONDER], "/directory/policy/").status_code == 403
    assert page(rs[Role.ADMINISTRATOR], "/directory/policy/").status_code == 403
    given = directory_services.PolicyInput(languages=["en"], electronic_submission=True)
    with pytest.raises(ApplicationError, match="only providers and registrars"):
        directory_services.policy_profile_save(user=rs[Role.ADMINISTRATOR], given=given, now=NOW)


# -- signing keys -----------------------------------------------------------------------------


@pytest.mark.usefixtures("bfj")
def test_a_package_signed_before_rotation_still_verifies_and_new_deliveries_use_the_new_key(
    rs: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    first = art7_order(rs, provider_de, rehearsal)
    move(rs[Role.PROSECUTOR], first, "issued")
    before = Delivery.objects.get(request=first, role=DeliveryRole.ADDRESSEE)
    old_key = before.key_id

    response = page(rs[Role.ADMINISTRATOR], "/directory/keys/rotate/", "post", {"confirm": "on"})
    assert response.status_code == 302

    assert selectors.verification(before).verified
    assert "retired" in selectors.verification(before).reason
    second = art7_order(rs, provider_de, rehearsal, case=make_case(rs[Role.PROSECUTOR], "PAR-2026-00413"))
    move(rs[Role.PROSECUTOR], second, "issued")
    after = Delivery.objects.get(request=second, role=DeliveryRole.ADDRESSEE)
    assert after.key_id != old_key
    assert selectors.verification(after).verified

    listed = page(rs[Role.PROSECUTOR], f"/directory/{rs.organisation.pk}/").content.decode()
    assert old_key in listed
    assert after.key_id in listed
    assert AuditEntry.objects.filter(object_type="organisation", details__signing_key_rotated__new=after.key_id).exists()


def test_the_key_is_rotated_only_when_confirmed_and_only_by_an_administrator(rs: Org) -> None:
    signing.current_key(rs.organisation, NOW)
    assert page(rs[Role.ADMINISTRATOR], "/directory/keys/rotate/", "post", {}).status_code == 422
    assert page(rs[Role.PROSECUTOR], "/directory/keys/rotate/", "post", {"confirm": "on"}).status_code == 403
    assert SigningKey.objects.filter(organisation=rs.organisation).count() == 1
    shown = page(rs[Role.ADMINISTRATOR], "/directory/keys/").content.decode()
    assert directory.fingerprint(SigningKey.objects.get(organisation=rs.organisation)) in shown


# -- the voluntary route ----------------------------------------------------------------------


def test_the_voluntary_route_shows_the_policies_published_for_the_providers_state(rs: Org, provider_ie: Org) -> None:
    PolicyProfile.objects.filter(organisation=provider_ie.organisation).update(emergency_disclosure="Through its 24/7 portal")
    case = make_case(rs[Role.PROSECUTOR])
    query = {"provider_state": "IE", "category": "subscriber", "measure": "production"}
    text = page(rs[Role.PROSECUTOR], f"/cases/{case.pk}/routes/", data=query).content.decode()
    assert 'id="route-voluntary"' in text
    assert "Policies published in the directory" in text
    assert "Through its 24/7 portal" in text
