"""The data check counts what is verified; the counts follow the data, they are not typed in."""

from __future__ import annotations

from pathlib import Path

from cyberspex.law.citations import Instrument, cite
from cyberspex.refdata.check import citation_summary, summary, value_summary, walk
from cyberspex.refdata.loader import RawData, data_root, read_raw


def load(root: Path) -> RawData:
    raw, problems = read_raw(root)
    assert raw is not None, problems
    return raw


def retag(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_sourced_value_of_every_data_file_is_counted_once(data_dir: Path) -> None:
    raw = load(data_dir)
    by_hand = sum(1 for name in raw.states for _ in walk(raw.states[name]))
    by_hand += sum(1 for _ in walk(raw.instruments)) + sum(1 for _ in walk(raw.eu))
    by_hand += sum(1 for _ in walk(raw.providers)) + sum(1 for _ in walk(raw.implementation))
    counts = value_summary(raw)
    assert counts["total"] == by_hand
    assert counts["verified"] + counts["unverified"] == counts["total"]
    assert sum(part["total"] for part in counts["by_file"].values()) == counts["total"]


def test_a_value_retagged_from_verified_to_secondary_moves_both_counts(data_dir: Path) -> None:
    before = value_summary(load(data_dir))
    retag(
        data_dir / "states" / "AT.yaml",
        "status: {value: party, source: B1, as_of: 2015-12-03, verified: true}",
        "status: {value: party, source: B1, as_of: 2015-12-03, verified: false, secondary: true}",
    )
    after = value_summary(load(data_dir))
    assert after["total"] == before["total"]
    assert after["verified"] == before["verified"] - 1
    assert after["secondary"] == before["secondary"] + 1
    assert after["by_file"]["states/"]["verified"] == before["by_file"]["states/"]["verified"] - 1


def test_citations_are_counted_per_instrument_with_how_many_are_verified() -> None:
    cited = [
        cite(Instrument.ETS_185, "31"),
        cite(Instrument.ETS_185, "31"),
        cite(Instrument.ETS_185, "29(7)"),
        cite(Instrument.CETS_224, "8(6)(a)"),
    ]
    counts = citation_summary(iter(cited))
    assert counts["ETS 185"] == {
        "total": 3,
        "verified": 2,
        "verified_percent": 66.7,
        "provisions": 2,
        "provisions_verified": 1,
        "unverified_provisions": ["ETS 185 Art 29(7)"],
    }
    assert counts["CETS 224"]["verified"] == 0
    assert "Directive 2014/41/EU" not in counts


def test_the_summary_covers_the_citations_of_every_route_of_the_advisor() -> None:
    counts = summary(load(Path(str(data_root()))))["citations"]
    assert set(counts) == {
        "ETS 185",
        "CETS 224",
        "Regulation (EU) 2023/1543",
        "Directive 2014/41/EU",
        "Directive (EU) 2023/1544",
        "EU-US MLA Agreement",
        "EU-Japan MLA Agreement",
    }
    assert all(0 <= c["verified"] <= c["total"] for c in counts.values())
