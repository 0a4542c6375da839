from __future__ import annotations

import doctest

import pytest

from cyberspex.law import citations
from cyberspex.law.citations import Instrument, cite


@pytest.mark.parametrize(
    ("instrument", "ref", "text"),
    [
        (Instrument.CETS_224, "7(9)(a)", "CETS 224 Art 7(9)(a)"),
        (Instrument.CETS_224, "8(6)(a)(ii)", "CETS 224 Art 8(6)(a)(ii)"),
        (Instrument.ETS_185, "29", "ETS 185 Art 29"),
        (Instrument.REG_2023_1543, "Annex II", "Regulation (EU) 2023/1543 Annex II"),
        (Instrument.DIR_2014_41, "Recitals", "Directive 2014/41/EU Recitals"),
    ],
)
def test_it_prints_citations_the_way_lawyers_write_them(instrument: Instrument, ref: str, text: str) -> None:
    assert str(cite(instrument, ref)) == text


def test_it_rejects_a_malformed_reference() -> None:
    with pytest.raises(ValueError, match="malformed"):
        cite(Instrument.CETS_224, "Art 7")


def test_its_docstring_examples_hold() -> None:
    assert doctest.testmod(citations).failed == 0


@pytest.mark.parametrize(
    ("text", "language", "translated"),
    [
        ("Regulation (EU) 2023/1543 Art 4(1) and (2)", "de", "Verordnung (EU) 2023/1543 Art. 4 Abs. 1 und Art. 4 Abs. 2"),
        ("CETS 224 Art 7(5)(a) and (e)", "fr", "STCE 224, art. 7, par. 5, point a) et art. 7, par. 5, point e)"),
        ("CETS 224 Arts 8 and 9", "fr", "STCE 224, art. 8 et art. 9"),
        ("ETS 185 Art 35; CETS 224 Art 9", "de", "SEV 185 Art. 35; SEV 224 Art. 9"),
        ("Regulation (EU) 2023/1543 Art 3(2); Annex II", "de", "Verordnung (EU) 2023/1543 Art. 3 Abs. 2; Anhang II"),
        ("Regulation (EU) 2023/1543 Art 3(2); Annex II", "en", "Regulation (EU) 2023/1543 Art 3(2); Annex II"),
        ("see the provider's policy", "fr", "see the provider's policy"),
    ],
)
def test_a_citation_or_a_list_of_them_is_translated_part_by_part(text: str, language: str, translated: str) -> None:
    assert citations.translate_citation(text, language) == translated
