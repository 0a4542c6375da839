"""Typed citations of the instruments the advisor reasons about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Instrument(StrEnum):
    """Instruments, by the short name used in citations."""

    ETS_185 = "ETS 185"  # Convention on Cybercrime (Budapest, 23.XI.2001)
    CETS_224 = "CETS 224"  # Second Additional Protocol (Strasbourg, 12.V.2022)
    REG_2023_1543 = "Regulation (EU) 2023/1543"  # European Production and Preservation Orders
    DIR_2014_41 = "Directive 2014/41/EU"  # European Investigation Order
    DIR_2023_1544 = "Directive (EU) 2023/1544"  # designated establishments, legal representatives
    DEC_2023_436 = "Council Decision (EU) 2023/436"  # authorisation to ratify CETS 224
    USC_18 = "18 U.S.C."  # United States Code, Title 18 (sections, not articles)


_SECTIONS = frozenset({Instrument.USC_18})  # instruments cited by section: "18 U.S.C. § 2702(b)(8)"


_REF = re.compile(r"^(?P<article>\d+[a-z]?|Annex [IVX]+|Recitals)(?P<parts>(\([0-9a-z]+\))*)$")


@dataclass(frozen=True, slots=True)
class Citation:
    """A pinpoint citation: instrument, article and the chain of paragraph/point parts.

    ``verified`` is true only when the cited text itself has been checked against a
    published copy (tag V / V1 in the reference); a paraphrase of an unchecked text
    keeps ``verified=False`` and interfaces show that.
    """

    instrument: Instrument
    article: str
    parts: tuple[str, ...] = ()
    verified: bool = False

    def __str__(self) -> str:
        prefix = "§" if self.instrument in _SECTIONS else "Art"
        label = self.article if not self.article[0].isdigit() else f"{prefix} {self.article}"
        return f"{self.instrument} {label}" + "".join(f"({p})" for p in self.parts)


def cite(instrument: Instrument, ref: str, *, verified: bool = False) -> Citation:
    """Build a citation from a reference such as ``"7(9)(a)"`` or ``"Annex II"``.

    >>> str(cite(Instrument.CETS_224, "7(9)(a)"))
    'CETS 224 Art 7(9)(a)'
    """
    match = _REF.match(ref)
    if match is None:
        raise ValueError(f"malformed article reference {ref!r}")
    parts = tuple(re.findall(r"\(([0-9a-z]+)\)", match["parts"]))
    return Citation(instrument, match["article"], parts, verified)
