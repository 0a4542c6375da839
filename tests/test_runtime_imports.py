"""What the product imports at run time is installed by `make run`: a module of cyberspex imports,
outside `if TYPE_CHECKING:`, only the standard library, cyberspex itself and the distributions
listed in pyproject's [project] dependencies (not the development ones, such as django-stubs)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "cyberspex"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normalised(re.split(r"[\[=<>~! ;]", requirement, maxsplit=1)[0]) for requirement in project["dependencies"]}


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_top_level_names(tree: ast.AST) -> set[str]:
    """The first component of every absolute import, skipping the bodies of ``if TYPE_CHECKING:``."""
    names: set[str] = set()
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _type_checking_only(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        pending.extend(ast.iter_child_nodes(node))
    return names


def test_the_product_imports_only_the_standard_library_and_its_runtime_dependencies() -> None:
    allowed = runtime_distributions()
    distributions = packages_distributions()
    wrong = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for name in sorted(imported_top_level_names(tree)):
            if name == "cyberspex" or name in sys.stdlib_module_names:
                continue
            owners = {_normalised(d) for d in distributions.get(name, [])}
            if not owners & allowed:
                wrong.append(f"{path.relative_to(ROOT)}: imports {name} ({', '.join(sorted(owners)) or 'not installed'})")
    assert not wrong, "a run-time import of a package `make run` does not install:\n" + "\n".join(wrong)


def test_an_import_for_type_checking_only_is_not_counted() -> None:
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import django_stubs_ext\nimport yaml\n")
    assert imported_top_level_names(tree) == {"typing", "yaml"}


def test_a_dev_only_import_is_found() -> None:
    tree = ast.parse("def f():\n    from django_stubs_ext import StrOrPromise\n")
    assert imported_top_level_names(tree) == {"django_stubs_ext"}
    assert "django-stubs-ext" not in runtime_distributions()
