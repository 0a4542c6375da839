"""``route-matrix``, ``data check``, ``states`` and ``demo``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cyberspex.cli.main import main
from cyberspex.refdata import loader


def test_route_matrix_summarises_every_pair(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route-matrix", "--as-of", "2026-11-28", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["scenarios"] == 81 * 81 * 30
    assert body["by_route"]["2ap-7"] == {"unavailable": body["scenarios"]}
    assert sum(body["recommended"].values()) == body["scenarios"]


def test_route_matrix_writes_one_line_per_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "pairs.jsonl"
    assert main(["route-matrix", "--as-of", "2026-11-28", "--assume-in-force", "--pairs", str(target)]) == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 81 * 81 * 30
    first = json.loads(lines[0])
    assert set(first) == {
        "issuing",
        "provider_state",
        "data",
        "measure",
        "emergency",
        "emergency_kind",
        "statuses",
        "recommended",
    }
    assert list(tmp_path.iterdir()) == [target]
    assert "scenarios/s" in capsys.readouterr().out


def test_route_matrix_refuses_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["route-matrix", "--pairs", str(tmp_path / "nowhere" / "pairs.jsonl")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_data_check_passes_on_the_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "check", "--as-of", "2026-11-28"]) == 0
    assert capsys.readouterr().out.splitlines()[-2].startswith("valid: 0 error(s);")


def test_data_check_fails_and_names_file_and_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "data"
    shutil.copytree(Path(str(loader.data_root())), broken)
    state = broken / "states" / "BE.yaml"
    state.write_text(state.read_text(encoding="utf-8").replace("date: 2012-12-01", "date: 2012-13-01"), encoding="utf-8")
    monkeypatch.setattr(loader, "data_root", lambda: broken)
    assert main(["data", "check", "--json"]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert errors
    assert errors[0]["file"] == "states/BE.yaml"
    assert errors[0]["key"] == "ets185.entry_into_force.date"


def test_data_check_rejects_a_nonsense_age(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "check", "--max-age-days", "0"]) == 2
    assert "invalid --max-age-days 0" in capsys.readouterr().err


def test_states_lists_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["states", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    japan = next(r for r in rows if r["code"] == "JP")
    assert japan["cets224"] == {"relation": "party", "consent": "2023-08-10"}
    assert len(rows) == 81


def test_demo_runs_the_illustrative_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert out.count("$ cyberspex route") == 4
    assert "recommended: 2ap-7 (available)" in out


def test_route_matrix_refuses_an_impossible_assumption(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route-matrix", "--assume-in-force", "--assume-ratified", "FR,ZA"]) == 2
    assert "cannot assume that ZA has ratified CETS 224" in capsys.readouterr().err


def test_route_matrix_echoes_the_what_if_as_a_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["route-matrix", "--as-of", "2026-11-28", "--assume-ratified", "us,fr", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["what_if"] == {"assume_in_force": False, "assume_ratified": ["FR", "US"]}


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    command = f"{sys.executable} -m cyberspex states | head -1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)  # noqa: S602  # fixed command line
    assert result.stdout.startswith("code")
    assert "Traceback" not in result.stderr


def test_data_check_json_gives_a_summary_of_values_and_citations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "check", "--as-of", "2026-11-28", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    values = body["summary"]["values"]
    assert values["total"] == values["verified"] + values["unverified"]
    assert set(values) >= {"total", "verified", "secondary", "derived", "verified_percent", "by_file"}
    cets = body["summary"]["citations"]["CETS 224"]
    assert set(cets) == {"total", "verified", "verified_percent", "provisions", "provisions_verified", "unverified_provisions"}
    assert "CETS 224 Art 8(6)(a)" in cets["unverified_provisions"]


def test_data_check_text_prints_the_same_summary_in_a_few_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "check", "--as-of", "2026-11-28", "--json"]) == 0
    values = json.loads(capsys.readouterr().out)["summary"]["values"]
    assert main(["data", "check", "--as-of", "2026-11-28"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"values: {values['total']} sourced, {values['verified']} verified")
    assert any(line.strip().startswith("CETS 224: ") for line in lines)


def test_data_check_verbose_names_the_provisions_still_to_verify(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["data", "check", "--as-of", "2026-11-28", "--verbose"]) == 0
    lines = capsys.readouterr().out.splitlines()
    waiting = [line for line in lines if line.strip().startswith("not yet verified:")]
    assert any("ETS 185 Art 29(7)" in line for line in waiting)
