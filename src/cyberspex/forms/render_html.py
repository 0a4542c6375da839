"""Render a :class:`Document` as one standalone, accessible, print-friendly HTML5 page.

Every text from the document is escaped with :func:`html.escape` (quotes included), and the
few texts that go into the style sheet (the page-number labels) are escaped as CSS strings,
so no value can add markup, attributes or styles. The page has no scripts and loads nothing.
"""

from __future__ import annotations

import html

from cyberspex.forms.document import Document, Line, Section, SignatureBox

__all__ = ["render_html"]

_CSS = """\
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1a1a1a;
  font: 1rem/1.5 "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.25rem; }
.subtitle { font-size: 1.1rem; font-style: italic; margin: 0 0 1rem; }
.statement { border-left: 0.25rem solid #555; background: #f4f4f4; padding: 0.6rem 0.9rem; margin: 0 0 1.5rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 0.5rem; border-bottom: 1px solid #999; padding-bottom: 0.2rem; }
.section-note { font-size: 0.9rem; font-style: italic; margin: 0 0 0.5rem; }
dl { margin: 0; }
.field { display: grid; grid-template-columns: 14rem 1fr 11rem; gap: 0 1rem;
  padding: 0.35rem 0; border-bottom: 1px solid #ddd; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
dd.value > span { white-space: pre-line; }
.citation { font-size: 0.85rem; color: #4d4d4d; }
.needs-translation { display: inline-block; margin-left: 0.4rem; padding: 0 0.35rem; border: 1px solid #9a3412;
  border-radius: 0.2rem; color: #9a3412; background: #fff7ed; font-size: 0.8rem; font-weight: 700; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }
.signatures { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; margin: 1rem 0 0; }
.signature { border: 1px solid #555; padding: 0.6rem 0.9rem; break-inside: avoid; }
.signature h3 { font-size: 1rem; margin: 0 0 0.4rem; }
.signature dl > div { display: grid; grid-template-columns: 7rem 1fr; gap: 0 0.5rem; padding: 0.2rem 0; }
.fill { display: block; min-height: 1.4rem; border-bottom: 1px solid #555; }
.sign-area { display: grid; grid-template-columns: 1fr 7rem; gap: 0.75rem; margin-top: 0.6rem; }
.sign-area div { min-height: 6rem; border: 1px dashed #555; padding: 0.25rem 0.4rem; font-size: 0.85rem; color: #404040; }
.mark { border: 2px solid #9a3412; color: #9a3412; padding: 0.4rem 0.75rem; text-align: center; }
footer { max-width: 52rem; margin: 0 auto; padding: 0 1.25rem 2rem; font-size: 0.85rem; color: #404040; }
footer ul { margin: 1rem 0 0; padding: 0.75rem 0 0 1.1rem; border-top: 1px solid #999; }
@media (max-width: 40rem) {
  .field { grid-template-columns: 1fr; }
}
@media print {
  body { font-size: 10.5pt; }
  main, footer { max-width: none; padding: 0; }
  .statement { background: none; }
  .field { grid-template-columns: 30% 1fr 22%; break-inside: avoid; }
  h2 { break-after: avoid; }
  .needs-translation { background: none; }
}
"""


def _text(value: str) -> str:
    return html.escape(value, quote=True)


def _css_string(value: str) -> str:
    """``value`` as a double-quoted CSS string: anything but a letter or a digit becomes a
    six-digit hex escape, so the text can neither end the string nor the ``<style>`` element."""
    return '"' + "".join(ch if ch.isalnum() else f"\\{ord(ch):06x}" for ch in value) + '"'


def _page_css(doc: Document) -> str:
    page, of = doc.labels["page"], doc.labels["of"]
    counter = f"{_css_string(page + ' ')} counter(page) {_css_string(' ' + of + ' ')} counter(pages)"
    box = f"content: {counter}; font: 8.5pt sans-serif; color: #404040;"
    return f"@page {{ size: A4; margin: 2cm 2cm 2.2cm; @bottom-right {{ {box} }} }}\n"


def _line(line: Line, labels: dict[str, str]) -> str:
    classes = "field untranslated" if line.untranslated else "field"
    marker = f' <strong class="needs-translation">{_text(labels["needs_translation"])}</strong>' if line.untranslated else ""
    citation_label = _text(labels["citation"])
    return (
        f'<div class="{classes}" data-key="{_text(line.key)}">\n'
        f"<dt>{_text(line.label)}</dt>\n"
        f'<dd class="value"><span>{_text(line.value)}</span>{marker}</dd>\n'
        f'<dd class="citation"><span class="visually-hidden">{citation_label}: </span>{_text(line.citation)}</dd>\n'
        "</div>\n"
    )


_FILL = '<span class="fill" aria-hidden="true"></span>'  # a line to fill in by hand


def _signature(box: SignatureBox, labels: dict[str, str]) -> str:
    rows = "".join(
        f"<div><dt>{_text(label)}</dt><dd>{_text(value) if value else _FILL}</dd></div>\n" for label, value in box.rows
    )
    return (
        '<div class="signature">\n'
        f"<h3>{_text(box.title)}</h3>\n<dl>\n{rows}</dl>\n"
        '<div class="sign-area">\n'
        f"<div>{_text(labels['signature'])}</div>\n<div>{_text(labels['seal'])}</div>\n"
        "</div>\n</div>\n"
    )


def _section(number: int, section: Section, labels: dict[str, str]) -> str:
    heading_id = f"section-{number}"
    parts = [f'<section aria-labelledby="{heading_id}">\n<h2 id="{heading_id}">{_text(section.title)}</h2>\n']
    if section.note is not None:
        parts.append(f'<p class="section-note">{_text(section.note)}</p>\n')
    if section.lines:
        parts.append("<dl>\n")
        parts.extend(_line(line, labels) for line in section.lines)
        parts.append("</dl>\n")
    if section.signatures:
        parts.append('<div class="signatures">\n')
        parts.extend(_signature(box, labels) for box in section.signatures)
        parts.append("</div>\n")
    parts.append("</section>\n")
    return "".join(parts)


def _mark(mark: str) -> str:
    return f'<p class="mark" role="note"><strong>{_text(mark)}</strong></p>\n' if mark else ""


def render_html(doc: Document) -> str:
    """The whole page as text: ``lang`` from ``doc.language``, one ``<h2>`` and one ``<dl>``
    per section (label, value, citation), untranslated values marked with
    ``doc.labels["needs_translation"]``, and the footer notes after ``<main>``."""
    sections = "".join(_section(number, section, doc.labels) for number, section in enumerate(doc.sections, start=1))
    footer = ""
    if doc.footer:
        notes = "".join(f"<li>{_text(note)}</li>\n" for note in doc.footer)
        footer = f"<footer>\n<ul>\n{notes}</ul>\n</footer>\n"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_text(doc.language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="CyberSPEX">\n'
        f"<title>{_text(' — '.join(filter(None, (doc.title, doc.subtitle))))}</title>\n"
        f"<style>\n{_CSS}{_page_css(doc)}</style>\n"
        "</head>\n"
        "<body>\n"
        f'<main data-form="{_text(doc.form_id)}" data-package="{_text(doc.package)}">\n'
        "<header>\n"
        f"{_mark(doc.mark)}"
        f"<h1>{_text(doc.title)}</h1>\n"
        f'<p class="subtitle">{_text(doc.subtitle)}</p>\n'
        "</header>\n"
        f'<p class="statement">{_text(doc.statement)}</p>\n'
        f"{sections}"
        "</main>\n"
        f"{footer}"
        "</body>\n"
        "</html>\n"
    )
