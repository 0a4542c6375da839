"""The public treaty status page ``/treaties/``: map, table, timeline, filters, and bad input."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from cyberspex.law.model import Treaty
from cyberspex.law.treaty_status import Standing, treaty_table
from cyberspex.refdata.loader import load_reference_data
from cyberspex.web.knowledge import treaties

pytestmark = pytest.mark.django_db

AS_OF = "2026-11-28"
_STATE_LINK = r'<a href="(?P<href>[^"]+)" class="tmap-state[^"]*" data-iso="(?P<iso>[A-Z]{2})"'
MAP_LINK = re.compile(_STATE_LINK + r' data-status="(?P<status>[a-z-]+)"(?P<rest>[^>]*)>')
TABLE_ROW = re.compile(r'<tr data-iso="(?P<iso>[A-Z]{2})" data-status="(?P<status>[a-z-]+)">')


def page(client: Client, **query: str) -> str:
    response = client.get("/treaties/", {"as_of": AS_OF, **query})
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def map_states(html: str) -> dict[str, str]:
    """The States the map links, with their status (markers repeating an outline left out)."""
    svg = html[html.index('<svg class="tmap ') : html.index("</svg>", html.index('<svg class="tmap '))]
    return {m["iso"]: m["status"] for m in MAP_LINK.finditer(svg) if "aria-hidden" not in m["rest"]}


def table_states(html: str) -> list[tuple[str, str]]:
    return [(m["iso"], m["status"]) for m in TABLE_ROW.finditer(html)]


def expected(treaty: Treaty) -> dict[str, str]:
    table = treaty_table(load_reference_data(), date.fromisoformat(AS_OF))
    return {r.iso: r.standing.value for r in table.rows_for(treaty)}


def test_the_world_map_shows_every_state_in_the_data_with_its_status_and_a_link_to_its_profile(client: Client) -> None:
    html = page(client, treaty="cets224", view="world")
    assert map_states(html) == expected(Treaty.CETS_224)
    for m in MAP_LINK.finditer(html):
        assert m["href"] == f"/states/{m['iso']}/"


def test_every_shape_on_the_map_has_a_title_naming_the_state_and_its_status(client: Client) -> None:
    html = page(client, treaty="cets224", view="world")
    assert "<title>Japan: Ratified, not yet in force (consent 10 Aug 2023)</title>" in html
    assert "<title>France: Signed on 27 Jan 2023</title>" in html
    links = html.count('class="tmap-state ')
    states = html[html.index('<g class="tmap-states">') : html.index("</svg>", html.index('<g class="tmap-states">'))]
    assert states.count("</title>") == links


def test_the_map_of_europe_shows_the_european_states_and_leaves_japan_to_the_table(client: Client) -> None:
    shown = map_states(page(client, treaty="cets224", view="europe"))
    assert shown["HU"] == "consented"
    assert shown["RS"] == "consented"
    assert shown["FR"] == "signed"
    assert shown["IE"] == "not-party"
    assert "AD" in shown  # too small for an outline at the scale: a marker
    assert "JP" not in shown


def test_the_table_beside_the_map_has_the_same_states_and_statuses(client: Client) -> None:
    html = page(client, treaty="ets185", view="world")
    assert dict(table_states(html)) == map_states(html)
    assert len(table_states(html)) == len(load_reference_data().states)


def test_the_legend_names_each_status_with_its_count_and_a_pattern(client: Client) -> None:
    html = page(client, treaty="cets224")
    counts = treaty_table(load_reference_data(), date.fromisoformat(AS_OF)).counts(Treaty.CETS_224)
    assert f"Ratified, not yet in force</a> ({counts[Standing.CONSENTED]})" in html
    for standing in Standing:
        assert f'fill="url(#tmap-europe-{standing.value})"' in html  # the legend's swatch, same pattern as the map


def test_the_status_filter_narrows_the_table(client: Client) -> None:
    rows = table_states(page(client, treaty="cets224", status="consented"))
    assert sorted(iso for iso, _ in rows) == ["HU", "JP", "RS"]
    assert {status for _, status in rows} == {"consented"}


def test_the_table_sorts_by_a_column_given_in_the_query(client: Client) -> None:
    by_consent = [iso for iso, _ in table_states(page(client, treaty="cets224", status="consented", sort="consent"))]
    assert by_consent == ["RS", "JP", "HU"]
    newest_first = [
        iso for iso, _ in table_states(page(client, treaty="cets224", status="consented", sort="consent", order="desc"))
    ]
    assert newest_first == ["HU", "JP", "RS"]
    by_name_desc = [iso for iso, _ in table_states(page(client, treaty="ets185", sort="name", order="desc"))]
    names = {r.iso: r.name for r in load_reference_data().states.values()}
    assert by_name_desc == sorted(names, key=lambda iso: names[iso], reverse=True)


def test_the_sorted_column_says_so_to_assistive_technology(client: Client) -> None:
    html = page(client, treaty="cets224", sort="consent", order="desc")
    assert 'aria-sort="descending"><a href="/treaties/?treaty=cets224' in html


def test_the_protocol_timeline_says_how_many_more_consents_are_needed(client: Client) -> None:
    html = page(client, treaty="cets224")
    assert "Not in force: 3 of the 5 consents needed are recorded on this date; 2 more are needed." in html
    assert "CETS 224 Art 16(3)" in html


def test_the_timeline_marks_the_consent_that_brings_the_protocol_into_force(client: Client) -> None:
    html = page(client, treaty="cets224")
    assert "brings the Protocol into force" not in html  # only three consents are recorded


def test_the_convention_page_has_no_protocol_timeline(client: Client) -> None:
    assert "Timeline of consents to the Protocol" not in page(client, treaty="ets185")


def test_reservations_are_shown_with_their_citation_and_source(client: Client) -> None:
    html = page(client, treaty="cets224")
    assert 'id="positions-JP"' in html
    assert "Reservation, CETS 224 Art 7(9)(a)" in html
    assert "Japan reserves the right not to apply Article 7 at all" in html


def test_unverified_values_are_marked(client: Client) -> None:
    html = page(client, treaty="cets224")
    assert 'class="badge badge--unverified">unverified</span>' in html


def test_the_page_links_to_the_ratification_what_if(client: Client) -> None:
    assert 'href="/what-if/"' in page(client)


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"as_of": "2026-13-01"}, "as_of", "as_of is not a real date"),
        ({"as_of": "28/11/2026"}, "as_of", "as_of must be a date written YYYY-MM-DD"),
        ({"as_of": "1800-01-01"}, "as_of", "as_of must lie between"),
        ({"treaty": "ets999"}, "treaty", "treaty must be one of"),
        ({"status": "ratified"}, "status", "status must be one of"),
        ({"view": "asia"}, "view", "view must be one of"),
        ({"sort": "population"}, "sort", "sort must be one of"),
        ({"order": "up"}, "order", "order must be asc or desc"),
    ],
)
def test_a_bad_query_parameter_gives_a_message_naming_it_and_a_400(
    client: Client, query: dict[str, str], field: str, words: str
) -> None:
    response = client.get("/treaties/", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    assert words.startswith(field)  # the message names the parameter
    assert 'name="as_of"' in html  # the form is there to ask again
    assert 'role="alert"' in html


def test_the_page_is_computed_once_per_data_version_and_date() -> None:
    on = date(2026, 11, 28)
    assert treaties.table_on(on) is treaties.table_on(on)
    assert treaties.map_svg(Treaty.CETS_224, on, "europe", "en") is treaties.map_svg(Treaty.CETS_224, on, "europe", "en")


def test_the_map_says_where_its_outlines_come_from(client: Client) -> None:
    assert "Natural Earth (public domain)" in page(client)


def test_each_cited_source_is_listed_with_its_address_as_text(client: Client) -> None:
    html = page(client, treaty="cets224")
    assert '<a href="#source-P1" class="source"' in html
    assert '<dt id="source-P1">P1</dt>' in html
    assert '<span class="source-url">https://verdragenbank.overheid.nl/en/Treaty/Details/013833_p.html</span>' in html
    assert '<dt id="source-S2">S2</dt>' in html  # the Art 16 period
