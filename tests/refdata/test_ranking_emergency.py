"""ranking.yaml says, for each route of the emergency order, whether it has an emergency procedure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cyberspex.law.model import ReferenceData
from cyberspex.refdata.loader import data_root, read_raw


@pytest.fixture
def copy_of_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(Path(str(data_root())), target)
    return target


def test_the_routes_with_an_emergency_procedure_are_the_eu_orders_and_protocol_articles_9_and_10(
    data: ReferenceData,
) -> None:
    fast = {entry.route for entry in data.ranking.emergency if entry.emergency_procedure}
    assert fast == {"eu-epoc", "eu-epoc-pr", "2ap-9", "2ap-10"}


def test_an_emergency_entry_without_emergency_procedure_is_refused(copy_of_data: Path) -> None:
    ranking = copy_of_data / "ranking.yaml"
    text = ranking.read_text(encoding="utf-8").replace("{route: bc-31, emergency_procedure: false, ", "{route: bc-31, ", 1)
    ranking.write_text(text, encoding="utf-8")
    _, problems = read_raw(copy_of_data)
    assert any(p.file == "ranking.yaml" and "missing: ['bc-31']" in p.message for p in problems), problems


def test_a_normal_entry_may_not_state_emergency_procedure(copy_of_data: Path) -> None:
    ranking = copy_of_data / "ranking.yaml"
    text = ranking.read_text(encoding="utf-8").replace(
        "{route: mla, reason:", "{route: mla, emergency_procedure: false, reason:", 1
    )
    ranking.write_text(text, encoding="utf-8")
    _, problems = read_raw(copy_of_data)
    assert any(p.file == "ranking.yaml" and "only in the emergency order" in p.message for p in problems), problems
