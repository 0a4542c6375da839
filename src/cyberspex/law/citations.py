"""Typed citations of the instruments the advisor reasons about."""

from __future__ import annotations

import re
from enum import StrEnum

from cyberspex.law.provisions import CheckedProvision, checked_provision
from cyberspex.law.record import Record, field


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


class Citation(Record):
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


# The instruments' names in each language of the catalogues (the English one is the enum's value).
INSTRUMENT_NAMES: dict[str, dict[Instrument, str]] = {
    "fr": {
        Instrument.ETS_185: "STE 185",
        Instrument.CETS_224: "STCE 224",
        Instrument.REG_2023_1543: "règlement (UE) 2023/1543",
        Instrument.DIR_2014_41: "directive 2014/41/UE",
        Instrument.DIR_2023_1544: "directive (UE) 2023/1544",
        Instrument.DEC_2023_436: "décision (UE) 2023/436 du Conseil",
        Instrument.EU_US_MLA: "accord d'entraide judiciaire UE-États-Unis",
        Instrument.EU_JP_MLA: "accord d'entraide judiciaire UE-Japon",
        Instrument.USC_18: "18 U.S.C.",
    },
    "de": {
        Instrument.ETS_185: "SEV 185",
        Instrument.CETS_224: "SEV 224",
        Instrument.REG_2023_1543: "Verordnung (EU) 2023/1543",
        Instrument.DIR_2014_41: "Richtlinie 2014/41/EU",
        Instrument.DIR_2023_1544: "Richtlinie (EU) 2023/1544",
        Instrument.DEC_2023_436: "Beschluss (EU) 2023/436 des Rates",
        Instrument.EU_US_MLA: "Rechtshilfeabkommen EU-USA",
        Instrument.EU_JP_MLA: "Rechtshilfeabkommen EU-Japan",
        Instrument.USC_18: "18 U.S.C.",
    },
}
_ANNEX = {"fr": "annexe", "de": "Anhang"}
_RECITALS = {"fr": "considérants", "de": "Erwägungsgründe"}
# Article, paragraph, point, sub-point: "art. 7, par. 5, point a)" / "Art. 7 Abs. 5 Buchst. a".
_LEVELS = {
    "fr": ("art. {}", ", par. {}", ", point {})", ", sous-point {})"),
    "de": ("Art. {}", " Abs. {}", " Buchst. {}", " Ziff. {}"),
}


def format_citation(citation: Citation, language: str = "en") -> str:
    """The citation in the convention of ``language``.

    >>> c = cite(Instrument.REG_2023_1543, "7(5)(a)")
    >>> format_citation(c, "fr")
    'règlement (UE) 2023/1543, art. 7, par. 5, point a)'
    >>> format_citation(c, "de")
    'Verordnung (EU) 2023/1543 Art. 7 Abs. 5 Buchst. a'
    """
    if language not in INSTRUMENT_NAMES:
        return str(citation)
    name = INSTRUMENT_NAMES[language][citation.instrument]
    if citation.instrument in _SECTIONS:
        return f"{name} § {citation.article}" + "".join(f"({p})" for p in citation.parts)
    if citation.article == "Recitals":
        return f"{name}, {_RECITALS[language]}" if language == "fr" else f"{_RECITALS[language]} {name}"
    if citation.article.startswith("Annex "):
        roman = citation.article.removeprefix("Annex ")
        return f"{name}, {_ANNEX[language]} {roman}" if language == "fr" else f"{_ANNEX[language]} {roman} {name}"
    levels = _LEVELS[language]
    text = levels[0].format(citation.article)
    for depth, part in enumerate(citation.parts, start=1):
        text += levels[min(depth, len(levels) - 1)].format(part)
    return f"{name}, {text}" if language == "fr" else f"{name} {text}"


def parse_citation(text: str) -> Citation | None:
    """The citation written as ``str(citation)`` (e.g. a stored "ETS 185 Art 29(7)"), or None.

    >>> parse_citation("Regulation (EU) 2023/1543 Art 10(4)") == cite(Instrument.REG_2023_1543, "10(4)")
    True
    """
    for instrument in sorted(Instrument, key=lambda i: -len(i.value)):
        if not text.startswith(f"{instrument.value} "):
            continue
        ref = text[len(instrument.value) + 1 :]
        for prefix in ("Art ", "§ "):
            ref = ref.removeprefix(prefix)
        try:
            return cite(instrument, ref)
        except ValueError:
            return None
    return None


def translate_citation(text: str, language: str) -> str:
    """A citation written in English, in the convention of ``language``; other text unchanged.

    Citations separated by "; " are translated one by one; one that names no instrument
    ("Annex I") is read with the instrument of the one before it.

    >>> translate_citation("CETS 224 Art 7(5)(a) and (e)", "de")
    'SEV 224 Art. 7 Abs. 5 Buchst. a und Art. 7 Abs. 5 Buchst. e'
    >>> translate_citation("Regulation (EU) 2023/1543 Art 3(1); Annex I", "fr")
    'règlement (UE) 2023/1543, art. 3, par. 1; annexe I'
    >>> translate_citation("CETS 224 Arts 8 and 9", "de")
    'SEV 224 Art. 8 und Art. 9'
    """
    if language not in INSTRUMENT_NAMES:
        return text
    if "; " in text:
        return "; ".join(_translate_list(text.split("; "), language))
    if (several := re.match(r"^(?P<name>.+) Arts (?P<first>\S+) and (?P<second>\S+)$", text)) is not None:
        pair = (f"{several['name']} Art {several['first']}", f"{several['name']} Art {several['second']}")
        return _translate_pair(*pair, language) or text
    head, sep, more = text.partition(" and (")  # "... Art 4(1) and (2)", "... 7(5)(a) and (e)": the last part changes
    citation = parse_citation(head)
    if citation is None or not sep:
        return text if citation is None else format_citation(citation, language)
    outer = "".join(f"({p})" for p in citation.parts[:-1])
    return _translate_pair(head, f"{citation.instrument.value} Art {citation.article}{outer}({more}", language) or text


def _translate_pair(first: str, second: str, language: str) -> str | None:
    """Two citations of one instrument joined: "Art. 4 Abs. 1 und Art. 4 Abs. 2"; None if either is unreadable."""
    one, other = parse_citation(first), parse_citation(second)
    if one is None or other is None:
        return None
    return f"{format_citation(one, language)} {_AND[language]} {_tail(other, language)}"


def _translate_list(parts: list[str], language: str) -> list[str]:
    out: list[str] = []
    previous: Instrument | None = None
    for part in parts:
        named = next((i for i in sorted(Instrument, key=lambda i: -len(i.value)) if part.startswith(f"{i.value} ")), None)
        if named is None and previous is not None:
            full = translate_citation(f"{previous.value} {part}", language)
            out.append(part if full == f"{previous.value} {part}" else _tail_of(full, previous, language))
        else:
            out.append(translate_citation(part, language))
        previous = named or previous
    return out


_AND = {"fr": "et", "de": "und"}


def _tail_of(full: str, instrument: Instrument, language: str) -> str:
    """A formatted citation without the instrument's name ("annexe I", "Anhang I")."""
    name = INSTRUMENT_NAMES[language][instrument]
    return full.removeprefix(f"{name}, ").removeprefix(f"{name} ").removesuffix(f" {name}")


def _tail(citation: Citation, language: str) -> str:
    """The article reference without the instrument's name ("Art. 4 Abs. 2")."""
    full = format_citation(citation, language)
    name = INSTRUMENT_NAMES[language][citation.instrument]
    return full.removeprefix(f"{name}, ").removeprefix(f"{name} ")
