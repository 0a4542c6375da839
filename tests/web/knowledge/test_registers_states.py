"""State profiles: status per treaty with provenance, positions in plain language, designated
authorities, and the routes open today from and to the State, as the route matrix computes them."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from cyberspex.law.engine import Status
from cyberspex.law.routes import ROUTE_IDS
from cyberspex.web.knowledge import states

pytestmark = pytest.mark.django_db  # the data version counts the curated publications

TODAY = date(2026, 12, 1)


def treaty(profile: states.Profile, key: str) -> states.TreatyShown:
    return next(t for t in profile.treaties if t.key == key)


def test_france_is_a_budapest_party_a_protocol_signatory_and_bound_by_the_regulation() -> None:
    france = states.profile("FR", TODAY)
    ets, cets = treaty(france, "ets185"), treaty(france, "cets224")
    assert (ets.relation, ets.consent_kind, ets.entry_into_force and ets.entry_into_force.when) == (
        "party",
        "approval",
        date(2006, 5, 1),
    )
    assert (cets.relation, cets.signature and cets.signature.when, cets.consent) == ("signatory", date(2023, 1, 27), None)
    assert cets.relation_provenance is not None
    assert cets.relation_provenance.source == "P1"
    assert (france.regulation.eu_member, france.regulation.bound) == (True, True)


def test_japans_profile_gives_its_positions_in_plain_language_and_its_designated_authorities() -> None:
    japan = states.profile("JP", TODAY)
    positions = {p.code: p for p in treaty(japan, "cets224").positions}
    assert positions["R-7-9-a"].effect == "Does not apply Art 7"
    assert positions["R-7-9-a"].provision == "Art 7(9)(a)"
    assert positions["R-7-9-a"].provenance.verified is True
    registers_with_rows = {register.id for register, _ in japan.authorities}
    assert registers_with_rows == {"cets224-6-6", "cets224-8-10-a", "cets224-14-7-c", "cets224-14-10-b"}
    assert japan.regulation.bound is False


def test_an_ets_185_position_is_given_with_its_article_and_plain_language_effect() -> None:
    (position,) = treaty(states.profile("HU", TODAY), "ets185").positions
    assert (position.code, position.provision) == ("D-27-9-e", "Art 27(9)(e)")
    assert "central authority" in position.effect


def test_serbias_profile_marks_its_unconfirmed_budapest_dates_unverified_and_says_its_positions_are_unknown() -> None:
    serbia = states.profile("RS", TODAY)
    ets, cets = treaty(serbia, "ets185"), treaty(serbia, "cets224")
    assert ets.consent is not None
    assert ets.consent.provenance.verified is False
    assert cets.relation == "consented"  # ratified; not a Party before the Protocol enters into force
    assert cets.positions == ()
    assert cets.positions_note is not None
    assert "not yet confirmed" in cets.positions_note


def test_a_state_outside_the_data_is_a_party_to_nothing_and_has_only_the_routes_open_to_everyone() -> None:
    china = states.profile("CN", TODAY)
    assert china.in_data is False
    assert {t.relation for t in china.treaties} == {"none"}
    assert china.authorities == ()
    assert {summary.route for summary in china.outgoing} <= {"mla", "voluntary"}


def test_the_routes_from_and_to_a_state_agree_with_the_route_matrix() -> None:
    result = states.route_matrix(TODAY)
    for iso in ("FR", "JP", "RS"):
        expected_out: dict[str, set[str]] = {route: set() for route in ROUTE_IDS}
        expected_in: dict[str, set[str]] = {route: set() for route in ROUTE_IDS}
        for issuing, provider, request, cell in result.pairs():
            if request not in states.DEFAULT_REQUESTS or issuing == provider or iso not in (issuing, provider):
                continue
            for route, status in zip(ROUTE_IDS, cell.statuses, strict=True):
                if status in (Status.AVAILABLE, Status.CONDITIONAL):
                    (expected_out if issuing == iso else expected_in)[route].add(provider if issuing == iso else issuing)
        found = states.profile(iso, TODAY)
        assert {s.route: {*s.available, *s.conditional} for s in found.outgoing} == {r: p for r, p in expected_out.items() if p}
        assert {s.route: {*s.available, *s.conditional} for s in found.incoming} == {r: p for r, p in expected_in.items() if p}
        assert all(s.count == len(s.available) + len(s.conditional) for s in (*found.outgoing, *found.incoming))


def test_the_state_list_gives_each_states_relation_to_both_treaties() -> None:
    rows = {row.iso: row for row in states.state_list(TODAY)}
    assert (rows["FR"].ets185, rows["FR"].cets224, rows["FR"].eu_member) == ("party", "signatory", True)
    assert (rows["JP"].cets224, rows["JP"].eu_member) == ("consented", False)  # ratified, not yet in force
    assert [row.iso for row in states.filter_list(tuple(rows.values()), "japan")] == ["JP"]


# -- pages and API ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_states_page_lists_and_searches_the_states(client: Client) -> None:
    text = client.get("/states/", {"q": "serb"}).content.decode()
    assert "/states/RS/" in text
    assert "/states/FR/" not in text
    assert "/treaties/" in text


@pytest.mark.django_db
def test_a_state_profile_page_shows_status_positions_authorities_implementation_and_routes(client: Client) -> None:
    response = client.get("/states/jp/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Japan (JP)" in text
    assert "Does not apply Art 7" in text
    assert "National Public Safety Commission or designee" in text
    assert "/implementation/?state=JP" in text
    assert "Routes open today" in text
    assert "https://verdragenbank.overheid.nl/nl/Verdrag/Details/013833_b.html" in text  # P5, in the sources cited


def test_a_profile_lists_every_source_it_cites_with_its_address() -> None:
    japan = states.profile("JP", TODAY)
    cited = {key for key, _title, _url in japan.sources}
    assert {"P1", "P2", "P4", "P5", "B15"} <= cited
    assert all(url for _key, _title, url in japan.sources)


@pytest.mark.django_db
def test_a_malformed_state_code_is_refused_and_an_unknown_one_is_not_found(client: Client) -> None:
    assert client.get("/states/FRA/").status_code == 400
    assert client.get("/states/XX/").status_code == 404


@pytest.mark.django_db
def test_the_api_gives_a_states_profile_with_sources_and_routes(client: Client) -> None:
    body = client.get("/api/v1/states/FR").json()
    assert body["treaties"]["cets224"]["relation"] == "signatory"
    assert body["treaties"]["cets224"]["signature"] == {
        "date": "2023-01-27",
        "known_by": None,
        "source": "P1",
        "source_url": body["treaties"]["cets224"]["signature"]["source_url"],
        "as_of": "2026-02-05",
        "verified": True,
        "secondary": False,
        "note": None,
    }
    assert body["regulation_2023_1543"]["bound"] is True
    assert body["routes"]["data_categories"] == ["subscriber", "traffic", "content"]
    assert {r["route"] for r in body["routes"]["outgoing"]} >= {"mla", "eu-epoc"}


@pytest.mark.django_db
def test_the_api_answers_400_for_a_malformed_code_and_404_for_an_unknown_one(client: Client) -> None:
    malformed = client.get("/api/v1/states/F1")
    unknown = client.get("/api/v1/states/XX")
    assert (malformed.status_code, malformed.json()["field"]) == (400, "code")
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "No State has the ISO 3166-1 code “XX”."


def test_an_unknown_state_gets_the_sites_own_page_not_found_in_the_visitors_language(client: Client) -> None:
    response = client.get("/states/ZZ/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Seite nicht gefunden" in text
    assert 'class="site-header"' in text
