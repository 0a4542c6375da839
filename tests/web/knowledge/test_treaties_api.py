"""``GET /api/v1/treaties``: treaty status as open data, JSON and CSV, public, validated."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from cyberspex.refdata.loader import load_reference_data

pytestmark = pytest.mark.django_db

AS_OF = "2026-11-28"


def get(client: Client, **query: str) -> dict:  # type: ignore[type-arg]
    response = client.get("/api/v1/treaties", {"as_of": AS_OF, **query})
    assert response.status_code == 200, response.content[:500]
    return response.json()  # type: ignore[no-any-return]


def test_it_answers_without_authentication_for_both_treaties_and_every_state(client: Client) -> None:
    body = get(client)
    assert body["as_of"] == AS_OF
    assert body["data_version"].startswith("shipped-")
    states = sorted(load_reference_data().states)
    assert [r["state"] for r in body["treaties"]["ets185"]] == states
    assert [r["state"] for r in body["treaties"]["cets224"]] == states


def test_each_value_carries_its_source_date_and_verification(client: Client) -> None:
    japan = next(r for r in get(client, treaty="cets224")["treaties"]["cets224"] if r["state"] == "JP")
    assert japan["status"] == "consented"
    assert japan["consent"] == {
        "date": "2023-08-10",
        "known_by": None,
        "kind": "ratification",
        "computed": False,
        "rule": None,
        "verified": True,
        "source": "P1",
        "url": "https://verdragenbank.overheid.nl/en/Treaty/Details/013833_p.html",
        "as_of": "2026-02-05",
        "secondary": False,
        "note": None,
    }
    assert japan["entry_into_force"] is None  # too few consents for the Protocol
    reservation = next(p for p in japan["positions"] if p["code"] == "R-7-9-a")
    assert reservation["citation"] == "CETS 224 Art 7(9)(a)"
    assert reservation["kind"] == "reservation"
    assert reservation["source"] == "P2"
    assert reservation["verified"] is True


def test_a_computed_entry_into_force_names_its_rule(client: Client) -> None:
    body = get(client, treaty="ets185")
    computed = [r for r in body["treaties"]["ets185"] if r["entry_into_force"] and r["entry_into_force"]["computed"]]
    for row in computed:
        assert row["entry_into_force"]["rule"].startswith("ETS 185 Art 3")
        assert row["entry_into_force"]["verified"] is False


def test_the_timeline_gives_the_article_16_numbers_from_the_data_and_what_is_missing(client: Client) -> None:
    timeline = get(client)["cets224_timeline"]
    assert timeline["consents_needed"]["value"] == 5
    assert timeline["consents_needed"]["verified"] is False
    assert timeline["delay_months"]["value"] == 3
    assert [(c["ordinal"], c["state"], c["date"]) for c in timeline["consents"]] == [
        (1, "RS", "2023-02-09"),
        (2, "JP", "2023-08-10"),
        (3, "HU", "2026-02-05"),
    ]
    assert timeline["consents_missing"] == 2
    assert timeline["entry_into_force"] is None
    assert timeline["in_force"] is False


def test_the_status_on_an_earlier_date_is_the_status_then(client: Client) -> None:
    japan = next(r for r in get(client, treaty="cets224", as_of="2023-08-09")["treaties"]["cets224"] if r["state"] == "JP")
    assert japan["status"] == "signed"
    assert japan["consent"] is None


def test_the_status_filter_keeps_only_matching_states(client: Client) -> None:
    rows = get(client, treaty="cets224", status="consented")["treaties"]["cets224"]
    assert sorted(r["state"] for r in rows) == ["HU", "JP", "RS"]


def test_csv_gives_one_line_per_state_and_treaty(client: Client) -> None:
    response = client.get("/api/v1/treaties", {"as_of": AS_OF, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="treaties-{AS_OF}.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2 * len(load_reference_data().states)
    japan = next(r for r in rows if r["treaty"] == "cets224" and r["state"] == "JP")
    assert (japan["status"], japan["consent_date"], japan["consent_source"], japan["consent_verified"]) == (
        "consented",
        "2023-08-10",
        "P1",
        "true",
    )
    assert "R-7-9-a" in japan["positions"].split(";")


def test_csv_and_json_agree_on_every_status(client: Client) -> None:
    body = get(client)
    response = client.get("/api/v1/treaties", {"as_of": AS_OF, "format": "csv"})
    from_csv = {(r["treaty"], r["state"]): r["status"] for r in csv.DictReader(io.StringIO(response.content.decode()))}
    from_json = {(t, r["state"]): r["status"] for t, rows in body["treaties"].items() for r in rows}
    assert from_csv == from_json


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"as_of": "2026-02-30"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "9999-12-31"}, "as_of"),
        ({"treaty": "cets225"}, "treaty"),
        ({"status": "party"}, "status"),
        ({"format": "xml"}, "format"),
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(client: Client, query: dict[str, str], field: str) -> None:
    response = client.get("/api/v1/treaties", query)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert body["message"]
    assert body["extra"] == {}
