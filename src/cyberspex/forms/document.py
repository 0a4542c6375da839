"""The renderer-neutral document: what a recipient package contains, already translated.

Every renderer (HTML, PDF, DOCX) takes a :class:`Document` and returns text or bytes; it
decides layout only. Which fields appear, their labels, and every legal statement are
decided before, in ``cyberspex.forms.package``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

Capacity = Literal["issuing", "validating"]
CAPACITIES: tuple[Capacity, ...] = ("issuing", "validating")


@dataclass(frozen=True, slots=True)
class Line:
    """One field as printed."""

    key: str  # JSON path in the form data, e.g. "order.offences[0].description"
    label: str  # translated label
    value: str  # the value as text; free text is kept in the language it was written in
    citation: str  # e.g. "CETS 224 Art 7(3)(f)"
    untranslated: bool = False  # free text not in a language the recipient accepts


@dataclass(frozen=True, slots=True)
class Signatory:
    """The person who signs a request or order, in one capacity: the issuing authority or the
    authority that validated the order (e.g. a judge under Art 4 of Regulation (EU) 2023/1543)."""

    capacity: Capacity
    name: str = ""
    role: str = ""  # e.g. "investigating judge", "deputy public prosecutor"
    authority: str = ""
    signed_on: date | None = None


@dataclass(frozen=True, slots=True)
class SignatureBox:
    """One signature and seal box as printed: a title (the capacity), the known details as
    (label, value) rows, an empty value being a line to fill in by hand, and room for the
    handwritten signature and the official seal (labelled ``labels["signature"]`` and
    ``labels["seal"]`` of the document)."""

    title: str
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    lines: tuple[Line, ...]
    note: str | None = None  # internal documents only: e.g. that the section's heading is not yet verified
    signatures: tuple[SignatureBox, ...] = ()  # printed after the lines


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
    labels: dict[
        str, str
    ]  # small fixed texts the layout needs: "page", "of", "citation", "needs_translation", "signature", "seal"
    mark: str = ""  # printed above the title and on every page, e.g. that the document is an exercise
