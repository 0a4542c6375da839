"""Two layers of validation: (a) mandatory elements and types against the form's JSON
Schema, each error naming the JSON path and the citation; (b) quality checks aimed at the
known causes of rejection (``cyberspex.forms.quality``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from cyberspex.forms.issues import Issue, Severity, json_path
from cyberspex.forms.quality import QualityContext, run_quality
from cyberspex.forms.schema import json_schema


def _citation(schema: dict[str, Any]) -> str:
    return str(schema.get("x-citation", ""))


def _schema_of(error: ValidationError) -> dict[str, Any]:
    schema = error.schema
    return dict(schema) if isinstance(schema, Mapping) else {}


def _schema_issues(error: ValidationError) -> Iterator[Issue]:
    path = list(error.absolute_path)
    schema = _schema_of(error)
    properties: dict[str, Any] = schema.get("properties", {})
    if error.validator == "required":
        # jsonschema reports one "required" error per missing property: name only that one
        # (naming every missing sibling at each error listed N missing elements N times).
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [name for name in schema.get("required", []) if name not in present]
        named = [name for name in missing if repr(name) in error.message]
        for name in named[:1] or missing:
            yield Issue(
                json_path([*path, name]),
                _citation(properties.get(name, {})),
                "missing_element",
                Severity.ERROR,
                f"the mandatory element {name!r} is missing",
            )
        return
    if error.validator == "additionalProperties":
        instance = error.instance if isinstance(error.instance, dict) else {}
        for name in sorted(set(instance) - set(properties)):
            yield Issue(json_path([*path, name]), "", "unknown_field", Severity.ERROR, f"{name!r} is not a field of this form")
        return
    code = "invalid_type" if error.validator == "type" else "invalid_value"
    yield Issue(json_path(path), _citation(schema), code, Severity.ERROR, error.message)


def once(issues: list[Issue]) -> list[Issue]:
    """Each problem once: the first issue of each (path, code, message), in order."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for issue in issues:
        key = (issue.path, issue.code, issue.message)
        if key not in seen:
            seen.add(key)
            out.append(issue)
    return out


def schema_issues(form_id: str, data: Any) -> list[Issue]:
    validator = Draft202012Validator(json_schema(form_id))
    issues = [issue for error in validator.iter_errors(data) for issue in _schema_issues(error)]
    return once(sorted(issues, key=lambda i: i.path))


def validate(form_id: str, data: Any, context: QualityContext) -> list[Issue]:
    """Every problem found, errors first. Quality checks read only values that are present."""
    issues = schema_issues(form_id, data)
    if isinstance(data, dict):
        issues += run_quality(form_id, data, context)
    return once(sorted(issues, key=lambda i: (i.severity != Severity.ERROR, i.path)))
