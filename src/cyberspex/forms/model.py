"""Form definitions as the rest of the package sees them: a tree of typed nodes, each with
its citation, the reference element it encodes, the packages it may appear in, and
whether its legal basis is verified."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cyberspex.law.scenario import EmergencyKind

FULL = "full"
PACKAGES = ("provider", "authority", "notification", FULL)
LEAF_TYPES = (
    "text",
    "free_text",
    "date",
    "datetime",
    "integer",
    "boolean",
    "country",
    "language",
    "email",
    "phone",
    "url",
    "enum",
)


@dataclass(frozen=True, slots=True)
class Node:
    name: str
    type: str  # a leaf type or a vocabulary type
    citation: str
    element: str  # id of the element in the reference (e.g. 2AP-A7-3-f)
    recipients: frozenset[str]  # always includes "full"
    verified: bool
    required: bool = False
    list: bool = False
    values: tuple[str, ...] = ()  # for enums
    children: tuple[Node, ...] = ()

    @property
    def leaf(self) -> bool:
        return not self.children

    def visible_in(self, package: str) -> bool:
        """The one place that decides whether a field may appear in a package."""
        return package in self.recipients


@dataclass(frozen=True, slots=True)
class AnnexSection:
    """Where a section stands in the official form it encodes (Annexes I and II of
    Regulation (EU) 2023/1543): its letter(s) and its heading. ``verified`` says whether the
    heading was read in an official text or an exact copy of one (``source``, an id of
    sources.yaml); an unread heading is a neutral description, never the official wording."""

    letter: str | None  # "A", or "D-H" for a run of sections; None: the Annex gives it no letter we could read
    heading: str  # the English heading: the official wording when verified
    verified: bool
    source: str | None = None
    read_in: tuple[str, ...] = ()  # languages in which the heading was read; others print a translation


@dataclass(frozen=True, slots=True)
class SectionDef:
    id: str
    verified: bool
    fields: tuple[Node, ...]
    annex: AnnexSection | None = None
    signatures: bool = False  # the signature and seal block is printed in this section


@dataclass(frozen=True, slots=True)
class Statement:
    element: str
    citation: str
    verified: bool


@dataclass(frozen=True, slots=True)
class FormDef:
    id: str
    route: str
    verified: bool
    emergency: tuple[EmergencyKind, ...]  # kinds of emergency the instrument serves; empty: not emergency-only
    packages: tuple[str, ...]  # includes "full"
    data_categories: tuple[str, ...]
    statement: Statement
    sections: tuple[SectionDef, ...]

    def fields(self) -> Iterator[Node]:
        for section in self.sections:
            yield from section.fields

    def field(self, name: str) -> Node:
        for node in self.fields():
            if node.name == name:
                return node
        raise KeyError(name)
