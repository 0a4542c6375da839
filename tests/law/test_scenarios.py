"""Runs the lawyer-readable scenarios in tests/law/scenarios/*.yaml.

Each scenario states facts and what the advisor must answer. Expectations are partial:
only what a scenario names is checked, so scenarios stay short and readable.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from cyberspex.law.advisor import assess
from cyberspex.law.explain import explain
from cyberspex.law.model import ReferenceData
from cyberspex.law.report import Renderer
from cyberspex.law.scenario import DataCategory, EmergencyKind, Entity, Measure, Scenario, WhatIf, default_entity

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))


def _load() -> list[Any]:
    cases = []
    for path in SCENARIOS:
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def _emergency(value: Any) -> EmergencyKind | None:
    """``emergency: life`` or ``emergency: infrastructure``; absent means no emergency."""
    if value is None:
        return None
    assert value in set(EmergencyKind), f"emergency must be one of {[k.value for k in EmergencyKind]}, not {value!r}"
    return EmergencyKind(value)


def _scenario(case: dict[str, Any]) -> Scenario:
    facts = case["facts"]
    category = DataCategory(facts["data"])
    what_if = case.get("what_if", {})
    ratified = what_if.get("assume_ratified", [])
    return Scenario(
        issuing=facts["issuing"],
        provider_state=facts["provider_state"],
        data=category,
        as_of=case["as_of"] if isinstance(case["as_of"], date) else date.fromisoformat(case["as_of"]),
        measure=Measure(facts.get("measure", "production")),
        emergency=_emergency(facts.get("emergency")),
        entity=Entity(facts["entity"]) if "entity" in facts else default_entity(category),
        what_if=WhatIf(
            assume_in_force=what_if.get("assume_in_force", False),
            assume_ratified=frozenset(ratified) if ratified != "all-signatories" else frozenset(),
            assume_all_signatories=ratified == "all-signatories",
        ),
        offence_threshold={None: None, "met": True, "not met": False}[facts.get("offence_threshold")],
    )


def _matches(actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    return all(str(actual.get(k)) == str(v) or (k == "message" and str(v) in str(actual.get(k))) for k, v in expected.items())


def _check_items(route_id: str, kind: str, actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    for item in expected:
        assert any(_matches(a, item) for a in actual), f"{route_id}: no {kind} matching {item}; got {actual}"


def _messages(body: dict[str, Any]) -> list[str]:
    """Every sentence the JSON shows a user: reasons, requirements, notifications, first steps, warnings."""
    out = list(body["warnings"]) + [s["message"] for s in body["emergency_first_steps"]]
    for route in body["routes"]:
        out += [item["message"] for kind in ("reasons", "notifications", "requirements") for item in route[kind]]
    return out


def _check_route(route: dict[str, Any], expected: Any) -> None:
    if isinstance(expected, str):
        expected = {"status": expected}
    if "status" in expected:
        assert route["status"] == expected["status"], (
            f"{route['id']}: {route['status']} != {expected['status']}; {route['reasons']}"
        )
    for kind in ("reasons", "deadlines", "notifications", "requirements"):
        _check_items(route["id"], kind, route[kind], expected.get(kind, []))
    for code in expected.get("no_reasons", []):
        assert all(r["code"] != code for r in route["reasons"]), f"{route['id']}: unexpected reason {code}"
    for code in expected.get("no_requirements", []):
        assert all(q["code"] != code for q in route["requirements"]), f"{route['id']}: unexpected requirement {code}"
    if "channel" in expected:
        assert route["channel"] is not None
        assert _matches(route["channel"], expected["channel"]), route["channel"]


def _check_sentences(renderer: Renderer, body: dict[str, Any], expect: dict[str, Any]) -> None:
    """``explanation`` / ``no_explanation``: fragments of the --explain text; ``no_messages``:
    fragments no message of the JSON may contain."""
    if "explanation" in expect or "no_explanation" in expect:
        text = "\n".join(explain(renderer))
        for fragment in expect.get("explanation", []):
            assert fragment in text, f"--explain lacks {fragment!r}"
        for fragment in expect.get("no_explanation", []):
            assert fragment not in text, f"--explain says {fragment!r}"
    for fragment in expect.get("no_messages", []):
        said = [m for m in _messages(body) if fragment in m]
        assert not said, f"a message says {fragment!r}: {said}"


@pytest.mark.parametrize("case", _load())
def test_scenario(case: dict[str, Any], data: ReferenceData) -> None:
    renderer = Renderer(data, assess(data, _scenario(case)))
    body = renderer.as_json()
    expect = case["expect"]
    _check_sentences(renderer, body, expect)
    if "recommended" in expect:
        assert body["recommended"] == expect["recommended"], f"recommended {body['recommended']}"
    routes = {r["id"]: r for r in body["routes"]}
    for route_id, expected in expect.get("routes", {}).items():
        _check_route(routes[route_id], expected)
    for fragment in expect.get("warnings", []):
        assert any(fragment in w for w in body["warnings"]), body["warnings"]
    for fragment in expect.get("no_warnings", []):
        assert all(fragment not in w for w in body["warnings"]), body["warnings"]
    if "recommended_emergency_procedure" in expect:
        assert body["recommended_emergency_procedure"] == expect["recommended_emergency_procedure"], body["recommended"]
    if "emergency_first_steps" in expect:
        steps, expected_steps = body["emergency_first_steps"], expect["emergency_first_steps"]
        if not expected_steps:
            assert steps == [], f"unexpected first steps {steps}"
        _check_items("emergency_first_steps", "first step", steps, expected_steps)
    for item in expect.get("no_emergency_first_steps", []):
        found = [s for s in body["emergency_first_steps"] if _matches(s, item)]
        assert not found, f"unexpected first step matching {item}: {found}"
        if expect.get("first_steps_in_order"):
            found = [next(i for i, a in enumerate(steps) if _matches(a, item)) for item in expected_steps]
            assert found == sorted(found), f"first steps out of order: {[s['channel'] for s in steps]}"


def test_every_scenario_file_is_not_empty() -> None:
    assert SCENARIOS, "no scenario files found"
    for path in SCENARIOS:
        assert yaml.safe_load(path.read_text(encoding="utf-8")), f"{path.name} has no scenarios"
