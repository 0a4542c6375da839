"""A State's relation to a treaty is read on the date asked about: none before it signed (or
before the treaty existed), a signatory from its signature, a Party from its consent."""

from __future__ import annotations

from datetime import date

import pytest

from cyberspex.law.model import DatedFact, Provenance, ReferenceData, Relation, Treaty, TreatyParticipation
from cyberspex.law.scenario import WhatIf
from cyberspex.law.status import relation_on, snapshot

SOURCE = Provenance(source="T", url="https://example.org", as_of=date(2026, 1, 1), verified=True)


def participation(
    relation: Relation, *, signed: date | None = None, consented: date | None = None, **kw: date
) -> TreatyParticipation:
    return TreatyParticipation(
        relation=relation,
        relation_provenance=SOURCE,
        signature=DatedFact(signed, SOURCE, kw.get("signed_by")) if signed or "signed_by" in kw else None,
        consent=DatedFact(consented, SOURCE, kw.get("consented_by")) if consented or "consented_by" in kw else None,
    )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(date(2022, 12, 31), Relation.NONE), (date(2023, 1, 27), Relation.SIGNATORY), (date(2026, 12, 1), Relation.SIGNATORY)],
)
def test_a_signatory_is_one_only_from_its_signature(as_of: date, expected: Relation) -> None:
    assert relation_on(participation(Relation.SIGNATORY, signed=date(2023, 1, 27)), as_of) is expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(date(2001, 1, 1), Relation.NONE), (date(2003, 1, 1), Relation.SIGNATORY), (date(2006, 9, 29), Relation.PARTY)],
)
def test_a_party_was_a_signatory_before_its_consent(as_of: date, expected: Relation) -> None:
    part = participation(Relation.PARTY, signed=date(2001, 11, 23), consented=date(2006, 9, 29))
    assert relation_on(part, as_of) is expected


def test_an_acceding_state_has_no_relation_before_its_accession() -> None:
    part = participation(Relation.PARTY, consented=date(2015, 3, 1))
    assert relation_on(part, date(2014, 1, 1)) is Relation.NONE
    assert relation_on(part, date(2015, 3, 1)) is Relation.PARTY


def test_a_date_known_only_by_a_later_date_leaves_the_relation_unknown_before_it() -> None:
    part = participation(Relation.PARTY, signed_by=date(2004, 1, 1), consented_by=date(2010, 1, 1))
    assert relation_on(part, date(2011, 1, 1)) is Relation.PARTY
    assert relation_on(part, date(2005, 1, 1)) is None  # signed by 2004, consent date unknown
    assert relation_on(None, date(2005, 1, 1)) is Relation.NONE


def test_the_snapshot_reads_the_relation_on_its_date(data: ReferenceData) -> None:
    """France signed CETS 224 on 2023-01-27 (Treaty Office, verified)."""
    part = data.states["FR"].participation(Treaty.CETS_224)
    assert part is not None
    assert part.relation is Relation.SIGNATORY
    assert snapshot(data, as_of=date(2016, 6, 1), what_if=WhatIf()).profile("FR").cets224.relation is Relation.NONE
    assert snapshot(data, as_of=date(2026, 12, 1), what_if=WhatIf()).profile("FR").cets224.relation is Relation.SIGNATORY
