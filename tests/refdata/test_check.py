"""Cross-file checks catch the mistakes a curator can make."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cyberspex.refdata.check import review
from cyberspex.refdata.loader import read_raw
from tests.refdata.editing import edit, problems


def test_an_unknown_source_id_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "states" / "AT.yaml", "source: B1,", "source: B99,")
    assert any(p.file == "states/AT.yaml" and "unknown source id 'B99'" in p.message for p in problems(data_dir))


def test_an_entry_into_force_that_does_not_follow_from_the_consent_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "states" / "AT.yaml", "entry_into_force: {date: 2012-10-01", "entry_into_force: {date: 2012-11-01")
    found = [p for p in problems(data_dir) if p.key == "ets185.entry_into_force"]
    assert found
    assert "expected 2012-10-01" in found[0].message


def test_a_typed_in_entry_into_force_for_the_protocol_is_an_error(data_dir: Path) -> None:
    edit(
        data_dir / "states" / "JP.yaml",
        "  positions_note:",
        "  entry_into_force: {date: 2027-01-01, source: P1, as_of: 2026-02-05, verified: false}\n  positions_note:",
    )
    assert any(p.key == "cets224.entry_into_force" for p in problems(data_dir))


def test_an_event_later_than_its_source_is_an_error(data_dir: Path) -> None:
    edit(
        data_dir / "states" / "AD.yaml",
        'source: B54, as_of: 2020-01-18, verified: true, note: "instrument of ratification deposited on 16 November 2016 '
        '(declaration in effect from 01/03/2017)"}\n  entry',
        "source: B1, as_of: 2015-12-03, verified: true}\n  entry",
    )
    assert any(p.file == "states/AD.yaml" and "later than the as_of date" in p.message for p in problems(data_dir))


def test_a_ranking_that_forgets_a_route_is_an_error(data_dir: Path) -> None:
    edit(
        data_dir / "ranking.yaml",
        '  - {route: bc-31, reason: "Mutual assistance under the Convention, expedited',
        '  - {route: bc-29, reason: "Mutual',
    )
    found = [p for p in problems(data_dir) if p.file == "ranking.yaml"]
    assert found
    assert "bc-31" in found[0].message


def test_a_position_code_outside_the_register_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "states" / "JP.yaml", "{code: D-8-11,", "{code: D-8-99,")
    assert any("unknown position code 'D-8-99'" in p.message for p in problems(data_dir))


def test_the_review_lists_unverified_values_and_stale_statuses() -> None:
    raw, _ = read_raw()
    assert raw is not None
    warnings = review(raw, today=date(2026, 11, 28), max_age_days=365)
    assert any(
        w.file == "states/IT.yaml" and w.key == "ets185.consent" and w.message.startswith("not verified") for w in warnings
    )
    assert any(w.file == "states/AT.yaml" and w.key == "ets185.status" and w.message.startswith("stale") for w in warnings)
    assert all(w.severity == "warning" for w in warnings)


def test_a_protocol_consent_without_an_exact_date_is_an_error(data_dir: Path) -> None:
    edit(
        data_dir / "states" / "JP.yaml",
        "consent: {date: 2023-08-10, kind: ratification",
        "consent: {known_by: 2023-08-10, kind: ratification",
    )
    assert any(p.key == "cets224.consent.date" for p in problems(data_dir))


def test_a_register_row_marked_verified_for_a_provision_nobody_checked_is_an_error(data_dir: Path) -> None:
    edit(
        data_dir / "cets224-register.yaml",
        "{code: R-8-13, provision: Art 8(13), type: R, mandatory: O, effect: Art 8 not applied to traffic data, verified: false}",
        "{code: R-8-13, provision: Art 8(13), type: R, mandatory: O, effect: Art 8 not applied to traffic data, verified: true}",
    )
    found = [p for p in problems(data_dir) if p.file == "cets224-register.yaml"]
    assert [p.key for p in found] == ["[R-8-13].verified"]
    assert "Art 8(13) is not in the table of provisions checked" in found[0].message
