"""The implementation tracker: /implementation/ and GET /api/v1/implementation."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from cyberspex.law.model import Position, Provenance, Treaty
from cyberspex.law.record import replace
from cyberspex.refdata.loader import load_reference_data
from cyberspex.web.knowledge import implementation

pytestmark = pytest.mark.django_db


def _cell(answer: dict, state: str, provision: str) -> dict:
    row = next(row for row in answer["states"] if row["state"] == state)
    return row["cells"][provision]


def test_every_member_state_and_provision_needing_a_measure_is_listed_with_its_citation() -> None:
    answer = Client().get("/api/v1/implementation").json()
    assert len(answer["states"]) == 27
    assert "GB" not in [row["state"] for row in answer["states"]]  # left the Union
    citations = {p["id"]: p["citation"] for p in answer["provisions"]}
    assert citations["C-8-10"] == "CETS 224 Art 8(10)(a)-(b)"
    assert citations["DIR-7-1"] == "Directive (EU) 2023/1544 Art 7(1)"
    assert citations["REG-31-1"] == "Regulation (EU) 2023/1543 Art 31(1)"
    assert "Council Decision (EU) 2023/436" in citations["N-7-5-a"]
    directive = next(p for p in answer["provisions"] if p["id"] == "DIR-7-1")
    assert directive["due"] == "2026-02-18"


def test_a_provision_nothing_is_recorded_for_is_unknown_not_none() -> None:
    answer = Client().get("/api/v1/implementation").json()
    france = _cell(answer, "FR", "DIR-7-1")
    assert france["stage"] == "unknown"
    assert france["provenance"] is None
    assert _cell(answer, "IT", "C-8-10")["stage"] == "unknown"


def test_the_latest_recorded_event_gives_the_stage_with_its_documents_date_and_source() -> None:
    italy = _cell(Client().get("/api/v1/implementation", {"state": "IT"}).json(), "IT", "DIR-7-1")
    assert italy["stage"] == "in_force"
    assert italy["date"] == "2026-01-30"
    assert [d["title"] for d in italy["documents"]] == [
        "Legislative Decree No 215 of 30 December 2025",
        "Legislative Decree No 216 of 30 December 2025",
    ]
    assert italy["provenance"]["source"] == "PORT"
    assert italy["provenance"]["verified"] is False
    assert italy["provenance"]["secondary"] is True


def test_before_its_entry_into_force_an_adopted_measure_is_adopted() -> None:
    data = load_reference_data()
    assert implementation.cell(data, "IT", "DIR-7-1", until=date(2026, 1, 15)).stage == "adopted"
    assert implementation.cell(data, "IT", "DIR-7-1", until=date(2025, 12, 1)).stage == "unknown"


def test_an_undated_measure_counts_from_the_day_its_source_recorded_it() -> None:
    data = load_reference_data()
    germany = implementation.cell(data, "DE", "DIR-7-1")
    assert (germany.stage, germany.date) == ("adopted", None)
    assert germany.documents[0][1] == "https://www.gesetze-im-internet.de/ebewmg/BJNR0400B0026.html"
    assert implementation.cell(data, "DE", "DIR-7-1", until=date(2026, 3, 26)).stage == "unknown"
    assert implementation.cell(data, "DE", "DIR-7-1", until=date(2026, 3, 27)).stage == "adopted"


def test_a_cets224_position_recorded_for_a_state_is_derived_as_a_declaration_made_citing_that_record() -> None:
    data = load_reference_data()
    hungary = data.states["HU"]
    participation = hungary.treaties[Treaty.CETS_224]
    recorded = Provenance("P1", "https://example.org/hu", date(2026, 2, 5), True)
    made = replace(participation, positions={"C-8-10": Position("C-8-10", recorded, "Art 8 authorities designated")})
    changed = replace(data, states={**data.states, "HU": replace(hungary, treaties={**hungary.treaties, Treaty.CETS_224: made})})
    found = implementation.cell(changed, "HU", "C-8-10")
    assert (found.stage, found.derived, found.date) == ("adopted", True, date(2026, 2, 5))
    assert found.provenance is recorded
    assert found.note is not None
    assert "C-8-10" in found.note
    assert implementation.cell(changed, "HU", "C-8-10", until=date(2026, 2, 4)).stage == "unknown"  # before the consent
    assert implementation.cell(changed, "HU", "C-6-6").stage == "unknown"  # only the recorded position
    assert implementation.cell(data, "HU", "C-8-10").stage == "unknown"  # the EU layer's "must" is not a declaration made


def test_progress_counts_member_states_per_furthest_stage_on_each_day_an_event_is_known() -> None:
    points = dict(implementation.progress(date(2026, 6, 30)))
    assert list(points) == [date(2025, 12, 30), date(2026, 1, 30), date(2026, 3, 27), date(2026, 6, 30)]
    assert dict(points[date(2025, 12, 30)])["adopted"] == 1
    assert dict(points[date(2026, 1, 30)])["in_force"] == 1
    assert dict(points[date(2026, 3, 27)]) == {"unknown": 25, "none": 0, "draft": 0, "adopted": 1, "in_force": 1}


def test_the_page_shows_each_state_the_chart_and_the_table_with_the_same_figures() -> None:
    page = Client().get("/implementation/").content.decode()
    assert "Implementation in Italy" in page
    assert "Legislative Decree No 215 of 30 December 2025" in page
    assert '<svg class="chart" id="chart-implementation-progress" role="img"' in page
    assert "Member States by furthest stage reached, over time" in page
    assert "nothing recorded" in page


def test_the_state_filter_shows_one_member_state() -> None:
    page = Client().get("/implementation/", {"state": "it"}).content.decode()
    assert "Implementation in Italy" in page
    assert "Implementation in France" not in page


@pytest.mark.parametrize("state", ["US", "GB", "Italy"])
def test_a_state_outside_the_union_is_refused_with_a_message_naming_the_parameter(state: str) -> None:
    answer = Client().get("/api/v1/implementation", {"state": state})
    assert answer.status_code == 400
    assert answer.json()["field"] == "state"
    assert Client().get("/implementation/", {"state": state}).status_code == 400
