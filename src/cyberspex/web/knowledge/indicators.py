"""The sections of the project indicators (/indicators/ and its PDF report).

Each part of the platform that counts something the indicators show (treaty status,
implementation, training sessions, exercises) registers a section builder here; the indicators
page and report show the registered sections in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Table:
    """A table of the indicators: its caption, column headings and rows of plain values."""

    caption: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]


@dataclass(frozen=True)
class Section:
    """One section of the indicators for a period: a title, figures and tables, and where they come from."""

    key: str
    title: str
    figures: tuple[tuple[str, int], ...] = ()
    tables: tuple[Table, ...] = ()
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


SectionBuilder = Callable[[date, date], Section]
_REGISTRY: list[tuple[int, SectionBuilder]] = []


def register(order: int) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a builder of one section for the period [start, end]; sections are shown by ``order``."""

    def decorate(builder: SectionBuilder) -> SectionBuilder:
        _REGISTRY.append((order, builder))
        return builder

    return decorate


def sections(start: date, end: date) -> list[Section]:
    return [builder(start, end) for _, builder in sorted(_REGISTRY, key=lambda entry: entry[0])]
