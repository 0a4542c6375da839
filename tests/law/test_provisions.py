"""The table of provisions checked against the official text decides what is verified."""

from __future__ import annotations

import pytest

from cyberspex.law import provisions, treaty_dates
from cyberspex.law.citations import _REF, Citation, Instrument, cite
from cyberspex.law.routes import ROUTES


def rule_citations() -> list[tuple[str, Citation]]:
    cited = [(rule.id, rule.citation) for route in ROUTES for rule in route.rules]
    return [*cited, ("treaty_dates.general", treaty_dates.ENTRY_INTO_FORCE_GENERAL)]


def test_a_provision_recorded_as_checked_is_verified() -> None:
    citation = cite(Instrument.REG_2023_1543, "10(3)")
    assert citation.verified
    assert citation.checked is not None
    assert "10 days" in citation.checked.wording


def test_every_paragraph_of_an_article_recorded_whole_is_verified() -> None:
    assert cite(Instrument.ETS_185, "31").verified
    assert cite(Instrument.ETS_185, "31(3)(a)").verified
    assert cite(Instrument.ETS_185, "36(4)").checked == cite(Instrument.ETS_185, "36").checked


def test_a_checked_paragraph_does_not_verify_the_other_paragraphs_of_its_article() -> None:
    assert cite(Instrument.ETS_185, "29(1)").verified
    assert not cite(Instrument.ETS_185, "29(7)").verified
    assert not cite(Instrument.ETS_185, "29").verified


def test_the_same_article_number_in_another_instrument_is_not_verified() -> None:
    assert cite(Instrument.REG_2023_1543, "31").verified is False


def test_a_caller_cannot_declare_a_provision_verified_that_the_table_does_not_record() -> None:
    citation = cite(Instrument.CETS_224, "8(6)(a)", verified=True)
    assert citation.declared is True
    assert citation.verified is False
    assert citation.checked is None


def test_no_verified_flag_written_in_the_rules_contradicts_the_table() -> None:
    contradictions = [
        f"{rule_id}: {citation} says verified={citation.declared}, the table says {citation.verified}"
        for rule_id, citation in rule_citations()
        if citation.declared is not None and citation.declared != citation.verified
    ]
    assert contradictions == []


@pytest.mark.parametrize("entry", provisions.CHECKED, ids=lambda e: f"{e.instrument} {e.ref}")
def test_every_entry_names_an_instrument_a_well_formed_provision_its_official_text_and_the_wording_confirmed(
    entry: provisions.CheckedProvision,
) -> None:
    assert entry.instrument in {i.value for i in Instrument}
    assert _REF.match(entry.ref), entry.ref
    assert entry.official.strip()
    assert entry.copy is None or entry.copy.strip()
    assert len(entry.wording) > 20


def test_no_provision_is_recorded_twice() -> None:
    keys = [(e.instrument, e.ref) for e in provisions.CHECKED]
    assert len(keys) == len(set(keys))


def test_an_entry_without_a_date_of_check_says_what_it_rests_on() -> None:
    undated = [e for e in provisions.CHECKED if e.checked is None]
    for entry in undated:
        assert entry.copy is not None
        assert "not opened" in entry.copy, entry
