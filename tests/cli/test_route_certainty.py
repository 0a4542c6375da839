"""The table and --explain never state a position the data do not record: they say "may" and
name what is not recorded, as the JSON does."""

from __future__ import annotations

import pytest

from cyberspex.cli.main import main

SERBIA = [
    "route", "--issuing", "US", "--provider-state", "RS", "--data", "subscriber",
    "--as-of", "2026-12-01", "--assume-in-force", "--assume-ratified", "US",
]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_the_table_shows_serbias_unrecorded_reservation_as_a_possibility(capsys: pytest.CaptureFixture[str]) -> None:
    line = next(line for line in run(capsys, *SERBIA).splitlines() if line.startswith("  2ap-7 "))
    assert "conditional" in line
    assert "Serbia (RS) may have reserved the right not to apply Article 7" in line
    assert "(not recorded: Serbia (RS): CETS 224 R-7-9-a)" in line


def test_explain_shows_unrecorded_requirements_as_possibilities(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, *SERBIA, "--explain")
    assert (
        "Requirement (if the underlying fact holds): Serbia (RS) may require additional supporting information "
        "to give effect to orders (not recorded: Serbia (RS): CETS 224 D-8-4). [CETS 224 Art 8(4)]"
    ) in out
    assert "Serbia (RS) requires" not in out
