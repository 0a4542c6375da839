"""The HTML renderer: one standalone accessible page, every text escaped."""

from __future__ import annotations

from dataclasses import replace
from html.parser import HTMLParser

from cyberspex.forms.document import Document, Line, Section
from cyberspex.forms.render_html import render_html
from cyberspex.forms.sample import sample_document

HOSTILE = '<script>alert("x")</script> </dd></dl><img src=x onerror=alert(1)> & &amp; \'q\' "dq"'


class Page(HTMLParser):
    """Collects what a reader sees (text outside <head>), the elements, and each field's text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.fields: dict[str, list[str]] = {}
        self._in_head = False
        self._field: str | None = None
        self._depth = 0
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self._in_head = self._in_head or tag == "head"
        if tag == "div":
            if self._field is not None:
                self._depth += 1
            elif "field" in (attributes.get("class") or "").split():
                self._field = attributes.get("data-key") or ""
                self.fields[self._field] = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        if tag == "div" and self._field is not None:
            if self._depth:
                self._depth -= 1
            else:
                self._field = None

    def handle_data(self, data: str) -> None:
        if self._in_head:
            return
        self.text.append(data)
        if self._field is not None:
            self.fields[self._field].append(data)

    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())

    def field(self, key: str) -> str:
        return " ".join(" ".join(self.fields[key]).split())


def probe(value: str, *, labels: dict[str, str] | None = None) -> Document:
    sample = sample_document()
    line = Line("probe.value", "Probe", value, "CETS 224 Art 7(3)(f)")
    return replace(sample, sections=(Section("Probe", (line,)),), labels=labels or sample.labels)


def test_it_is_a_complete_html5_page_in_the_documents_language() -> None:
    doc = sample_document()
    source = render_html(doc)
    page = Page(source)
    assert source.startswith("<!DOCTYPE html>\n")
    assert source.rstrip().endswith("</html>")
    assert page.tags[0] == ("html", {"lang": "en"})
    names = [tag for tag, _ in page.tags]
    for required in ("head", "meta", "title", "style", "body", "main", "h1", "footer"):
        assert required in names
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert "script" not in names
    assert "link" not in names  # standalone: loads nothing


def test_each_section_has_a_heading_that_labels_a_definition_list() -> None:
    doc = sample_document()
    page = Page(render_html(doc))
    sections = [attrs for tag, attrs in page.tags if tag == "section"]
    headings = [attrs for tag, attrs in page.tags if tag == "h2"]
    assert len(sections) == len(headings) == len(doc.sections)
    assert [s["aria-labelledby"] for s in sections] == [h["id"] for h in headings]
    assert sum(tag == "dl" for tag, _ in page.tags) == len(doc.sections)
    assert sum(tag == "dt" for tag, _ in page.tags) == sum(len(s.lines) for s in doc.sections)


def test_every_line_shows_its_label_value_and_citation_in_its_own_field() -> None:
    doc = sample_document()
    page = Page(render_html(doc))
    text = page.visible()
    for section in doc.sections:
        assert section.title in text
        for line in section.lines:
            field = page.field(line.key)
            assert line.label in field
            assert line.value in field
            assert line.citation in field
            assert f"{doc.labels['citation']}:" in field  # for screen readers
    for fixed in (doc.title, doc.subtitle, doc.statement, *doc.footer):
        assert fixed in text


def test_untranslated_values_are_marked_and_translated_ones_are_not() -> None:
    doc = sample_document()
    page = Page(render_html(doc))
    marker = doc.labels["needs_translation"]
    lines = [line for section in doc.sections for line in section.lines]
    assert any(line.untranslated for line in lines)
    for line in lines:
        assert (f"{line.value} {marker}" in page.field(line.key)) is line.untranslated, line.key


def test_footer_notes_come_after_the_main_content() -> None:
    doc = sample_document()
    source = render_html(doc)
    assert source.index("</main>") < source.index("<footer>")
    footer = source[source.index("<footer>") :]
    for note in doc.footer:
        assert Page(footer).visible().count(note) == 1


def test_section_notes_are_shown() -> None:
    doc = sample_document()
    noted = replace(doc, sections=(replace(doc.sections[0], note="Structure not yet verified"),))
    assert "Structure not yet verified" in Page(render_html(noted)).visible()


def test_a_value_with_markup_prints_as_written_and_adds_no_element() -> None:
    page = Page(render_html(probe(HOSTILE)))
    assert page.field("probe.value").startswith("Probe " + HOSTILE)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names
    assert "img" not in names


def test_a_key_with_quotes_cannot_add_an_attribute() -> None:
    sample = sample_document()
    line = Line('x" onmouseover="alert(1)', "Label", "Value", "Cite")
    page = Page(render_html(replace(sample, sections=(Section("S", (line,)),))))
    attributes = [attrs for tag, attrs in page.tags if tag == "div"]
    assert attributes == [{"class": "field", "data-key": 'x" onmouseover="alert(1)'}]


def test_labels_in_the_style_sheet_cannot_end_the_style_element_or_the_string() -> None:
    labels = {**sample_document().labels, "page": '</style><script>alert(1)</script>" } body { display: none'}
    source = render_html(probe("value", labels=labels))
    assert source.count("</style>") == 1
    assert "<script>" not in source
    assert "display: none" not in source


def test_greek_cyrillic_and_accented_latin_come_through_as_written() -> None:
    value = "Εντολή αποκάλυψης · Заповед за разкриване · ąčęėįšųūž őű șț ħġż ß"
    assert value in Page(render_html(probe(value))).visible()


def test_the_same_document_gives_the_same_page() -> None:
    assert render_html(sample_document()) == render_html(sample_document())


def test_printed_pages_are_numbered_with_the_documents_labels() -> None:
    labels = {**sample_document().labels, "page": "Seite", "of": "von"}
    source = render_html(probe("value", labels=labels))
    assert 'content: "Seite\\000020" counter(page) "\\000020von\\000020" counter(pages)' in source
