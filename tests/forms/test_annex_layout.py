"""The EPOC and EPOC-PR print in the section layout of Annexes I and II of Regulation (EU)
2023/1543: the sections in the Annex's order, with the letters and headings the form
definition gives, the same in every format; a heading is official wording only where it was
read in an official text, and the issuing authority's own copy says which are not."""

from __future__ import annotations

import io
import re

import docx
import pytest

from cyberspex.forms.definitions import forms
from cyberspex.forms.i18n import catalogue, complete_languages
from cyberspex.forms.package import build_document
from cyberspex.forms.render_docx import render_docx
from cyberspex.forms.render_html import render_html
from cyberspex.forms.render_pdf import render_pdf
from cyberspex.forms.render_text import render_text
from cyberspex.refdata.loader import data_root
from cyberspex.refdata.yamlio import load as load_yaml
from tests.forms.helpers import example, with_sentinels
from tests.forms.test_package import pdf_text

EPOC_EN = (
    "Section A: Issuing/validating authority",
    "Section B: Addressee",
    "Section C: Deadlines",
    "Sections D–H: Data requested and underlying conditions",
    "Notification of the enforcing authority",
    "Sections I–J: Details of the issuing and validating authority",
    "Section L: Transfer of the data",
)
EPOC_PR_EN = (
    "Section A: Issuing/validating authority",
    "Section B: Addressee, data to be preserved and conditions",
    "Details of the issuing and validating authority",
)
EPOC_FR = (
    "Section A : Autorité d'émission/de validation",
    "Section B : Destinataire",
    "Section C : Délais",
    "Sections D–H : Données demandées et conditions sous-jacentes",
    "Notification à l'autorité chargée de l'exécution",
    "Sections I–J : Coordonnées de l'autorité d'émission et de l'autorité de validation",
    "Section L : Transfert des données",
)
CASES = [
    pytest.param("eu-epoc", "en", EPOC_EN, id="eu-epoc:en"),
    pytest.param("eu-epoc", "fr", EPOC_FR, id="eu-epoc:fr"),
    pytest.param("eu-epoc-pr", "en", EPOC_PR_EN, id="eu-epoc-pr:en"),
]
ANNEX_FORMS = ("eu-epoc", "eu-epoc-pr")


def filled(form_id: str) -> dict[str, object]:
    data, _ = with_sentinels(forms()[form_id])
    return data


def titles(form_id: str, language: str) -> tuple[str, ...]:
    document = build_document(form_id, filled(form_id), package="provider", language=language)
    return tuple(section.title for section in document.sections)


def in_order(text: str, headings: tuple[str, ...]) -> bool:
    """Whether every heading occurs in ``text``, each after the one before it."""
    flat = " ".join(text.split())
    positions = [flat.find(heading) for heading in headings]
    return -1 not in positions and positions == sorted(positions)


@pytest.mark.parametrize(("form_id", "language", "headings"), CASES)
def test_the_sections_follow_the_annex_with_their_letters_and_headings(
    form_id: str, language: str, headings: tuple[str, ...]
) -> None:
    annex = [title for title in titles(form_id, language) if title in headings]
    assert tuple(annex) == headings


@pytest.mark.parametrize(("form_id", "language", "headings"), CASES)
def test_the_text_html_pdf_and_docx_print_the_same_sections_in_the_same_order(
    form_id: str, language: str, headings: tuple[str, ...]
) -> None:
    document = build_document(form_id, filled(form_id), package="provider", language=language)
    word = docx.Document(io.BytesIO(render_docx(document)))
    word_headings = " ".join(p.text for p in word.paragraphs if p.style is not None and p.style.name == "Heading 1")
    html_headings = " ".join(re.findall(r"<h2 [^>]*>([^<]*)</h2>", render_html(document).replace("&#x27;", "'")))
    assert in_order(render_text(document), headings)
    assert in_order(html_headings, headings)
    assert in_order(word_headings, headings)
    assert in_order(pdf_text(render_pdf(document)), headings)


@pytest.mark.parametrize("form_id", ANNEX_FORMS)
def test_the_letters_in_the_definition_run_in_the_annex_order(form_id: str) -> None:
    letters = [s.annex.letter for s in forms()[form_id].sections if s.annex is not None and s.annex.letter]
    first_letters = [letter.split("-")[0] for letter in letters]
    assert first_letters == sorted(first_letters)
    assert len(set(first_letters)) == len(first_letters)


