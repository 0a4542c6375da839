"""House rule: layers point one way; the web platform never imports the command line
(``cyberspex.cli``): what both need lives below them (law, refdata, forms)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WEB = Path(__file__).parents[2] / "src" / "cyberspex" / "web"


def imported(source: str) -> set[str]:
    """Every module a source imports, at any depth (functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _imports_cli(source: str) -> bool:
    return any(name == "cyberspex.cli" or name.startswith("cyberspex.cli.") for name in imported(source))


@pytest.mark.parametrize("path", sorted(WEB.rglob("*.py")), ids=lambda p: str(p.relative_to(WEB)))
def test_no_module_of_the_web_imports_the_command_line(path: Path) -> None:
    assert not _imports_cli(path.read_text(encoding="utf-8")), f"{path.relative_to(WEB)} imports cyberspex.cli"


@pytest.mark.parametrize(
    "source",
    [
        "from cyberspex.cli.route import run",
        "import cyberspex.cli.common",
        "from cyberspex import cli",
        "def f():\n    from cyberspex.cli import web\n",
    ],
)
def test_the_check_finds_an_import_of_the_command_line(source: str) -> None:
    assert _imports_cli(source)


def test_the_check_leaves_other_imports_alone() -> None:
    assert not _imports_cli("from cyberspex.forms.route_answer import route_bytes\nimport cyberspex.client_side")
