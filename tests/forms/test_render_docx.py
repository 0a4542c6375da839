"""The Word renderer: an editable .docx with one table per section, page numbers as fields,
and the same bytes every time."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.document import Document as WordDocument

from cyberspex.forms.document import Document, Line, Section
from cyberspex.forms.render_docx import render_docx
from cyberspex.forms.sample import sample_document

SPECIAL = "<w:t>&amp; \"quoted\" 'single' ]]> {{field}} « » € \\ \t tab"
LANGUAGES = "Εντολή αποκάλυψης · Заповед за разкриване, ѝ · ąčęėįšųūž őű șț ħġż ß ẞ"


def read(data: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def sample_docx() -> bytes:
    return render_docx(sample_document())


def test_title_subtitle_statement_and_a_heading_per_section_come_in_order(sample_docx: bytes) -> None:
    doc = sample_document()
    paragraphs = [(p.style.name if p.style else "", p.text) for p in read(sample_docx).paragraphs]
    assert paragraphs[:3] == [("Title", doc.title), ("Subtitle", doc.subtitle), ("Intense Quote", doc.statement)]
    assert [text for style, text in paragraphs if style == "Heading 1"] == [s.title for s in doc.sections]


def test_every_line_is_a_table_row_of_label_value_and_citation(sample_docx: bytes) -> None:
    doc = sample_document()
    tables = read(sample_docx).tables
    assert len(tables) == len(doc.sections)
    for section, table in zip(doc.sections, tables, strict=True):
        rows = [[cell.paragraphs[0].text for cell in row.cells] for row in table.rows]
        assert rows == [[line.label, line.value, line.citation] for line in section.lines]


def test_untranslated_values_are_marked_in_their_cell_and_the_others_are_not(sample_docx: bytes) -> None:
    doc = sample_document()
    marker = doc.labels["needs_translation"]
    cells = [row.cells[1].text for table in read(sample_docx).tables for row in table.rows]
    lines = [line for section in doc.sections for line in section.lines]
    assert any(line.untranslated for line in lines)
    for line, cell in zip(lines, cells, strict=True):
        assert cell == (f"{line.value}\n{marker}" if line.untranslated else line.value)


def test_the_footer_notes_end_the_document(sample_docx: bytes) -> None:
    notes = sample_document().footer
    assert [p.text for p in read(sample_docx).paragraphs][-len(notes) :] == list(notes)


def test_every_page_footer_says_page_x_of_y_with_page_and_numpages_fields(sample_docx: bytes) -> None:
    footer = read(sample_docx).sections[0].footer
    xml = footer._element.xml  # python-docx reads fields as plain runs; the XML shows them
    assert xml.count('w:fldCharType="begin"') == 2
    assert " PAGE " in xml
    assert " NUMPAGES " in xml
    assert footer.paragraphs[0].text == "Page 1 of 1"  # the labels, and the values until Word updates them


def test_the_same_document_gives_the_same_bytes(sample_docx: bytes) -> None:
    assert render_docx(sample_document()) == sample_docx


def test_the_file_carries_no_date_and_names_the_documents_title_and_language(sample_docx: bytes) -> None:
    props = read(sample_docx).core_properties
    assert props.created is None
    assert props.modified is None
    assert props.title == sample_document().title
    assert props.language == "en"
    assert props.author == "CyberSPEX"
    entries = zipfile.ZipFile(io.BytesIO(sample_docx)).infolist()
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in {entry.filename for entry in entries}


def test_xml_special_characters_and_every_eu_script_come_through_as_written() -> None:
    sample = sample_document()
    lines = (Line("a", "Special", SPECIAL, "Cite"), Line("b", "Languages", LANGUAGES, "Cite"))
    probe: Document = replace(sample, sections=(Section("Probe", lines, note="A note"),))
    word = read(render_docx(probe))
    values = [row.cells[1].text for row in word.tables[0].rows]
    assert values == [SPECIAL, LANGUAGES]
    assert "A note" in [p.text for p in word.paragraphs]


def test_a_control_character_that_xml_cannot_hold_prints_as_the_replacement_character() -> None:
    sample = sample_document()
    probe = replace(sample, sections=(Section("Probe", (Line("a", "Pasted", "a\x00b\x0bc\tok", "Cite"),)),))
    assert read(render_docx(probe)).tables[0].rows[0].cells[1].text == "a\ufffdb\ufffdc\tok"
