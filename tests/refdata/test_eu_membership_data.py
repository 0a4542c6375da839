"""The EU membership and EU-layer data: a curator's mistakes are caught with file and key."""

from __future__ import annotations

from pathlib import Path

from cyberspex.law.model import ReferenceData
from cyberspex.refdata.check import cross_check
from cyberspex.refdata.loader import Problem, read_raw
from tests.refdata.editing import edit


def problems(data_dir: Path) -> list[Problem]:
    raw, found = read_raw(data_dir)
    return found + (cross_check(raw) if raw is not None else [])


def test_the_current_member_states_are_the_27_that_joined_and_did_not_leave(data: ReferenceData) -> None:
    assert len(data.eu.members) == 27
    assert "GB" not in data.eu.members
    assert "GB" in data.eu.accessions


def test_denmark_is_not_bound_by_the_council_decision_on_the_protocol(data: ReferenceData) -> None:
    assert "DK" in data.instruments["dec-2023-436"].not_bound


def test_every_position_of_the_eu_layer_says_whether_it_must_or_may_be_made(data: ReferenceData) -> None:
    assert data.eu_positions
    assert {p.obligation for p in data.eu_positions.values()} <= {"must", "may"}


def test_a_state_listed_in_two_accessions_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "eu.yaml", "- {states: [HR],", "- {states: [HR, FR],")
    assert any(p.file == "eu.yaml" and "more than one accession" in p.message for p in problems(data_dir))


def test_a_withdrawal_before_the_accession_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "eu.yaml", "left: {date: 2020-02-01", "left: {date: 1972-02-01")
    assert any(p.key == "membership.withdrawals.GB.left" for p in problems(data_dir))


def test_a_transition_period_ending_before_the_withdrawal_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "eu.yaml", "union_law_until: {date: 2020-12-31", "union_law_until: {date: 2019-12-31")
    assert any(p.file == "eu.yaml" and "union_law_until" in p.message for p in problems(data_dir))


def test_an_eu_layer_position_without_its_obligation_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "eu.yaml", "{code: C-6-6, obligation: must,", "{code: C-6-6,")
    assert any(p.file == "eu.yaml" and "obligation" in p.key for p in problems(data_dir))


def test_an_accession_without_a_date_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "eu.yaml", "{states: [HR], date: 2013-07-01,", "{states: [HR],")
    assert any(p.file == "eu.yaml" and "needs a date" in p.message for p in problems(data_dir))
