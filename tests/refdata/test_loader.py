"""The shipped data load, and broken data are reported with file, key and problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cyberspex.law.model import ReferenceData, Relation, Treaty
from cyberspex.refdata.check import cross_check
from cyberspex.refdata.loader import data_root, read_raw
from cyberspex.refdata.yamlio import DuplicateKeyError, load


def test_the_shipped_data_have_no_errors() -> None:
    raw, problems = read_raw()
    assert raw is not None
    assert problems + cross_check(raw) == []


def test_it_knows_every_eu_member_state_and_every_iso_code(data: ReferenceData) -> None:
    assert len(data.eu.members) == 27
    assert data.eu.members <= set(data.states)
    assert len(data.states) + len(data.other_states) == 249


def test_it_records_the_three_ratifications_of_the_protocol(data: ReferenceData) -> None:
    parties = {
        iso
        for iso, record in data.states.items()
        if (part := record.participation(Treaty.CETS_224)) is not None and part.relation is Relation.PARTY
    }
    assert parties == {"RS", "JP", "HU"}


def test_the_status_date_is_computed_from_the_latest_recorded_event(data: ReferenceData) -> None:
    assert data.status_date.isoformat() == "2026-02-05"  # Hungary's ratification of CETS 224


def test_only_values_tagged_v_are_verified(data: ReferenceData) -> None:
    assert data.instruments["ets-185"].dates["entry_into_force"].provenance.verified
    # EU Monitor mirrors EUR-Lex metadata: a secondary source, so never verified
    assert data.instruments["reg-2023-1543"].dates["applicable_from"].provenance.secondary
    assert not data.instruments["reg-2023-1543"].dates["applicable_from"].provenance.verified
    assert not data.instruments["reg-2023-1543"].not_bound["DK"].verified
    assert not data.eu.provenance.verified


def test_it_rejects_duplicate_keys() -> None:
    with pytest.raises(DuplicateKeyError, match="duplicate key 'a'"):
        load("a: 1\nb: 2\na: 3\n")


@pytest.fixture
def copy_of_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(Path(str(data_root())), target)
    return target


def test_it_names_file_and_key_of_a_schema_error(copy_of_data: Path) -> None:
    state = copy_of_data / "states" / "AT.yaml"
    state.write_text(state.read_text(encoding="utf-8").replace("verified: true", "verified: perhaps", 1), encoding="utf-8")
    _, problems = read_raw(copy_of_data)
    assert any(p.file == "states/AT.yaml" and p.key == "ets185.status.verified" for p in problems), problems


def test_it_names_the_file_of_invalid_yaml(copy_of_data: Path) -> None:
    (copy_of_data / "ranking.yaml").write_text("normal: [", encoding="utf-8")
    _, problems = read_raw(copy_of_data)
    assert [p.file for p in problems] == ["ranking.yaml"]
    assert "not valid YAML" in problems[0].message


def test_it_rejects_an_unknown_key(copy_of_data: Path) -> None:
    state = copy_of_data / "states" / "FR.yaml"
    state.write_text(state.read_text(encoding="utf-8") + "capital: Paris\n", encoding="utf-8")
    _, problems = read_raw(copy_of_data)
    assert any(p.file == "states/FR.yaml" and p.key == "capital" for p in problems), problems
