"""Where each State stands towards ETS 185 and CETS 224 on a date, and the CETS 224 timeline."""

from __future__ import annotations

from datetime import date

import pytest

from cyberspex.law.errors import LawError
from cyberspex.law.model import DatedFact, Provenance, ReferenceData, Relation, Treaty
from cyberspex.law.record import replace
from cyberspex.law.scenario import WhatIf
from cyberspex.law.status import snapshot
from cyberspex.law.treaty_status import Standing, parse_treaty, position_citation, timeline, treaty_table
from tests.conftest import AS_OF

RECORD = Provenance("P1", "https://example.org/p1", date(2026, 2, 5), verified=True)
UNCHECKED = Provenance("S10", "https://example.org/s10", date(2022, 11, 30), verified=False, secondary=True)


def with_consents(data: ReferenceData, consents: dict[str, date]) -> ReferenceData:
    """The data with CETS 224 consents added for signatories (a test double of a later record)."""
    states = dict(data.states)
    for iso, when in consents.items():
        record = states[iso]
        part = record.participation(Treaty.CETS_224)
        assert part is not None, iso
        assert part.relation is Relation.SIGNATORY, iso
        consented = replace(part, relation=Relation.PARTY, consent=DatedFact(when, RECORD), consent_kind="ratification")
        states[iso] = replace(record, treaties={**record.treaties, Treaty.CETS_224: consented})
    return replace(data, states=states)


def with_rule(data: ReferenceData, *, needed: int, months: int) -> ReferenceData:
    cets = replace(data.instruments["cets-224"], consents_for_entry_into_force=needed, entry_into_force_delay_months=months)
    return replace(data, instruments={**data.instruments, "cets-224": cets})


def standing(data: ReferenceData, iso: str, treaty: Treaty, on: date) -> Standing:
    return next(r.standing for r in treaty_table(data, on).rows_for(treaty) if r.iso == iso)


# -- status per State on a date ---------------------------------------------------------------


def test_japan_has_ratified_the_protocol_but_it_is_not_in_force_with_three_consents(data: ReferenceData) -> None:
    assert standing(data, "JP", Treaty.CETS_224, AS_OF) is Standing.CONSENTED


def test_japan_was_only_a_signatory_of_the_protocol_before_its_consent(data: ReferenceData) -> None:
    assert standing(data, "JP", Treaty.CETS_224, date(2023, 8, 9)) is Standing.SIGNED


def test_a_state_is_not_a_signatory_before_it_signed(data: ReferenceData) -> None:
    assert standing(data, "FR", Treaty.CETS_224, date(2023, 1, 26)) is Standing.NOT_PARTY  # France signed on 27 Jan 2023
    assert standing(data, "FR", Treaty.CETS_224, date(2023, 1, 27)) is Standing.SIGNED


def test_the_convention_is_in_force_for_japan_from_its_recorded_date(data: ReferenceData) -> None:
    assert standing(data, "JP", Treaty.ETS_185, date(2012, 10, 31)) is Standing.CONSENTED
    assert standing(data, "JP", Treaty.ETS_185, date(2012, 11, 1)) is Standing.IN_FORCE


def test_a_state_absent_from_the_protocol_records_is_not_a_party(data: ReferenceData) -> None:
    row = next(r for r in treaty_table(data, AS_OF).rows_for(Treaty.CETS_224) if r.iso == "IE")
    assert row.standing is Standing.NOT_PARTY
    assert row.signature is None
    assert row.consent is None


def test_every_state_in_the_data_has_one_row_per_treaty(data: ReferenceData) -> None:
    table = treaty_table(data, AS_OF)
    for treaty in (Treaty.ETS_185, Treaty.CETS_224):
        assert [r.iso for r in table.rows_for(treaty)] == sorted(data.states)


def test_the_table_agrees_with_the_advisors_snapshot_on_who_is_bound(data: ReferenceData) -> None:
    on = date(2024, 6, 1)
    snap = snapshot(data, as_of=on, what_if=WhatIf())
    for row in treaty_table(data, on).rows_for(Treaty.ETS_185):
        assert (row.standing is Standing.IN_FORCE) == (snap.profile(row.iso).ets185.bound is True), row.iso


def test_the_counts_add_up_to_the_states_in_the_data(data: ReferenceData) -> None:
    counts = treaty_table(data, AS_OF).counts(Treaty.CETS_224)
    assert sum(counts.values()) == len(data.states)
    assert counts[Standing.CONSENTED] == 3
    assert counts[Standing.IN_FORCE] == 0


def test_a_computed_entry_into_force_is_not_shown_as_verified(data: ReferenceData) -> None:
    later = with_consents(data, {"FR": date(2027, 1, 10), "US": date(2027, 2, 3)})
    row = next(r for r in treaty_table(later, date(2027, 7, 1)).rows_for(Treaty.CETS_224) if r.iso == "JP")
    assert row.entry_into_force is not None
    assert row.entry_into_force.computed
    assert row.entry_into_force.when == date(2027, 6, 1)
    assert not row.entry_into_force.verified
    assert not row.verified


# -- reservations and declarations ------------------------------------------------------------


