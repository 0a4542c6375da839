"""The command line imports only what the command it runs needs, and its help lists every command as before."""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cyberspex.cli.common import Parser, terminal_columns
from cyberspex.cli.main import COMMANDS, main, parser

# Runs one command in a fresh interpreter, then writes the names of the modules it imported.
PROBE = """
import json, sys
from cyberspex.cli.main import main
status = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(sorted(sys.modules), out)
sys.exit(status)
"""
WEB_AND_FORMS = ("django", "jsonschema", "cyberspex.web", "cyberspex.forms", "cyberspex.cli.web", "cyberspex.cli.forms")
# The route answer shared by the command line and the API (forms/route_answer.py) is the one part
# of the forms package that `route` needs; the package's __init__ imports nothing.
ROUTE_ANSWER = {"cyberspex.forms", "cyberspex.forms.route_answer"}
ROUTE = ["route", "--issuing", "FR", "--provider-state", "US", "--data", "subscriber", "--json"]


def imported_by(argv: list[str], tmp_path: Path) -> set[str]:
    listing = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", PROBE, str(listing), *argv], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return set(json.loads(listing.read_text(encoding="utf-8")))


def loaded(modules: set[str], *names: str) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_route_imports_neither_the_web_nor_the_forms_nor_jsonschema(tmp_path: Path) -> None:
    assert set(loaded(imported_by(ROUTE, tmp_path), *WEB_AND_FORMS)) <= ROUTE_ANSWER


def test_route_with_the_reference_data_cached_imports_no_validation_no_curated_changes_and_no_package_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CYBERSPEX_CACHE_DIR", str(tmp_path / "cache"))
    imported_by(ROUTE, tmp_path)  # the first run fills the cache
    modules = imported_by(ROUTE, tmp_path)
    unneeded = ("pydantic", "yaml", "pycountry", "importlib.metadata", "cyberspex.refdata.schema", "cyberspex.refdata.overlay")
    assert loaded(modules, *unneeded) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["states", "--json"],
        ["route-matrix", "--as-of", "2026-11-28", "--json"],
        ["data", "check", "--as-of", "2026-11-28"],
    ],
    ids=["states", "route-matrix", "data check"],
)
def test_the_other_data_commands_import_neither_the_web_nor_the_forms_nor_jsonschema(argv: list[str], tmp_path: Path) -> None:
    assert set(loaded(imported_by(argv, tmp_path), *WEB_AND_FORMS)) <= ROUTE_ANSWER


def leaf_commands() -> list[list[str]]:
    words = []
    for command in COMMANDS:
        words.append([command.name])
        words += [[command.name, sub.name] for sub in command.subcommands]
    return words


@pytest.mark.parametrize("words", [[], *leaf_commands()], ids=lambda w: " ".join(w) or "cyberspex")
def test_each_help_is_the_same_as_with_every_command_loaded(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args([*words, "--help"])
    everything = capsys.readouterr().out
    with pytest.raises(SystemExit):
        parser([*words, "--help"]).parse_args([*words, "--help"])
    assert capsys.readouterr().out == everything
    assert everything.startswith(f"usage: {' '.join(['cyberspex', *words])}")


def test_the_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parser(["--help"]).parse_args(["--help"])
    listing = capsys.readouterr().out
    names = [
        "route", "route-matrix", "data", "states", "demo", "forms", "serve", "worker",
        "retention", "audit", "backup", "restore", "account", "bench-data", "demo-code",
        "instance", "peers", "federation", "outbox",
    ]  # fmt: skip
    for name in names:
        assert f"\n    {name} " in listing
    assert [c.name for c in COMMANDS] == names


def test_a_command_parser_declares_only_the_arguments_of_the_command_named() -> None:
    route_only = parser(["route"])
    with pytest.raises(SystemExit):
        route_only.parse_args(["states", "--json"])  # the states parser was not given its arguments
    assert parser(["states"]).parse_args(["states", "--json"]).json is True


@pytest.mark.parametrize("columns", ["50", "132"])
def test_the_help_is_as_wide_as_argparse_makes_it_for_the_terminal(
    columns: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    with pytest.raises(SystemExit):
        parser(["route", "--help"]).parse_args(["route", "--help"])
    ours = capsys.readouterr().out
    monkeypatch.setattr(Parser, "_get_formatter", argparse.ArgumentParser._get_formatter)
    with pytest.raises(SystemExit):
        parser(["route", "--help"]).parse_args(["route", "--help"])
    assert ours == capsys.readouterr().out


def test_without_a_terminal_or_columns_the_help_is_80_wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_columns() == 80  # pytest captures standard output: no terminal


def test_the_garbage_collector_paused_for_start_up_is_collecting_again_after_a_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["route", *ROUTE[1:]]) == 0
    assert gc.isenabled()
    assert main(["route", "--issuing", "XX", "--provider-state", "US", "--data", "subscriber"]) == 2
    assert gc.isenabled()
    capsys.readouterr()
