"""Values verified in the second pass against official records: each rests on the record read.

A value is verified only on an official record or an exact copy of one whose official
original is recorded (docs/reference-data.md, sections 11 to 13). These tests pin what was
read, so that a later edit cannot silently move a value back to a secondary page.
"""

from __future__ import annotations

from datetime import date

from cyberspex.law.citations import Instrument
from cyberspex.law.model import ReferenceData, Treaty
from cyberspex.law.provisions import checked_provision
from cyberspex.refdata.loader import read_raw


def test_spain_is_a_party_to_the_convention_on_the_list_published_in_the_polish_journal_of_laws(
    data: ReferenceData,
) -> None:
    status = data.states["ES"].treaties[Treaty.ETS_185].relation_provenance
    assert (status.source, status.as_of, status.verified) == ("B34", date(2015, 4, 2), True)


def test_austria_finland_and_sweden_joined_the_union_on_1_january_1995_as_the_official_journal_records(
    data: ReferenceData,
) -> None:
    for state in ("AT", "FI", "SE"):
        accession = data.eu.accessions[state]
        assert accession.when == date(1995, 1, 1)
        assert accession.provenance.source == "OJ-1995-L187"
        assert accession.provenance.verified


def test_the_official_journal_text_of_1995_is_recorded_as_a_copy_with_its_eur_lex_original() -> None:
    raw, _ = read_raw()
    assert raw is not None
    source = raw.sources["OJ-1995-L187"]
    assert source.kind == "official-copy"
    assert source.official_url is not None
    assert "eur-lex.europa.eu" in source.official_url


def test_the_budapest_paragraphs_read_in_the_second_pass_are_checked_and_paragraph_29_7_is_not() -> None:
    assert checked_provision(Instrument.ETS_185, "25", ("4",)) is not None
    assert checked_provision(Instrument.ETS_185, "29", ("4",)) is not None
    assert checked_provision(Instrument.ETS_185, "29", ("7",)) is None


def test_the_eu_us_agreement_was_signed_in_2003_and_in_force_from_february_2010_on_the_councils_record(
    data: ReferenceData,
) -> None:
    dates = data.instruments["eu-us-mla"].dates
    assert dates["signed"].when == date(2003, 6, 25)
    assert dates["entry_into_force"].when == date(2010, 2, 1)
    for event in ("signed", "entry_into_force"):
        assert dates[event].provenance.source == "EUUS-DEC-2009-933"
        assert dates[event].provenance.verified


def test_council_decision_2023_436_is_dated_14_february_2023_in_the_official_journal(data: ReferenceData) -> None:
    adopted = data.instruments["dec-2023-436"].dates["adopted"]
    assert (adopted.when, adopted.provenance.source, adopted.provenance.verified) == (date(2023, 2, 14), "CD436", True)


def test_the_eu_japan_agreements_entry_into_force_still_rests_on_a_summary_only(data: ReferenceData) -> None:
    entry = data.instruments["eu-jp-mla"].dates["entry_into_force"].provenance
    assert entry.secondary
    assert not entry.verified


def test_the_treaty_offices_reservation_pages_give_the_deposits_of_the_united_states_norway_and_greece(
    data: ReferenceData,
) -> None:
    expected = {
        "US": ("B51", date(2006, 9, 29), date(2007, 1, 1)),
        "NO": ("B52", date(2006, 6, 30), date(2006, 10, 1)),
        "GR": ("B53", date(2017, 1, 25), date(2017, 5, 1)),
    }
    for state, (source, deposit, in_force) in expected.items():
        bc = data.states[state].treaties[Treaty.ETS_185]
        assert bc.consent is not None
        assert bc.entry_into_force is not None
        assert (bc.consent.when, bc.consent.provenance.source, bc.consent.provenance.verified) == (deposit, source, True)
        assert bc.entry_into_force.when == in_force


def test_greeces_article_29_4_reservation_is_recorded_from_the_treaty_office(data: ReferenceData) -> None:
    position = data.states["GR"].treaties[Treaty.ETS_185].positions["R-29-4"]
    assert (position.provenance.source, position.provenance.verified) == ("B53", True)


def test_andorras_deposit_and_article_29_4_position_rest_on_the_treaty_office_not_on_a_copy_of_the_chart(
    data: ReferenceData,
) -> None:
    bc = data.states["AD"].treaties[Treaty.ETS_185]
    assert bc.consent is not None
    assert (bc.consent.when, bc.consent.provenance.source, bc.consent.provenance.verified) == (date(2016, 11, 16), "B54", True)
    assert bc.positions["R-29-4"].provenance.verified


def test_ireland_is_a_signatory_that_the_dutch_list_of_parties_does_not_name(data: ReferenceData) -> None:
    bc = data.states["IE"].treaties[Treaty.ETS_185]
    assert bc.consent is None
    assert (bc.relation_provenance.source, bc.relation_provenance.verified) == ("B32", True)
