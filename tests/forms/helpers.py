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
    "integer": 1,
    "date": "2026-11-01",
    "datetime": "2026-10-01T00:00:00+00:00",
    "language": "en",
}


def _sentinel_value(node: Node, path: str, sentinels: dict[str, str]) -> Any:
    if node.leaf:
        if node.type not in STRING_TYPES:
            return node.values[0] if node.type == "enum" else DEFAULTS[node.type]
        token = f"ZQX{len(sentinels):03d}QZX"
        sentinels[token] = path
        return token
    item = {}
    for child in node.children:
        value = _sentinel_value(child, f"{path}.{child.name}", sentinels)
        if value is not None:
            item[child.name] = value
    return item or None


def with_sentinels(form: FormDef) -> tuple[dict[str, Any], dict[str, str]]:
    """The example of ``form`` with every string leaf (optional ones too) set to a unique token.

    Returns the data and a map token -> field path. Non-string leaves keep the example's values.
    """
    data = copy.deepcopy(example(form.id))
    sentinels: dict[str, str] = {}
    for node in form.fields():
        value = _sentinel_value(node, node.name, sentinels)
        if not isinstance(value, (dict, str)) or (isinstance(value, str) and not value.startswith("ZQX")):
            continue  # a non-string top-level leaf keeps the example's value
        if isinstance(value, dict) and isinstance(data.get(node.name), dict):
            merged = copy.deepcopy(data[node.name])
            _merge(merged, value)
            value = merged
        if isinstance(value, dict) and node.list and isinstance(data.get(node.name), list):
            first = copy.deepcopy(data[node.name][0])
            _merge(first, value)
            value = [first]
        data[node.name] = [value] if node.list and not isinstance(value, list) else value
    return data, sentinels


def _merge(target: dict[str, Any], tokens: dict[str, Any]) -> None:
    for key, value in tokens.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        elif isinstance(value, dict) and isinstance(target.get(key), list) and target[key]:
            _merge(target[key][0], value)
        elif isinstance(value, dict) and key in target and isinstance(target[key], list):
            target[key] = [value]
        elif (isinstance(value, str) and value.startswith("ZQX")) or key not in target:
            target[key] = [value] if isinstance(target.get(key), list) else value


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
