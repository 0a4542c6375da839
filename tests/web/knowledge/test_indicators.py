"""The project indicators: /indicators/, the PDF report and GET /api/v1/indicators."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from pypdf import PdfReader

from cyberspex.law.model import EuMembership
from cyberspex.law.record import replace
from cyberspex.refdata.loader import load_reference_data
from cyberspex.web.knowledge import cache, indicators, indicators_sections
from cyberspex.web.knowledge.indicators import Section, Table

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2026-01-01", "to": "2026-06-30"}


@pytest.fixture
def four_member_states(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Union of Austria, Germany, Hungary and Italy: Austria, Germany and Italy signed CETS 224,
    Hungary signed and ratified it on 5 February 2026; Italy's transposition is in force, Germany's
    adopted (recorded on 27 March 2026)."""
    data = load_reference_data()
    four = {iso: data.eu.accessions[iso] for iso in ("AT", "DE", "HU", "IT")}
    known = replace(data, eu=EuMembership(four, data.eu.provenance))
    for module in (indicators_sections, indicators_sections.implementation):
        monkeypatch.setattr(module, "current_reference", lambda: known)
    monkeypatch.setattr(cache, "data_version", lambda: "four-member-states")


def _figures(answer: dict, key: str) -> dict[str, int]:
    section = next(s for s in answer["sections"] if s["key"] == key)
    return {f["label"]: f["value"] for f in section["figures"]}


@pytest.mark.usefixtures("four_member_states")
def test_signatures_and_ratifications_are_counted_as_of_the_period_end() -> None:
    figures = _figures(Client().get("/api/v1/indicators", PERIOD).json(), "cets224")
    assert figures["EU Member States at the end of the period"] == 4
    assert figures["Member States that have signed CETS 224"] == 4
    assert figures["Signatures in the period"] == 0
    assert figures["Member States that have ratified CETS 224"] == 1
    before = _figures(Client().get("/api/v1/indicators", {"from": "2022-01-01", "to": "2026-02-04"}).json(), "cets224")
    assert before["Member States that have ratified CETS 224"] == 0
    assert before["Signatures in the period"] == 4


@pytest.mark.usefixtures("four_member_states")
def test_reforms_are_counted_from_the_implementation_tracker_as_of_the_period_end() -> None:
    figures = _figures(Client().get("/api/v1/indicators", PERIOD).json(), "implementation")
    assert figures["Member States undertaking reforms (a draft, an adopted or an in-force measure recorded)"] == 2
    assert figures["Member States with drafts (furthest stage: draft)"] == 0
    assert figures["Member States with completed reforms (adopted or in force)"] == 2
    assert figures["Member States with nothing recorded"] == 2
    early = _figures(Client().get("/api/v1/indicators", {"from": "2025-01-01", "to": "2026-01-01"}).json(), "implementation")
    assert early["Member States with completed reforms (adopted or in force)"] == 1  # Italy's decrees of 30 Dec 2025


@pytest.mark.usefixtures("four_member_states")
def test_the_page_shows_the_period_the_figures_and_the_ratification_table() -> None:
    page = Client().get("/indicators/", PERIOD).content.decode()
    assert "Period from 2026-01-01 to 2026-06-30 (both included)." in page
    assert "Member States that have ratified CETS 224" in page
    assert '<th scope="row">Hungary</th><td>2023-06-28</td><td>2026-02-05</td><td>ratified</td>' in page
    assert "/indicators/report.pdf?from=2026-01-01&amp;to=2026-06-30" in page


@pytest.mark.usefixtures("four_member_states")
def test_the_report_is_a_pdf_of_the_forms_engine_with_the_period_and_the_figures() -> None:
    answer = Client().get("/indicators/report.pdf", PERIOD)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "Period from 2026-01-01 to 2026-06-30" in text
    assert "Member States that have ratified CETS 224 1" in text
    assert "Member States with completed reforms (adopted or in force) 2" in text
    assert "Hungary Signature: 2023-06-28; Ratification: 2026-02-05; Status: ratified" in text
    assert "Page 1 of" in text


def test_a_section_another_part_of_the_platform_registers_appears_on_the_page_the_pdf_and_the_api(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def exercises(start: date, end: date) -> Section:
        return Section(
            key="exercises",
            title="Exercises",
            figures=(("Exercise attempts", 17),),
            tables=(Table("Attempts by scenario", ("Scenario", "Attempts"), (("Art 7 order to a provider", 17),)),),
            notes=(f"Counted from {start} to {end}.",),
        )

    monkeypatch.setattr(indicators, "_REGISTRY", [*indicators._REGISTRY, (90, exercises)])
    page = Client().get("/indicators/", PERIOD).content.decode()
    assert "Exercise attempts" in page
    assert "Counted from 2026-01-01 to 2026-06-30." in page
    pdf = Client().get("/indicators/report.pdf", PERIOD).content
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Exercise attempts 17" in text
    assert "Art 7 order to a provider Attempts: 17" in text
    answer = Client().get("/api/v1/indicators", PERIOD).json()
    assert [s["key"] for s in answer["sections"]][-1] == "exercises"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-02-30"}, "from"),
        ({"from": "1.1.2026"}, "from"),
        ({"to": "20260131"}, "to"),
        ({"from": "2026-06-30", "to": "2026-01-01"}, "to"),
        ({"from": "1999-01-01"}, "from"),
        ({"to": "2099-01-01"}, "to"),
    ],
)
def test_a_bad_period_is_refused_with_400_naming_the_parameter(query: dict[str, str], field: str) -> None:
    answer = Client().get("/api/v1/indicators", query)
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    page = Client().get("/indicators/", query)
    assert page.status_code == 400
    assert field in page.content.decode()
    report = Client().get("/indicators/report.pdf", query)
    assert report.status_code == 400
    assert report["Content-Type"].startswith("text/plain")
