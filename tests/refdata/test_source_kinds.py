"""Every source says what it is worth, and no value claims more than its source gives."""

from __future__ import annotations

from pathlib import Path

from cyberspex.refdata.check import files, walk
from cyberspex.refdata.loader import read_raw
from tests.refdata.editing import edit, problems


def test_every_source_is_classified_as_official_official_copy_or_secondary() -> None:
    raw, _ = read_raw()
    assert raw is not None
    assert {source.kind for source in raw.sources.values()} <= {"official", "official-copy", "secondary"}
    assert raw.sources["B1"].kind == "official"  # the Treaty Office chart
    assert raw.sources["B20"].kind == "secondary"  # a private website listing the Parties


def test_no_shipped_value_is_verified_on_a_secondary_source() -> None:
    raw, _ = read_raw()
    assert raw is not None
    for file, content in files(raw):
        for key, prov in walk(content):
            if raw.sources[prov.source].kind == "secondary":
                assert not prov.verified, f"{file}: {key}"
                assert prov.secondary, f"{file}: {key}"


def test_a_value_marked_verified_on_a_news_item_is_an_error(data_dir: Path) -> None:
    edit(
        data_dir / "states" / "AT.yaml",
        "status: {value: party, source: B1, as_of: 2015-12-03, verified: true}",
        "status: {value: party, source: B20, as_of: 2015-09-01, verified: true}",
    )
    found = [p for p in problems(data_dir) if p.file == "states/AT.yaml"]
    assert [p.key for p in found] == ["ets185.status.verified"]
    assert "source B20 is secondary" in found[0].message


def test_a_value_resting_on_a_secondary_source_must_say_so(data_dir: Path) -> None:
    edit(data_dir / "states" / "TN.yaml", "verified: false, secondary: true, note: not yet", "verified: false, note: not yet")
    found = [p for p in problems(data_dir) if p.file == "states/TN.yaml"]
    assert [p.key for p in found] == ["ets185.status.secondary"]


def test_a_value_marked_secondary_on_an_official_record_is_an_error(data_dir: Path) -> None:
    edit(
        data_dir / "states" / "AT.yaml",
        "status: {value: party, source: B1, as_of: 2015-12-03, verified: true}",
        "status: {value: party, source: B1, as_of: 2015-12-03, verified: false, secondary: true}",
    )
    found = [p for p in problems(data_dir) if p.file == "states/AT.yaml"]
    assert [p.key for p in found] == ["ets185.status.secondary"]
    assert "B1 is official" in found[0].message


def test_an_official_copy_must_name_the_official_text_it_copies(data_dir: Path) -> None:
    edit(data_dir / "sources.yaml", "  kind: official\n  kind_note: official Dutch treaty series\n", "  kind: official-copy\n")
    _, found = read_raw(data_dir)
    assert any(p.file == "sources.yaml" and p.key == "TRB2007" and "official_url" in p.message for p in found)


def test_a_source_without_a_kind_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "sources.yaml", "  kind: official\n  kind_note: official Dutch treaty series\n", "")
    _, found = read_raw(data_dir)
    assert any(p.file == "sources.yaml" and p.key == "TRB2007.kind" for p in found)
