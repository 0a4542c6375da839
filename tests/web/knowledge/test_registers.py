"""The public registers of designated authorities: every row from the reference data with its
source, as-of date and verification state; CSV; empty registers say so; bad input is refused."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from pydantic import ValidationError

from cyberspex.refdata import schema
from cyberspex.web.accounts.models import Organisation, OrganisationKind
from cyberspex.web.knowledge import cache, registers, states

pytestmark = pytest.mark.django_db  # the data version counts the curated publications

TODAY = date(2026, 12, 1)


def rows_of(register_id: str) -> dict[tuple[str, str], registers.Row]:
    return {(row.state, row.authority): row for row in registers.register_table(register_id, TODAY).rows}


def test_there_is_one_register_per_designation_the_issue_names_and_the_informal_art_10_5_directory() -> None:
    assert [r.id for r in registers.REGISTERS] == [
        "cets224-6-6",
        "cets224-7-5-e",
        "cets224-8-10-a",
        "cets224-8-10-b",
        "cets224-14-7-c",
        "cets224-14-10-b",
        "ets185-27",
        "ets185-35",
        "cets224-10-5",
    ]
    assert [r.id for r in registers.REGISTERS if r.informal] == ["cets224-10-5"]


def test_the_art_6_6_register_lists_japans_minister_of_justice_verified_in_the_dutch_treaty_database() -> None:
    (row,) = registers.register_table("cets224-6-6", TODAY).rows
    assert (row.state, row.provenance.source, row.provenance.verified) == ("JP", "P5", True)
    assert row.authority.startswith("Minister of Justice or designee")
    assert row.provenance.as_of == date(2023, 8, 10)


def test_the_art_7_5_e_register_says_whether_and_since_when_a_party_requires_notification() -> None:
    (row,) = registers.register_table("cets224-7-5-e", TODAY).rows
    # Hungary is a Party bound by Decision (EU) 2023/436; the EU-mandated layer makes the notification.
    assert (row.state, row.layer, row.since) == ("HU", "eu", date(2026, 2, 5))
    assert row.notification == "Yes (circumstances not recorded)"
    assert row.authority == ""
    assert row.provenance.verified is False


def test_the_art_8_10_a_register_lists_both_japanese_sending_authorities() -> None:
    rows = rows_of("cets224-8-10-a")
    assert {state for state, _ in rows} == {"JP"}
    assert any(name == "National Public Safety Commission or designee" for _, name in rows)
    assert all(row.provenance.verified for row in rows.values())


def test_the_art_8_10_b_register_is_empty_because_japans_receiving_authorities_are_not_confirmed() -> None:
    assert registers.register_table("cets224-8-10-b", TODAY).rows == ()


def test_the_art_14_registers_show_japans_authorities_as_unverified_from_a_secondary_source() -> None:
    incident = rows_of("cets224-14-7-c")
    onward = rows_of("cets224-14-10-b")
    assert len(incident) == 3
    assert len(onward) == 1
    for row in (*incident.values(), *onward.values()):
        assert (row.provenance.source, row.provenance.verified, row.provenance.secondary) == ("P4", False, True)


def test_the_budapest_registers_list_the_central_authorities_and_24_7_points_of_contact_on_record() -> None:
    central = rows_of("ets185-27")
    contact = rows_of("ets185-35")
    assert set(central) == {
        ("EC", "Office of the General Prosecutor"),
        ("NL", "National Central Bureau of INTERPOL Curaçao"),
        ("NO", "Riksadvokaten (Director of Public Prosecutions)"),
    }
    assert ("NO", "KRIPOS (NCIS Norway)") in contact
    assert all(
        row.provenance.verified and row.provenance.source in {"B4", "B5"} for row in (*central.values(), *contact.values())
    )


def test_the_informal_art_10_5_directory_has_no_entry_yet() -> None:
    assert registers.register_table("cets224-10-5", TODAY).rows == ()


def test_the_share_of_verified_rows_is_counted_per_register() -> None:
    incident = registers.register_table("cets224-14-7-c", TODAY)
    central = registers.register_table("ets185-27", TODAY)
    assert (incident.verified, incident.verified_percent) == (0, 0.0)
    assert (central.verified, central.verified_percent) == (3, 100.0)


def test_rows_are_filtered_by_state_and_by_text() -> None:
    table = registers.register_table("ets185-35", TODAY)
    assert [row.state for row in registers.filter_rows(table, state="NO")] == ["NO"]
    assert [row.state for row in registers.filter_rows(table, query="interpol")] == ["NL"]
    assert registers.filter_rows(table, query="nothing like this") == ()


# -- pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_index_lists_every_register_with_its_legal_basis_row_count_and_verified_share(client: Client) -> None:
    response = client.get("/registers/")
    assert response.status_code == 200
    text = response.content.decode()
    for register in registers.REGISTERS:
        assert f"/registers/{register.id}/" in text
    assert "Art 27(2)(d)" in text
    assert "3 of 3 (100.0 %)" in text
    assert "No designation recorded in the data yet" in text


@pytest.mark.django_db
def test_a_register_page_shows_each_value_with_its_source_date_and_verification(client: Client) -> None:
    text = client.get("/registers/cets224-14-7-c/").content.decode()
    assert "Minister for Foreign Affairs (Foreign Policy Bureau) or designee" in text
    assert "https://wipo.int/wipolex/fr/treaties/actions/19810" in text  # the source, as text (no external links)
    assert "2023-08-10" in text
    assert "badge--unverified" in text


@pytest.mark.django_db
def test_an_empty_register_says_so_and_links_to_how_curators_add_one(client: Client) -> None:
    text = client.get("/registers/cets224-8-10-b/").content.decode()
    assert "No designation recorded in the data yet." in text
    assert "/registers/#adding" in text


@pytest.mark.django_db
def test_a_register_page_searches_by_state(client: Client) -> None:
    text = client.get("/registers/ets185-27/", {"state": "no"}).content.decode()
    assert "Riksadvokaten" in text
    assert "Office of the General Prosecutor" not in text


@pytest.mark.django_db
def test_a_register_page_refuses_a_state_that_is_not_an_iso_code(client: Client) -> None:
    response = client.get("/registers/ets185-27/", {"state": "XYZ"})
    assert response.status_code == 400
    assert "is not an ISO 3166-1 code" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_register_page_is_not_found(client: Client) -> None:
    assert client.get("/registers/no-such-register/").status_code == 404


@pytest.mark.django_db
def test_organisations_on_this_platform_with_the_matching_function_are_listed_apart(client: Client) -> None:
    Organisation.objects.create(
        name="Norwegian 24/7 desk", kind=OrganisationKind.CONTACT_247, country="NO", functions=["contact_247"]
    )
    Organisation.objects.create(name="A provider", kind=OrganisationKind.PROVIDER, country="NO", functions=["provider"])
    text = client.get("/registers/ets185-35/").content.decode()
    platform = text.split("On this platform", 1)[1]
    assert "Norwegian 24/7 desk (NO)" in platform
    assert "A provider" not in text


# -- API --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_lists_every_register_with_its_counts(client: Client) -> None:
    body = client.get("/api/v1/registers").json()
    by_id = {r["id"]: r for r in body["registers"]}
    assert set(by_id) == set(registers.BY_ID)
    assert (by_id["ets185-27"]["row_count"], by_id["ets185-27"]["verified"]) == (3, 3)
    assert by_id["cets224-10-5"]["informal"] is True


@pytest.mark.django_db
def test_the_api_gives_a_registers_rows_with_source_as_of_and_verified(client: Client) -> None:
    body = client.get("/api/v1/registers/cets224-6-6").json()
    (row,) = body["rows"]
    assert row["state"] == "JP"
    assert (row["source"], row["as_of"], row["verified"]) == ("P5", "2023-08-10", True)
    assert row["source_url"] == "https://verdragenbank.overheid.nl/nl/Verdrag/Details/013833_b.html"


@pytest.mark.django_db
def test_the_api_gives_a_register_as_csv_with_source_as_of_and_verified_columns(client: Client) -> None:
    response = client.get("/api/v1/registers/cets224-14-7-c", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3
    assert {(r["state"], r["source"], r["as_of"], r["verified"]) for r in rows} == {("JP", "P4", "2023-08-10", "false")}


@pytest.mark.django_db
def test_an_empty_register_as_csv_has_its_header_only(client: Client) -> None:
    response = client.get("/api/v1/registers/cets224-10-5", {"format": "csv"})
    assert response.content.decode().splitlines() == [",".join(registers.CSV_COLUMNS)]


@pytest.mark.django_db
def test_the_api_answers_404_with_the_error_body_for_an_unknown_register(client: Client) -> None:
    response = client.get("/api/v1/registers/art-99")
    assert response.status_code == 404
    body = response.json()
    assert (body["message"], body["field"]) == ("no register 'art-99'", "register_id")
    assert "ets185-35" in body["extra"]["registers"]


@pytest.mark.django_db
def test_the_api_answers_400_for_a_format_it_does_not_give(client: Client) -> None:
    response = client.get("/api/v1/registers/ets185-35", {"format": "xml"})
    assert response.status_code == 400
    assert response.json()["field"] == "format"


@pytest.mark.django_db
def test_the_api_answers_400_for_a_state_filter_that_is_not_a_state(client: Client) -> None:
    response = client.get("/api/v1/registers/ets185-35", {"state": "ZZZ"})
    assert response.status_code == 400
    assert response.json()["field"] == "state"


# -- the data behind the registers ------------------------------------------------------------


def test_a_state_file_may_record_authorities_only_under_the_provisions_of_the_registers() -> None:
    base = {"iso": "NO", "name": "Norway"}
    status = {"value": "signatory", "source": "P1", "as_of": "2026-02-05", "verified": True}
    authority = {"name": "Somebody", "source": "P1", "as_of": "2026-02-05", "verified": False}
    schema.StateFile.model_validate(
        base | {"cets224": {"status": status, "authorities": [authority | {"provision": "8(10)(b)"}]}}
    )
    with pytest.raises(ValidationError, match="the provision must be one of 27\\(2\\), 35"):
        schema.StateFile.model_validate(
            base | {"ets185": {"status": status, "authorities": [authority | {"provision": "8(10)(b)"}]}}
        )


def test_an_authority_needs_a_name_and_its_provenance() -> None:
    status = {"value": "signatory", "source": "P1", "as_of": "2026-02-05", "verified": True}
    with pytest.raises(ValidationError, match="source"):
        schema.Treaty.model_validate({"status": status, "authorities": [{"provision": "6(6)", "name": "X"}]})
    with pytest.raises(ValidationError, match="at least 1 character"):
        schema.Treaty.model_validate(
            {
                "status": status,
                "authorities": [{"provision": "6(6)", "name": "", "source": "P1", "as_of": "2026-02-05", "verified": False}],
            }
        )


def test_a_register_and_a_state_profile_are_computed_once_per_data_version(monkeypatch: pytest.MonkeyPatch) -> None:
    table, profile = registers.register_table("ets185-35", TODAY), states.profile("NO", TODAY)
    assert registers.register_table("ets185-35", TODAY) is table
    assert states.profile("NO", TODAY) is profile
    monkeypatch.setattr(cache, "data_version", lambda: "a-published-change")
    assert registers.register_table("ets185-35", TODAY) is not table
    assert states.profile("NO", TODAY) is not profile
