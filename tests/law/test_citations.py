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
