"""Shared test data for the forms tests: examples, and data filled with sentinel values."""

from __future__ import annotations

import copy
import json
from datetime import date
from importlib import resources
from typing import Any

from cyberspex.forms.definitions import forms
from cyberspex.forms.model import FormDef, Node
from cyberspex.forms.quality import QualityContext
from cyberspex.forms.schema import json_schema
from cyberspex.refdata.loader import load_reference_data

AS_OF = date(2026, 11, 28)
FORM_IDS = tuple(forms())
STRING_TYPES = ("text", "free_text", "email", "phone", "url")


def example(form_id: str) -> dict[str, Any]:
    path = resources.files("cyberspex") / "data" / "forms" / "examples" / f"{form_id}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def context() -> QualityContext:
    return QualityContext(load_reference_data(), AS_OF)


DEFAULTS: dict[str, Any] = {
    "country": "FR",
    "boolean": True,
    "language": "en",
}
# Leaves that can carry a unique value: text of every kind, numbers, dates and times. The
# other leaves (booleans, enums, States, languages) have too few values to be unique; the
# tests check them by the paths present in the package data.
SENTINEL_TYPES = (*STRING_TYPES, "integer", "date", "datetime")


class Sentinels:
    """Unique values, one per leaf, that cannot be mistaken for one another in a text."""

    def __init__(self) -> None:
        self.paths: dict[str, str] = {}  # token as it appears in the data -> field path
        self.printed: dict[str, str] = {}  # token as an English document prints it -> field path

    def token(self, node: Node, path: str) -> Any:
        n = len(self.paths)
        if node.type == "integer":
            value: Any = 9100000 + n  # seven digits: no token is part of another
            text = str(value)
            printed = text
        elif node.type == "date":
            text = value = f"{1100 + n:04d}-03-17"
            printed = f"17 March {1100 + n:04d}"
        elif node.type == "datetime":
            value = f"{1100 + n:04d}-03-17T05:43:21+00:00"
            text = value
            printed = f"17 March {1100 + n:04d}, 05:43:21 (UTC)"
        else:
            printed = text = value = f"ZQX{n:03d}QZX"
        self.paths[text] = path
        self.printed[printed] = path
        return value


def _fill(node: Node, example: Any, path: str, sentinels: Sentinels) -> Any:
    """``node`` filled in full: every leaf present, the unique ones carrying a sentinel."""
    if node.list:
        first = example[0] if isinstance(example, list) and example else None
        return [_fill_one(node, first, path, sentinels)]
    return _fill_one(node, example, path, sentinels)


def _fill_one(node: Node, example: Any, path: str, sentinels: Sentinels) -> Any:
    if node.leaf:
        if node.type in SENTINEL_TYPES:
            return sentinels.token(node, path)
        if example is not None and not isinstance(example, (dict, list)):
            return example
        return node.values[0] if node.type == "enum" else DEFAULTS[node.type]
    given = example if isinstance(example, dict) else {}
    return {child.name: _fill(child, given.get(child.name), f"{path}.{child.name}", sentinels) for child in node.children}


def with_sentinels(form: FormDef, *, printed: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    """The example of ``form`` with every field filled, optional ones too.

    Every text, number, date and time leaf carries a unique sentinel; the others keep the
    example's value (or a default). Returns the data and a map sentinel text -> field path:
    the text as it is in the data, or with ``printed`` as an English document prints it
    (dates and times written out).
    """
    data = copy.deepcopy(example(form.id))
    sentinels = Sentinels()
    for node in form.fields():
        data[node.name] = _fill(node, data.get(node.name), node.name, sentinels)
    return data, sentinels.printed if printed else sentinels.paths


def leaf_paths(value: Any, prefix: str = "") -> set[str]:
    """Dotted paths of the leaves of some form data (list indices left out)."""
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in leaf_paths(v, f"{prefix}.{k}" if prefix else k)}
    if isinstance(value, list):
        return {p for item in value for p in leaf_paths(item, prefix)}
    return {prefix}


def visible_paths(form: FormDef, package: str) -> set[str]:
    """Dotted paths of every field a package may hold, read from the schema's x-recipients.

    Independent of ``Node.visible_in``, the enforcement point under test.
    """
    out: set[str] = set()

    def walk(properties: dict[str, Any], prefix: str) -> None:
        for name, prop in properties.items():
            if package not in prop.get("x-recipients", []):
                continue
            path = f"{prefix}.{name}" if prefix else name
            out.add(path)
            inner = prop.get("items", prop)
            walk(inner.get("properties", {}), path)

    walk(json_schema(form.id)["properties"], "")
    return out
