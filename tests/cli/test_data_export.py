"""``cyberspex data export``: the data with the curated changes of a JSON file, and a manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cyberspex.cli.main import main
from cyberspex.refdata import yamlio
from cyberspex.refdata.export import shipped_fingerprint
from tests.refdata.test_overlay import FR_PARTY, patch


def test_without_changes_it_writes_the_shipped_documents_byte_for_byte_with_their_hashes(tmp_path: Path) -> None:
    assert main(["data", "export", "--out", str(tmp_path / "out"), "--date", "2026-11-28"]) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert (manifest["data_version"], manifest["date"]) == (f"shipped-{shipped_fingerprint()[:12]}", "2026-11-28")
    for name, entry in manifest["files"].items():
        assert hashlib.sha256((tmp_path / "out" / "data" / name).read_bytes()).hexdigest() == entry["sha256"]
    assert "states/FR.yaml" in manifest["files"]


def test_with_a_changes_file_it_applies_them_and_names_the_curated_version(tmp_path: Path) -> None:
    changes = tmp_path / "patches.json"
    changes.write_text(json.dumps({"changes": [patch("cets224", FR_PARTY).as_dict()]}))
    assert main(["data", "export", "--out", str(tmp_path / "out"), "--changes", str(changes)]) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert "+curated-1-" in manifest["data_version"]
    france = yamlio.load((tmp_path / "out" / "data" / "states" / "FR.yaml").read_text())
    assert france["cets224"]["status"]["value"] == "party"
    assert json.loads((tmp_path / "out" / "patches.json").read_text()) == json.loads(changes.read_text())


def test_changes_that_make_the_data_invalid_are_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typed_in = {"date": "2026-06-01", "source": "curation-1", "as_of": "2026-03-02", "verified": True}
    changes = tmp_path / "patches.json"
    changes.write_text(json.dumps([patch("cets224.entry_into_force", typed_in).as_dict()]))
    assert main(["data", "export", "--out", str(tmp_path / "out"), "--changes", str(changes)]) == 1
    assert "never typed in" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_unreadable_changes_file_is_a_usage_error_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changes = tmp_path / "patches.json"
    changes.write_text(json.dumps([{"file": "states/FR.yaml"}]))
    assert main(["data", "export", "--out", str(tmp_path / "out"), "--changes", str(changes)]) == 2
    assert "missing source_id" in capsys.readouterr().err
