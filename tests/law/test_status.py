"""What the data say about each State on a date, under the what-if switches."""

from __future__ import annotations

from datetime import date

from cyberspex.law.model import ReferenceData
from cyberspex.law.record import replace
from cyberspex.law.scenario import WhatIf
from cyberspex.law.status import snapshot
from tests.conftest import AS_OF


def test_the_protocol_is_not_in_force_with_three_consents(data: ReferenceData) -> None:
    snap = snapshot(data, as_of=AS_OF, what_if=WhatIf())
    assert snap.clock.cets224_consents == 3
    assert snap.clock.cets224_entry_into_force is None
    assert not snap.clock.cets224_in_force


def test_consents_after_the_date_are_not_counted(data: ReferenceData) -> None:
    assert snapshot(data, as_of=date(2025, 1, 1), what_if=WhatIf()).clock.cets224_consents == 2


def test_two_assumed_ratifications_give_an_entry_into_force_date_but_not_force_today(data: ReferenceData) -> None:
    snap = snapshot(data, as_of=AS_OF, what_if=WhatIf(assume_ratified=frozenset({"FR", "US"})))
    assert snap.clock.cets224_entry_into_force == date(2027, 3, 1)
    assert not snap.clock.cets224_in_force
    assert snap.profile("FR").cets224.consented is True
    assert snap.profile("FR").cets224.bound is False


def test_assume_in_force_binds_every_consenting_state(data: ReferenceData) -> None:
    snap = snapshot(data, as_of=AS_OF, what_if=WhatIf(assume_in_force=True))
    assert snap.profile("JP").cets224.bound is True
    assert snap.profile("FR").cets224.bound is False  # a signatory that has not ratified


def test_assuming_a_real_party_ratified_changes_nothing(data: ReferenceData) -> None:
    assert snapshot(data, as_of=AS_OF, what_if=WhatIf(assume_ratified=frozenset({"JP"}))).assumed_consents == frozenset()


def test_all_signatories_means_those_that_had_signed_by_the_date(data: ReferenceData) -> None:
    early = snapshot(data, as_of=date(2023, 1, 1), what_if=WhatIf(assume_all_signatories=True))
    assert "FR" not in early.assumed_consents  # France signed on 2023-01-27
    assert "ES" in early.assumed_consents