def test_japans_reservation_under_article_7_9_a_is_shown_in_plain_language_with_its_citation(data: ReferenceData) -> None:
    row = next(r for r in treaty_table(data, AS_OF).rows_for(Treaty.CETS_224) if r.iso == "JP")
    reservation = next(p for p in row.positions if p.code == "R-7-9-a")
    assert reservation.kind == "reservation"
    assert str(reservation.citation) == "CETS 224 Art 7(9)(a)"
    assert "not to apply Article 7" in reservation.summary
    assert reservation.provenance.source == "P2"
    assert reservation.layer == "state"


def test_hungary_shows_the_eu_mandated_positions_as_such(data: ReferenceData) -> None:
    row = next(r for r in treaty_table(data, AS_OF).rows_for(Treaty.CETS_224) if r.iso == "HU")
    assert "N-7-5-a" in {p.code for p in row.positions if p.layer == "eu"}


def test_a_signatory_has_no_positions_shown(data: ReferenceData) -> None:
    row = next(r for r in treaty_table(data, AS_OF).rows_for(Treaty.CETS_224) if r.iso == "FR")
    assert row.positions == ()


def test_an_ets_185_position_code_points_at_its_article() -> None:
    assert str(position_citation(Treaty.ETS_185, "R-29-4")) == "ETS 185 Art 29(4)"
    assert position_citation(Treaty.ETS_185, "not-a-code") is None


# -- the CETS 224 timeline --------------------------------------------------------------------


def test_the_timeline_lists_the_three_recorded_consents_in_order_and_two_are_missing(data: ReferenceData) -> None:
    line = timeline(data, AS_OF)
    assert [(e.ordinal, e.iso, e.consent) for e in line.entries] == [
        (1, "RS", date(2023, 2, 9)),
        (2, "JP", date(2023, 8, 10)),
        (3, "HU", date(2026, 2, 5)),
    ]
    assert line.missing == 2
    assert line.entry_into_force is None
    assert not line.in_force
    assert not any(e.triggers for e in line.entries)


def test_the_number_of_consents_and_the_period_come_from_the_data(data: ReferenceData) -> None:
    line = timeline(data, AS_OF)
    assert (line.needed, line.delay_months) == (5, 3)
    assert line.needed_provenance is not None
    assert line.needed_provenance.source == "S10"
    assert line.delay_provenance is not None
    assert line.delay_provenance.source == "S2"
    assert not line.verified  # neither number is checked against the official record yet


def test_the_fifth_consent_triggers_entry_into_force_on_the_first_day_after_three_months(data: ReferenceData) -> None:
    later = with_consents(data, {"FR": date(2027, 1, 10), "US": date(2027, 2, 3), "DE": date(2027, 9, 30)})
    line = timeline(later, date(2027, 12, 31))
    fifth = line.entries[4]
    assert (fifth.ordinal, fifth.iso, fifth.triggers) == (5, "US", True)
    assert line.entry_into_force == date(2027, 6, 1)
    assert [e.entry_into_force for e in line.entries] == [date(2027, 6, 1)] * 5 + [date(2028, 1, 1)]
    assert line.in_force
    assert [e.iso for e in line.entries if e.triggers] == ["US"]


def test_a_different_threshold_or_period_in_the_data_changes_the_computed_date(data: ReferenceData) -> None:
    three_consents_two_months = with_rule(data, needed=3, months=2)
    line = timeline(three_consents_two_months, AS_OF)
    assert line.entries[2].triggers  # Hungary's consent, 5 February 2026
    assert line.entry_into_force == date(2026, 5, 1)


def test_the_advisors_clock_uses_the_same_rule_from_the_data(data: ReferenceData) -> None:
    changed = with_rule(data, needed=3, months=2)
    assert snapshot(changed, as_of=AS_OF, what_if=WhatIf()).clock.cets224_entry_into_force == date(2026, 5, 1)
    assert next(r for r in treaty_table(changed, AS_OF).rows_for(Treaty.CETS_224) if r.iso == "JP").standing is Standing.IN_FORCE


def test_consents_after_the_date_are_left_out_of_the_timeline(data: ReferenceData) -> None:
    assert [e.iso for e in timeline(data, date(2025, 1, 1)).entries] == ["RS", "JP"]


def test_the_timeline_refuses_data_without_the_article_16_numbers(data: ReferenceData) -> None:
    cets = replace(data.instruments["cets-224"], entry_into_force_delay_months=None)
    broken = replace(data, instruments={**data.instruments, "cets-224": cets})
    with pytest.raises(LawError, match="entry_into_force_delay_months"):
        timeline(broken, AS_OF)


def test_an_unknown_treaty_name_is_refused() -> None:
    assert parse_treaty("cets224") is Treaty.CETS_224
    with pytest.raises(LawError, match="unknown treaty"):
        parse_treaty("ets999")


def test_an_unverified_consent_makes_the_timeline_unverified(data: ReferenceData) -> None:
    states = dict(data.states)
    japan = states["JP"]
    part = japan.participation(Treaty.CETS_224)
    assert part is not None
    assert part.consent is not None
    states["JP"] = replace(
        japan, treaties={**japan.treaties, Treaty.CETS_224: replace(part, consent=replace(part.consent, provenance=UNCHECKED))}
    )
    entry = next(e for e in timeline(replace(data, states=states), AS_OF).entries if e.iso == "JP")
    assert not entry.verified
