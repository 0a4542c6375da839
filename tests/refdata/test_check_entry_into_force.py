"""Entry-into-force checks name the article that governs the State's consent, and a deposit on
the 1st of a month is counted from the day after (ADR 0006)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cyberspex.refdata.check import review
from cyberspex.refdata.loader import read_raw
from tests.refdata.editing import edit, problems


def test_a_wrong_entry_into_force_after_an_accession_cites_article_37_2(data_dir: Path) -> None:
    edit(data_dir / "states" / "BJ.yaml", "entry_into_force: {date: 2024-10-01", "entry_into_force: {date: 2024-09-01")
    found = [p for p in problems(data_dir) if p.file == "states/BJ.yaml" and p.key == "ets185.entry_into_force"]
    assert [p.message for p in found] == [
        "2024-09-01 does not follow from the consent of 2024-06-20 (ETS 185 Art 37(2): expected 2024-10-01)"
    ]


def test_a_wrong_entry_into_force_after_a_ratification_cites_article_36_4(data_dir: Path) -> None:
    edit(data_dir / "states" / "AT.yaml", "entry_into_force: {date: 2012-10-01", "entry_into_force: {date: 2012-11-01")
    found = [p for p in problems(data_dir) if p.file == "states/AT.yaml" and p.key == "ets185.entry_into_force"]
    assert "(ETS 185 Art 36(4): expected 2012-10-01)" in found[0].message


def test_an_accession_on_the_first_of_a_month_enters_into_force_on_the_first_of_the_fourth_month(data_dir: Path) -> None:
    edit(data_dir / "states" / "BJ.yaml", "consent: {date: 2024-06-20", "consent: {date: 2024-06-01")
    assert not [p for p in problems(data_dir) if p.file == "states/BJ.yaml" and p.severity == "error"]
    raw, _ = read_raw(data_dir)
    assert raw is not None
    notes = [w.message for w in review(raw, today=date(2026, 11, 28), max_age_days=365) if w.file == "states/BJ.yaml"]
    assert any("1st of the fourth month (ADR 0006)" in n for n in notes)
