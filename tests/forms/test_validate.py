"""Layer (a): mandatory elements and types, each error naming the JSON path and the citation."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from cyberspex.forms.issues import Severity
from cyberspex.forms.schema import json_schema
from cyberspex.forms.validate import schema_issues, validate
from tests.forms.helpers import FORM_IDS, context, example


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_example_validates(form_id: str) -> None:
    errors = [i for i in validate(form_id, example(form_id), context()) if i.severity is Severity.ERROR]
    assert errors == []


def mandatory_elements(
    schema: dict[str, Any], data: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every required property present in ``data``, with the citation its schema gives it."""
    if schema.get("type") == "array" and isinstance(data, list) and data:
        yield from mandatory_elements(schema["items"], data[0], (*path, 0))
        return
    if not isinstance(data, dict):
        return
    for name in schema.get("required", []):
        if name in data:
            prop = schema["properties"][name]
            yield (*path, name), prop.get("x-citation", "")
            yield from mandatory_elements(prop, data[name], (*path, name))


def _json_path(parts: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _remove(data: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    copied = copy.deepcopy(data)
    target: Any = copied
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return copied


def _cases() -> Iterator[Any]:
    for form_id in FORM_IDS:
        for path, citation in mandatory_elements(json_schema(form_id), example(form_id)):
            yield pytest.param(form_id, path, citation, id=f"{form_id} {_json_path(path)}")


@pytest.mark.parametrize(("form_id", "path", "citation"), list(_cases()))
def test_removing_a_mandatory_element_gives_exactly_the_error_citing_it(
    form_id: str, path: tuple[str | int, ...], citation: str
) -> None:
    errors = [i for i in validate(form_id, _remove(example(form_id), path), context()) if i.severity is Severity.ERROR]
    assert [(e.path, e.citation, e.code) for e in errors] == [(_json_path(path), citation, "missing_element")]


def test_the_generated_cases_cover_every_form_and_nested_elements() -> None:
    cases = list(_cases())
    assert {c.values[0] for c in cases} == set(FORM_IDS)
    assert any(c.values[1] == ("offences", 0, "provisions") for c in cases)
    assert any(c.values[1] == ("issuing_authority", "contact", "email") for c in cases)


def test_a_wrong_type_names_the_path_and_the_citation() -> None:
    data = example("2ap-7-order")
    data["preservation"]["sought"] = "yes"
    (issue,) = [i for i in validate("2ap-7-order", data, context()) if i.severity is Severity.ERROR]
    assert (issue.path, issue.citation, issue.code) == ("$.preservation.sought", "CETS 224 Art 7(4)(e)", "invalid_type")


def test_an_unknown_field_is_refused() -> None:
    data = example("bc-29-request") | {"favourite_colour": "blue"}
    assert next((i.path, i.code) for i in validate("bc-29-request", data, context())) == ("$.favourite_colour", "unknown_field")


def test_a_document_that_is_not_an_object_is_refused() -> None:
    (issue,) = validate("eu-epoc", ["not", "a", "form"], context())
    assert (issue.path, issue.code) == ("$", "invalid_type")


def test_the_wrong_form_id_is_refused() -> None:
    issues = validate("2ap-8-order", example("2ap-8-order") | {"form": "2ap-7-order"}, context())
    assert [(i.path, i.code) for i in issues if i.severity is Severity.ERROR] == [("$.form", "invalid_value")]


def test_each_missing_element_is_reported_once() -> None:
    """Four missing elements are four issues (each "required" error used to name every missing sibling)."""
    data = {
        k: v for k, v in example("2ap-8-order").items() if k not in ("issuing_authority", "provider", "legal_grounds", "offences")
    }
    missing = [i.path for i in schema_issues("2ap-8-order", data) if i.code == "missing_element"]
    assert missing == ["$.issuing_authority", "$.legal_grounds", "$.offences", "$.provider"]
