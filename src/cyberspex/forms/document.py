"""The renderer-neutral document: what a recipient package contains, already translated.

Every renderer (HTML, PDF, DOCX) takes a :class:`Document` and returns text or bytes; it
decides layout only. Which fields appear, their labels, and every legal statement are
decided before, in ``cyberspex.forms.package``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    """One field as printed."""

    key: str  # JSON path in the form data, e.g. "order.offences[0].description"
    label: str  # translated label
    value: str  # the value as text; free text is kept in the language it was written in
    citation: str  # e.g. "CETS 224 Art 7(3)(f)"
    untranslated: bool = False  # free text not in a language the recipient accepts


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    lines: tuple[Line, ...]
    note: str | None = None  # e.g. that the section's structure is not yet verified


@dataclass(frozen=True, slots=True)
class Document:
    form_id: str  # e.g. "2ap-7-order"
    package: str  # "provider", "authority", "notification" or "full"
    language: str  # ISO 639-1 code of the fixed texts, e.g. "en", "fr"
    title: str
    subtitle: str  # e.g. the package's recipient
    statement: str  # the legal statement, e.g. that the order is issued under the Protocol
    sections: tuple[Section, ...]
    footer: tuple[str, ...]  # notes: unverified parts, fields needing translation, generator
    labels: dict[str, str]  # small fixed texts the layout needs: "page", "of", "citation", "needs_translation"
    mark: str = ""  # printed above the title and on every page, e.g. that the document is an exercise
