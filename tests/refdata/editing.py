"""Edit a copy of the data as a curator would, and read back what the checks find."""

from __future__ import annotations

from pathlib import Path

from cyberspex.refdata.check import cross_check
from cyberspex.refdata.loader import Problem, read_raw


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(data_dir: Path) -> list[Problem]:
    raw, found = read_raw(data_dir)
    assert raw is not None, found
    return found + cross_check(raw)
