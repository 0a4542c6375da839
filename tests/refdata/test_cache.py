"""The reference data built from the shipped files is cached per version of the files and of the code."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cyberspex.cli.main import main
from cyberspex.law.model import ReferenceData, Relation, Treaty
from cyberspex.law.record import fields
from cyberspex.refdata import cache, loader
from cyberspex.refdata.overlay import Patch


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of this test's own, and load_reference_data forgotten before and after."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CYBERSPEX_CACHE_DIR", str(folder))
    loader.load_reference_data.cache_clear()
    yield folder
    loader.load_reference_data.cache_clear()


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the times the files are read and validated."""
    calls: list[int] = []
    real = loader.checked_raw

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "checked_raw", counting)
    return calls


def load_again() -> ReferenceData:
    """What a new process would load (load_reference_data is kept per process)."""
    loader.load_reference_data.cache_clear()
    return loader.load_reference_data()


def test_the_first_load_validates_and_writes_the_cache_the_next_reads_it(cache_dir: Path, validations: list[int]) -> None:
    first = loader.load_reference_data()
    assert validations == [1]
    assert (cache_dir / "reference-data.pickle").is_file()
    again = load_again()
    assert validations == [1]
    assert again is not first
    for name in fields(ReferenceData):
        assert getattr(again, name) == getattr(first, name), name


def test_a_dataclass_with_an_argument_that_is_not_positional_is_cached_whole(cache_dir: Path) -> None:
    assert cache.write("reference-data", "key", Keywords(1, b=2))
    assert cache.read("reference-data", "key", Keywords) == Keywords(1, b=2)
    assert [p.name for p in cache_dir.iterdir()] == ["reference-data.pickle"]


@dataclasses.dataclass(frozen=True, slots=True)
class Keywords:
    a: int
    b: int = dataclasses.field(kw_only=True)
    c: int = dataclasses.field(init=False, default=3)


def test_the_cache_folder_is_private_to_the_user(cache_dir: Path) -> None:
    loader.load_reference_data()
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache_dir / "reference-data.pickle").stat().st_mode) == 0o600
    assert [p.name for p in cache_dir.iterdir()] == ["reference-data.pickle"]  # no temporary file left


@pytest.mark.usefixtures("cache_dir")
def test_a_changed_data_file_makes_the_next_load_validate_again(
    data_dir: Path, validations: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "data_root", lambda: data_dir)
    loader.load_reference_data()
    load_again()
    assert validations == [1]
    japan = data_dir / "states" / "JP.yaml"
    japan.write_text(japan.read_text(encoding="utf-8").replace("name: Japan", "name: Nippon"), encoding="utf-8")
    assert load_again().states["JP"].name == "Nippon"
    assert validations == [1, 1]


@pytest.mark.usefixtures("cache_dir")
def test_an_added_state_file_makes_the_next_load_validate_again(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "data_root", lambda: data_dir)
    loader.load_reference_data()
    key = cache.key(data_dir)
    (data_dir / "states" / "notes.txt").write_text("not data", encoding="utf-8")
    assert cache.key(data_dir) == key  # only the YAML files count
    (data_dir / "states" / "ZZ.yaml").write_bytes((data_dir / "states" / "JP.yaml").read_bytes())
    assert cache.key(data_dir) != key


def test_an_edited_module_of_the_loader_changes_the_key(data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    module = tmp_path / "model.py"
    module.write_text("# a module", encoding="utf-8")
    monkeypatch.setattr(cache, "_CODE", (module,))
    key = cache.key(data_dir)
    os.utime(module, ns=(1, 1))
    assert cache.key(data_dir) != key


@pytest.mark.parametrize(
    "damage",
    [
        lambda content: content[: len(content) // 2],  # truncated
        lambda content: content[:-100] + bytes(100),  # the end overwritten
        lambda _: b"",  # empty
        lambda _: b"not a cache file at all",
    ],
    ids=["truncated", "corrupt", "empty", "foreign"],
)
def test_a_damaged_cache_file_is_ignored_and_rebuilt(cache_dir: Path, validations: list[int], damage: object) -> None:
    loader.load_reference_data()
    stored = cache_dir / "reference-data.pickle"
    stored.write_bytes(damage(stored.read_bytes()))  # type: ignore[operator]
    assert load_again().states["JP"].name == "Japan"
    assert validations == [1, 1]
    load_again()
    assert validations == [1, 1]  # rebuilt: the next load reads it


def test_a_cache_folder_that_cannot_be_created_leaves_the_data_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validations: list[int]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("CYBERSPEX_CACHE_DIR", str(blocker / "cache"))
    assert load_again().states["JP"].name == "Japan"
    assert load_again().states["JP"].name == "Japan"
    assert validations == [1, 1]
    loader.load_reference_data.cache_clear()


def test_a_cache_folder_others_can_write_to_is_neither_read_nor_written(cache_dir: Path, validations: list[int]) -> None:
    loader.load_reference_data()
    cache_dir.chmod(0o777)
    load_again()
    assert validations == [1, 1]
    assert not cache.write("reference-data", "key", "value")


@pytest.mark.usefixtures("cache_dir")
def test_a_value_stored_with_another_key_or_of_another_kind_is_not_used() -> None:
    assert cache.write("reference-data", "one key", {"a": 1})
    assert cache.read("reference-data", "another key", dict) is None
    assert cache.read("reference-data", "one key", list) is None
    assert cache.read("reference-data", "one key", dict) == {"a": 1}


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CYBERSPEX_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.directory() == tmp_path / "explicit"
    monkeypatch.delenv("CYBERSPEX_CACHE_DIR")
    assert cache.directory() == tmp_path / "xdg" / "cyberspex"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() == tmp_path / "home" / ".cache" / "cyberspex"


def test_data_with_curated_changes_is_never_served_from_the_cache_of_the_shipped_data(cache_dir: Path) -> None:
    shipped = loader.load_reference_data()
    assert shipped.states["FR"].treaties[Treaty.CETS_224].relation is Relation.SIGNATORY
    consent = {
        "status": {"value": "party", "source": "curation-1", "as_of": "2026-03-02", "verified": True},
        "signature": {"date": "2023-01-27", "source": "P1", "as_of": "2026-02-05", "verified": True},
        "consent": {
            "date": "2026-03-01",
            "kind": "ratification",
            "source": "curation-1",
            "as_of": "2026-03-02",
            "verified": True,
        },
    }
    patch = Patch.make(
        value=consent,
        source_id="curation-1",
        file="states/FR.yaml",
        path="cets224",
        source_url="https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=224",
        source_title="CoE Treaty Office chart, CETS 224",
        source_kind="official",
        as_of="2026-03-02",
        verified_by="A. Curator",
        reason="test",
    )
    patched = loader.load_reference_data_with([patch])
    assert patched.states["FR"].treaties[Treaty.CETS_224].relation is Relation.PARTY
    assert [p.name for p in cache_dir.iterdir()] == ["reference-data.pickle"]
    assert load_again().states["FR"].treaties[Treaty.CETS_224].relation is Relation.SIGNATORY


@pytest.mark.usefixtures("cache_dir")
def test_data_check_validates_the_files_even_with_the_cache_filled(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    loader.load_reference_data()

    def no_cache(*_: object) -> None:
        raise AssertionError("data check must not read the cache")

    monkeypatch.setattr(cache, "read", no_cache)
    assert main(["data", "check", "--as-of", "2026-11-28"]) == 0
    assert "valid: 0 error(s);" in capsys.readouterr().out
