"""The PDF renderer (Typst): text extractable as written, marked translations, page numbers,
fonts from the wheel, no markup injection, same bytes every time."""

from __future__ import annotations

import io
import threading
from dataclasses import replace

import pytest
from pypdf import PdfReader

from cyberspex.forms.document import Document, Line, Section
from cyberspex.forms.render_pdf import render_pdf
from cyberspex.forms.sample import sample_document

MARKUP = {
    "typst": '#set text(red) #eval("1 + 1") #read("/etc/hostname") *bold* _it_ $x^2$ [a] \\ <lbl> @ref `code` ~ -- ---',
    "comments": "// not a comment /* nor this */ = not a heading",
    "json": '"}, "value": "x", {"\\u0000',
}
LANGUAGES = {
    "bg": "Заповед за предоставяне на информация за абонат; Щастие, Ъгъл, Юли, Ябълка, ѝ",
    "el": "Εντολή για την αποκάλυψη πληροφοριών συνδρομητή· ΆΈΉΊΌΎΏ ϊΐ ϋΰ ς",
    "latin": "ąčęėįšųūž āēģīķļņ őű řěů ĺľŕ șțȘȚ ăâî ħġċż łńśź õ ß ẞ æøå œç ðþ áéíóú ñ",
    "symbols": "€ § „Anführung“ «guillemets» ‚einfach‘ – — … № °",
    "ligatures": "office affine flow fjord",
}
MARKER = "translation pending"


def probe(values: dict[str, str], *, language: str = "bg", untranslated: frozenset[str] = frozenset()) -> Document:
    sample = sample_document()
    lines = tuple(
        Line(f"probe.{key}", f"Label {key}", value, f"Cite {key}", key in untranslated) for key, value in values.items()
    )
    labels = {**sample.labels, "needs_translation": MARKER}
    return replace(sample, language=language, sections=(Section("Probe", lines, note="A section note"),), labels=labels)


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """The text with every run of whitespace read as one space (lines wrap at spaces)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_pdf(sample_document())


def test_every_label_value_and_citation_of_the_sample_is_in_the_extracted_text(sample_pdf: bytes) -> None:
    doc = sample_document()
    text = flat("\n".join(pages(sample_pdf)))
    for section in doc.sections:
        assert flat(section.title) in text
        for line in section.lines:
            assert flat(line.value) in text, line.key
            assert flat(line.label) in text, line.key
            assert line.citation in text, line.key
    for fixed in (doc.title, doc.subtitle, doc.statement, *doc.footer):
        assert flat(fixed) in text


def test_an_untranslated_value_is_followed_by_the_marker_and_a_translated_one_is_not() -> None:
    values = {"fr": "Fraude informatique en bande organisée", "en": "Computer fraud by an organised group"}
    text = flat("\n".join(pages(render_pdf(probe(values, untranslated=frozenset({"fr"}))))))
    assert f"{values['fr']} {MARKER}" in text
    assert f"{values['en']} {MARKER}" not in text
    assert text.count(MARKER) == 1


def test_markup_special_characters_print_as_written_and_nothing_is_evaluated() -> None:
    text = flat("\n".join(pages(render_pdf(probe(MARKUP)))))
    for value in MARKUP.values():
        assert flat(value) in text
    assert "Label typst" in text  # the field after the value is still there: nothing swallowed


def test_greek_cyrillic_and_the_accented_latin_of_every_eu_language_print_as_written() -> None:
    text = flat("\n".join(pages(render_pdf(probe(LANGUAGES)))))
    for value in LANGUAGES.values():
        assert flat(value) in text


def test_only_the_fonts_inside_the_typst_wheel_are_embedded(sample_pdf: bytes) -> None:
    fonts = set()
    for page in PdfReader(io.BytesIO(sample_pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts
    assert all(name.startswith("LibertinusSerif") for name in fonts), fonts


def test_every_page_says_page_x_of_y() -> None:
    texts = pages(render_pdf(sample_document(repeat=4)))
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in flat(text)


def test_the_same_document_gives_the_same_bytes_with_no_date_in_them(sample_pdf: bytes) -> None:
    assert render_pdf(sample_document()) == sample_pdf
    for key in (b"CreationDate", b"ModDate", b"CreateDate", b"ModifyDate"):
        assert key not in sample_pdf


def test_the_pdf_is_tagged_with_the_documents_language_and_title(sample_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(sample_pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert reader.metadata is not None
    assert reader.metadata.title == sample_document().title


def test_words_are_neither_hyphenated_nor_split_when_lines_wrap() -> None:
    words = ["Telekommunikationsüberwachung", "Auskunftsersuchen", "Bestandsdatenauskunft", "Strafverfolgungsbehörde"] * 6
    value = " ".join(words)
    text = flat("\n".join(pages(render_pdf(probe({"long": value}, language="de")))))
    assert value in text
    assert "Telekommunikations-" not in text


def test_a_word_wider_than_its_column_is_wrapped_inside_the_page_not_cut_off() -> None:
    digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" * 2
    raw = "\n".join(pages(render_pdf(probe({"hash": digest}))))
    assert digest not in raw  # it did not fit on one line
    assert digest in "".join(raw.split())  # and every character is there, in order


def test_a_malformed_language_code_does_not_stop_the_rendering() -> None:
    pdf = render_pdf(probe({"x": "value"}, language="English (UK)"))
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "und"


def test_threads_can_render_at_the_same_time() -> None:
    doc, errors, results = sample_document(), [], []

    def work() -> None:
        try:
            results.extend(render_pdf(doc) for _ in range(3))
        except Exception as error:  # collected and reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1


def test_a_missing_label_is_named_in_the_error() -> None:
    sample = sample_document()
    with pytest.raises(KeyError, match="needs_translation"):
        render_pdf(replace(sample, labels={"page": "Page", "of": "of"}))