def test_a_real_party_keeps_unknown_positions_an_assumed_party_has_none_beyond_the_eu_layer(data: ReferenceData) -> None:
    snap = snapshot(data, as_of=AS_OF, what_if=WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"})))
    assert snap.profile("RS").position("R-7-9-a") is None
    assert snap.profile("JP").position("R-7-9-a") is True
    assert snap.profile("US").position("R-7-9-a") is False
    assert snap.profile("FR").position("N-7-5-a") is True  # EU-mandated layer
    assert snap.profile("US").position("N-7-5-a") is False


def test_the_eu_layer_applies_to_hungary_as_a_real_party(data: ReferenceData) -> None:
    snap = snapshot(data, as_of=AS_OF, what_if=WhatIf())
    assert snap.profile("HU").position("N-7-5-a") is True
    assert snap.profile("HU").position("D-7-2-b") is None


def test_an_accession_known_only_by_a_date_is_unknown_until_four_months_later(data: ReferenceData) -> None:
    # Ecuador's accession is known only by 14 January 2026 (its designations of 4 December 2025)
    assert snapshot(data, as_of=date(2026, 4, 30), what_if=WhatIf()).profile("EC").ets185.bound is None
    assert snapshot(data, as_of=date(2026, 5, 1), what_if=WhatIf()).profile("EC").ets185.bound is True


def test_a_recorded_entry_into_force_settles_an_accession_of_unknown_date(data: ReferenceData) -> None:
    # Cameroon: date of deposit not recorded, entry into force 1 April 2024 (Dutch treaty record)
    assert snapshot(data, as_of=date(2024, 3, 31), what_if=WhatIf()).profile("CM").ets185.bound is False
    assert snapshot(data, as_of=date(2024, 4, 1), what_if=WhatIf()).profile("CM").ets185.bound is True


def test_denmark_is_a_member_state_bound_by_neither_eu_instrument(data: ReferenceData) -> None:
    dk = snapshot(data, as_of=AS_OF, what_if=WhatIf()).profile("DK")
    assert (dk.eu_member, dk.reg_bound, dk.eio_bound) == (True, False, False)


def test_ireland_is_bound_by_the_regulation_not_by_the_eio(data: ReferenceData) -> None:
    ie = snapshot(data, as_of=AS_OF, what_if=WhatIf()).profile("IE")
    assert (ie.reg_bound, ie.eio_bound, ie.ets185.bound) == (True, False, False)


def test_eu_membership_runs_from_each_states_accession(data: ReferenceData) -> None:
    assert snapshot(data, as_of=date(2019, 12, 31), what_if=WhatIf()).profile("FR").eu_member is True
    assert snapshot(data, as_of=date(2013, 6, 30), what_if=WhatIf()).profile("HR").eu_member is False
    assert snapshot(data, as_of=date(2013, 7, 1), what_if=WhatIf()).profile("HR").eu_member is True


def test_a_founding_member_is_known_to_be_a_member_only_from_1958(data: ReferenceData) -> None:
    assert snapshot(data, as_of=date(1957, 12, 31), what_if=WhatIf()).profile("FR").eu_member is None
    assert snapshot(data, as_of=date(1958, 1, 1), what_if=WhatIf()).profile("FR").eu_member is True


def test_the_eio_binds_the_united_kingdom_until_the_end_of_the_transition_period(data: ReferenceData) -> None:
    before, during, last, after = (
        snapshot(data, as_of=day, what_if=WhatIf()).profile("GB")
        for day in (date(2020, 1, 31), date(2020, 2, 1), date(2020, 12, 31), date(2021, 1, 1))
    )
    assert (before.eu_member, before.eio_bound) == (True, True)
    assert (during.eu_member, during.eio_bound) == (False, True)
    assert (last.eu_member, last.eio_bound) == (False, True)
    assert (after.eu_member, after.eio_bound) == (False, False)


def test_the_eu_layer_is_never_applied_to_denmark(data: ReferenceData) -> None:
    snap = snapshot(data, as_of=AS_OF, what_if=WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "DK"})))
    assert snap.profile("FR").position("N-7-5-a") is True
    assert snap.profile("DK").position("N-7-5-a") is False  # an assumed Party with no recorded position


def test_a_position_the_eu_layer_leaves_to_each_member_state_is_unknown_until_recorded(data: ReferenceData) -> None:
    eu = {code: replace(p, obligation="may") if code == "N-7-5-a" else p for code, p in data.eu_positions.items()}
    may = replace(data, eu_positions=eu)
    snap = snapshot(may, as_of=AS_OF, what_if=WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR"})))
    assert snap.profile("FR").position("N-7-5-a") is None
    assert snap.profile("FR").position("C-7-5-e") is True  # still "must"


def test_a_state_that_never_joined_is_not_a_member_on_any_date(data: ReferenceData) -> None:
    snap = snapshot(data, as_of=date(2019, 12, 31), what_if=WhatIf())
    assert snap.profile("US").eu_member is False
    assert snap.profile("CN").eu_member is False  # not in the data at all


def test_a_state_outside_the_data_is_bound_by_nothing(data: ReferenceData) -> None:
    cn = snapshot(data, as_of=AS_OF, what_if=WhatIf()).profile("CN")
    assert (cn.reg_bound, cn.eio_bound, cn.ets185.bound, cn.cets224.bound) == (False, False, False, False)


def test_states_in_the_same_legal_position_share_one_profile(data: ReferenceData) -> None:
    snap = snapshot(data, as_of=AS_OF, what_if=WhatIf())
    assert snap.profile("BG") == snap.profile("BE")
    assert snap.profile("AT") != snap.profile("BE")  # Austria made the Art 29(4) reservation
    assert snap.profile("AT") != snap.profile("DK")
