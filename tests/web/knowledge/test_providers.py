"""The provider and registrar policy inventory: /providers/, its CSV and GET /api/v1/providers."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from cyberspex.web.accounts.models import Organisation, OrganisationKind
from cyberspex.web.exchange.models import Function, PolicyProfile
from tests.web.helpers import NOW

pytestmark = pytest.mark.django_db


def _meta_on_the_platform() -> Organisation:
    """Meta's Irish entity keeps its own profile on this instance."""
    found = Organisation.objects.create(
        name="Meta Platforms Ireland", kind=OrganisationKind.PROVIDER, country="IE", functions=[Function.PROVIDER.value]
    )
    PolicyProfile.objects.create(
        organisation=found,
        languages=["en", "ga"],
        user_notification="Users are told unless the order forbids it.",
        eu_establishment_state="IE",
        eu_establishment_kind="designated_establishment",
        eu_establishment_name="Meta Platforms Ireland Ltd",
        source="https://example.org/meta/policy",
        updated_at=NOW,
    )
    return found


def _row(answer: dict, name: str) -> dict:
    return next(row for row in answer["providers"] if row["name"] == name)


def test_every_recorded_policy_comes_with_its_source_date_and_verification_state() -> None:
    google = _row(Client().get("/api/v1/providers").json(), "Google")["recorded"]
    submission = google["policies"]["electronic_submission"]
    assert "LERS" in submission["value"]
    assert submission["source"] == "GOOGLE-LERS"
    assert submission["source_url"].startswith("https://support.google.com/")
    assert submission["as_of"] == "2026-02-05"
    assert submission["verified"] is False


def test_a_policy_the_references_do_not_record_stays_not_recorded() -> None:
    google = _row(Client().get("/api/v1/providers").json(), "Google")["recorded"]
    assert google["policies"]["languages"] is None
    assert google["policies"]["user_notification"] is None
    page = Client().get("/providers/", {"q": "google"}).content.decode()
    assert "not recorded" in page
    assert "unverified" in page


def test_a_profile_kept_on_the_platform_is_shown_beside_the_recorded_policies_with_its_last_update() -> None:
    _meta_on_the_platform()
    meta = _row(Client().get("/api/v1/providers").json(), "Meta")
    assert "LEORS" in meta["recorded"]["policies"]["electronic_submission"]["value"]
    (kept,) = meta["kept"]
    assert kept["name"] == "Meta Platforms Ireland"
    assert kept["policies"]["languages"] == "en, ga"
    assert kept["policies"]["eu_establishment"] == "Meta Platforms Ireland Ltd, designated establishment (IE)"
    assert kept["updated_at"] == NOW.isoformat()
    page = Client().get("/providers/", {"q": "meta"}).content.decode()
    assert "Recorded in the reference data" in page
    assert "Kept by the provider on this platform: Meta Platforms Ireland (IE)" in page
    assert "Last updated 2026-11-28." in page


def test_a_profile_of_a_provider_the_references_do_not_know_is_listed_on_its_own() -> None:
    found = Organisation.objects.create(
        name="Small Mail GmbH", kind=OrganisationKind.PROVIDER, country="DE", functions=[Function.PROVIDER.value]
    )
    PolicyProfile.objects.create(organisation=found, languages=["de"], updated_at=NOW)
    row = _row(Client().get("/api/v1/providers").json(), "Small Mail GmbH")
    assert row["recorded"] is None
    assert [k["policies"]["languages"] for k in row["kept"]] == ["de"]


def test_the_inventory_is_searched_by_name_state_and_recorded_policy() -> None:
    _meta_on_the_platform()
    client = Client()

    def names(**query: str) -> list[str]:
        return [row["name"] for row in client.get("/api/v1/providers", query).json()["providers"]]

    assert names(q="micro") == ["Microsoft"]
    assert names(state="IE") == ["Meta"]  # by its establishment kept on the platform
    assert names(feature="confidentiality") == ["ICANN Registration Data Request Service (RDRS)"]
    assert names(feature="rdap_access", q="google") == []
    assert "Microsoft" in client.get("/providers/", {"q": "micro"}).content.decode()


def test_the_csv_lists_every_policy_of_every_entry_with_its_source() -> None:
    _meta_on_the_platform()
    answer = Client().get("/providers/", {"q": "meta", "format": "csv"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    recorded = {r["policy"]: r for r in rows if r["entry"] == "recorded"}
    kept = {r["policy"]: r for r in rows if r["entry"] != "recorded"}
    assert recorded["electronic_submission"]["source"] == "META-LE"
    assert recorded["electronic_submission"]["verified"] == "False"
    assert recorded["languages"]["value"] == ""  # not recorded
    assert kept["languages"]["value"] == "en, ga"
    assert kept["languages"]["entry"] == "kept by the provider on this platform"


@pytest.mark.parametrize(
    ("query", "field"),
    [({"state": "Ireland"}, "state"), ({"feature": "pricing"}, "feature"), ({"q": "x" * 101}, "q")],
)
def test_a_bad_search_is_refused_with_a_message_naming_the_parameter(query: dict[str, str], field: str) -> None:
    answer = Client().get("/api/v1/providers", query)
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    page = Client().get("/providers/", query)
    assert page.status_code == 400
    assert 'aria-invalid="true"' in page.content.decode()
    assert Client().get("/providers/", {**query, "format": "csv"}).status_code == 400
