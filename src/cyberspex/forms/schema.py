"""JSON Schema (draft 2020-12) for each form, generated from its definition.

Every property carries ``x-citation`` (the provision it implements), ``x-recipients``
(the packages it may appear in), ``x-element`` (the reference element id) and
``x-verified`` (whether that provision's text has been checked).
"""

from __future__ import annotations

import functools
from typing import Any

from cyberspex.forms.definitions import forms
from cyberspex.forms.model import PACKAGES, FormDef, Node
from cyberspex.law.scenario import EmergencyKind

DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"
LEAF_SCHEMAS: dict[str, dict[str, Any]] = {
    "text": {"type": "string", "minLength": 1},
    "free_text": {"type": "string", "minLength": 1, "x-free-text": True},
    "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "datetime": {"type": "string", "format": "date-time", "pattern": DATETIME},
    "integer": {"type": "integer", "minimum": 0},
    "boolean": {"type": "boolean"},
    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
    "language": {"type": "string", "pattern": "^[a-z]{2}$"},
    "email": {"type": "string", "minLength": 3},
    "phone": {"type": "string", "minLength": 2},
    "url": {"type": "string", "minLength": 4},
}


def _annotate(schema: dict[str, Any], node: Node) -> dict[str, Any]:
    return schema | {
        "x-citation": node.citation,
        "x-recipients": [p for p in PACKAGES if p in node.recipients],
        "x-element": node.element,
        "x-verified": node.verified,
    }


def _node(node: Node) -> dict[str, Any]:
    if node.leaf:
        item = {"enum": list(node.values)} if node.type == "enum" else dict(LEAF_SCHEMAS[node.type])
    else:
        item = {
            "type": "object",
            "additionalProperties": False,
            "required": [c.name for c in node.children if c.required],
            "properties": {c.name: _node(c) for c in node.children},
        }
    if node.list:
        return _annotate({"type": "array", "minItems": 1, "items": _annotate(item, node)}, node)
    return _annotate(item, node)


def _meta(form: FormDef) -> dict[str, dict[str, Any]]:
    """Properties every form has: which form, in which language, between which States."""
    base = {
        "x-citation": form.statement.citation,
        "x-recipients": list(form.packages),
        "x-element": form.statement.element,
        "x-verified": form.statement.verified,
    }
    return {
        "form": {"const": form.id} | base,
        "language": dict(LEAF_SCHEMAS["language"]) | base | {"description": "language of the free-text fields"},
        "recipient_languages": {"type": "array", "items": dict(LEAF_SCHEMAS["language"]), "minItems": 1} | base,
        "issuing_state": dict(LEAF_SCHEMAS["country"]) | base,
        "recipient_state": dict(LEAF_SCHEMAS["country"]) | base,
        "emergency": {
            "enum": [False, *(k.value for k in EmergencyKind)],
            "description": "false, or the kind of emergency: life (Reg 2023/1543 Art 3(18), CETS 224 "
            "Art 3(2)(c)) or infrastructure (Reg 2023/1543 Art 3(18) only)",
        }
        | base,
        "route_advice": {"type": "object"}
        | base
        | {"x-recipients": ["full"], "description": "set by prefill from the route advisor"},
    }


@functools.cache
def json_schema(form_id: str) -> dict[str, Any]:
    form = forms()[form_id]
    fields = list(form.fields())
    return {
        "$schema": DIALECT,
        "$id": f"urn:cyberspex:form:{form.id}",
        "title": form.id,
        "type": "object",
        "additionalProperties": False,
        "required": ["form", "language", "issuing_state", "recipient_state", *(n.name for n in fields if n.required)],
        "properties": _meta(form) | {n.name: _node(n) for n in fields},
        "x-route": form.route,
        "x-verified": form.verified,
        "x-packages": list(form.packages),
    }