@pytest.mark.parametrize("form_id", ANNEX_FORMS)
def test_the_english_heading_is_the_one_in_the_definition(form_id: str) -> None:
    english = catalogue("en")
    for section in forms()[form_id].sections:
        if section.annex is not None:
            assert english(f"heading.{section.id}") == section.annex.heading, section.id


def test_a_verified_heading_names_an_official_source_and_the_languages_it_was_read_in() -> None:
    sources = load_yaml((data_root() / "sources.yaml").read_text(encoding="utf-8"))
    verified = [s for f in ANNEX_FORMS for s in forms()[f].sections if s.annex is not None and s.annex.verified]
    assert {s.id for s in verified} == {"annex1_a", "annex1_b", "annex2_a"}
    for section in verified:
        assert section.annex is not None
        assert section.annex.source is not None
        assert sources[section.annex.source]["kind"] in ("official", "official-copy"), section.id
        assert "en" in section.annex.read_in


def test_the_official_headings_read_are_those_of_the_annexes() -> None:
    """The wording read in the copies of the Official Journal (sources EUM-AX, GL-AI, FS-AII)."""
    epoc, preservation = forms()["eu-epoc"], forms()["eu-epoc-pr"]
    assert [(s.annex.letter, s.annex.heading) for s in epoc.sections[:2] if s.annex] == [
        ("A", "Issuing/validating authority"),
        ("B", "Addressee"),
    ]
    assert preservation.sections[0].annex is not None
    assert preservation.sections[0].annex.heading == "Issuing/validating authority"


def test_the_file_copy_notes_each_heading_that_is_not_the_official_wording() -> None:
    document = build_document("eu-epoc", filled("eu-epoc"), package="full", language="en")
    notes = {section.title: section.note for section in document.sections}
    assert notes["Section A: Issuing/validating authority"] is None
    assert notes["Section C: Deadlines"] is not None
    assert notes["Section C: Deadlines"].startswith("Internal note: the heading and place of this section")
    french = build_document("eu-epoc", filled("eu-epoc"), package="full", language="fr")
    assert french.sections[1].note is not None
    assert "traduction" in french.sections[1].note  # read in English and German, not in French


@pytest.mark.parametrize("package", ["provider", "authority"])
@pytest.mark.parametrize("form_id", ANNEX_FORMS)
def test_a_recipient_document_carries_no_note_on_its_headings(form_id: str, package: str) -> None:
    document = build_document(form_id, filled(form_id), package=package, language="fr")
    assert all(section.note is None for section in document.sections)
    assert "Note interne" not in render_text(document)


def test_the_layout_comes_from_the_definition_alone() -> None:
    """Every section of the definition with lines prints, in the definition's order, under a
    title that carries its letter(s): nothing in the renderers knows the Annex."""
    form = forms()["eu-epoc"]
    printed = titles("eu-epoc", "en")
    expected = [s for s in form.sections if s.annex is not None]
    positions = [next(i for i, title in enumerate(printed) if title.endswith(s.annex.heading)) for s in expected if s.annex]
    assert positions == sorted(positions)
    for section in expected:
        assert section.annex is not None
        title = next(t for t in printed if t.endswith(section.annex.heading))
        if section.annex.letter:
            assert section.annex.letter.replace("-", "–") in title


def test_an_example_epoc_prints_the_sections_it_has_in_order() -> None:
    document = build_document("eu-epoc", example("eu-epoc"), package="provider", language="en")
    printed = [s.title for s in document.sections if s.title in EPOC_EN]
    assert printed == [h for h in EPOC_EN if h in printed]
    assert printed[0] == "Section A: Issuing/validating authority"


def test_a_heading_marked_as_read_in_german_is_the_german_official_wording() -> None:
    """Annex I Sections A and B as the German language version words them (source GL-AI)."""
    if "de" not in complete_languages():
        pytest.skip("the German form catalogue is not complete yet")
    german = catalogue("de")
    assert german("heading.annex1_a") == "Anordnungsbehörde/Validierende Behörde"
    assert german("heading.annex1_b") == "Adressat"
    read_in_german = {s.id for f in ANNEX_FORMS for s in forms()[f].sections if s.annex and "de" in s.annex.read_in}
    assert read_in_german == {"annex1_a", "annex1_b"}
