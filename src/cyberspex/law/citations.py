"""Typed citations of the instruments the advisor reasons about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from cyberspex.law.provisions import CheckedProvision, checked_provision


class Instrument(StrEnum):
    """Instruments, by the short name used in citations."""

    ETS_185 = "ETS 185"  # Convention on Cybercrime (Budapest, 23.XI.2001)
    CETS_224 = "CETS 224"  # Second Additional Protocol (Strasbourg, 12.V.2022)
    REG_2023_1543 = "Regulation (EU) 2023/1543"  # European Production and Preservation Orders
    DIR_2014_41 = "Directive 2014/41/EU"  # European Investigation Order
    DIR_2023_1544 = "Directive (EU) 2023/1544"  # designated establishments, legal representatives
    DEC_2023_436 = "Council Decision (EU) 2023/436"  # authorisation to ratify CETS 224
    EU_US_MLA = "EU-US MLA Agreement"  # Agreement on mutual legal assistance, OJ L 181, 19.7.2003
    EU_JP_MLA = "EU-Japan MLA Agreement"  # Agreement on mutual legal assistance in criminal matters, OJ L 39, 12.2.2010
    USC_18 = "18 U.S.C."  # United States Code, Title 18 (sections, not articles)


_SECTIONS = frozenset({Instrument.USC_18})  # instruments cited by section: "18 U.S.C. § 2702(b)(8)"


_REF = re.compile(r"^(?P<article>\d+[a-z]?|Annex [IVX]+|Recitals)(?P<parts>(\([0-9a-z]+\))*)$")


@dataclass(frozen=True, slots=True)
class Citation:
    """A pinpoint citation: instrument, article and the chain of paragraph/point parts.

    ``verified`` is true only when the provision, or the paragraph or article containing
    it, is recorded in the table of provisions checked against the official text
    (``cyberspex.law.provisions``); interfaces show every other citation as not yet
    verified. ``declared`` keeps a ``verified=`` flag written at the call site, so that a
    test can prove no such flag contradicts the table.
    """

    instrument: Instrument
    article: str
    parts: tuple[str, ...] = ()
    verified: bool = False
    declared: bool | None = field(default=None, compare=False)

    def __str__(self) -> str:
        prefix = "§" if self.instrument in _SECTIONS else "Art"
        label = self.article if not self.article[0].isdigit() else f"{prefix} {self.article}"
        return f"{self.instrument} {label}" + "".join(f"({p})" for p in self.parts)

    @property
    def checked(self) -> CheckedProvision | None:
        """The table entry that verifies this citation, if any."""
        return checked_provision(self.instrument, self.article, self.parts)


def cite(instrument: Instrument, ref: str, *, verified: bool | None = None) -> Citation:
    """Build a citation from a reference such as ``"7(9)(a)"`` or ``"Annex II"``.

    Whether it is verified comes from the table of checked provisions, never from the
    caller: ``verified=`` is only recorded as ``declared``.

    >>> str(cite(Instrument.CETS_224, "7(9)(a)"))
    'CETS 224 Art 7(9)(a)'
    """
    match = _REF.match(ref)
    if match is None:
        raise ValueError(f"malformed article reference {ref!r}")
    parts = tuple(re.findall(r"\(([0-9a-z]+)\)", match["parts"]))
    checked = checked_provision(instrument, match["article"], parts) is not None
    return Citation(instrument, match["article"], parts, checked, verified)
