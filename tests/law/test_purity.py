"""House rule A1-A2: the legal core imports no framework and never reads the clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LAW = Path(__file__).parents[2] / "src" / "cyberspex" / "law"
ALLOWED_TOP_LEVEL = {
    "__future__",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "functools",
    "operator",
    "itertools",
    "re",
    "types",
    "typing",
}
CLOCK_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("time", "time")}


def _modules() -> list[Path]:
    return sorted(LAW.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(LAW)))
def test_it_imports_only_the_standard_library_and_itself(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            assert top in ALLOWED_TOP_LEVEL or name.startswith("cyberspex.law"), f"{path.name} imports {name}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(LAW)))
def test_it_never_reads_the_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert (node.value.id, node.attr) not in CLOCK_CALLS, f"{path.name}:{node.lineno} reads the clock"


def test_the_check_itself_finds_a_clock_read() -> None:
    tree = ast.parse("from datetime import date\nx = date.today()\n")
    found = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and (n.value.id, n.attr) in CLOCK_CALLS
    ]
    assert found
