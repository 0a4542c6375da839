"""The report builds each route outcome's findings once, however many parts of the route's
JSON read them (reasons, channel, deadlines, notifications, language, requirements)."""

from __future__ import annotations

from datetime import date

import pytest

from cyberspex.law.advisor import assess
from cyberspex.law.engine import Finding, RouteOutcome
from cyberspex.law.explain import explain
from cyberspex.law.model import ReferenceData
from cyberspex.law.report import Renderer
from cyberspex.law.scenario import DataCategory, EmergencyKind, Scenario

SCENARIO = Scenario("FR", "US", DataCategory.SUBSCRIBER, date(2026, 11, 28), emergency=EmergencyKind.LIFE)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The route ids whose findings were built, one entry per build."""
    built: list[str] = []
    real = RouteOutcome.findings

    def counted(outcome: RouteOutcome) -> tuple[Finding, ...]:
        built.append(outcome.route.id)
        return real.fget(outcome)  # type: ignore[attr-defined,no-any-return]  # the real property's getter

    monkeypatch.setattr(RouteOutcome, "findings", property(counted))
    return built


def test_the_json_builds_the_findings_of_each_outcome_once(data: ReferenceData, builds: list[str]) -> None:
    assessment = assess(data, SCENARIO)
    body = Renderer(data, assessment).as_json()
    assert sorted(builds) == sorted(o.route.id for o in assessment.outcomes)
    assert [r["id"] for r in body["routes"]] == [o.route.id for o in assessment.outcomes]


def test_the_explanation_reuses_the_findings_of_the_json(data: ReferenceData, builds: list[str]) -> None:
    renderer = Renderer(data, assess(data, SCENARIO))
    renderer.as_json()
    explain(renderer)
    assert len(builds) == len(renderer.a.outcomes)


def test_the_memoised_findings_are_the_outcomes_own(data: ReferenceData) -> None:
    assessment = assess(data, SCENARIO)
    renderer = Renderer(data, assessment)
    for outcome in assessment.outcomes:
        assert renderer.findings(outcome) == outcome.findings
        assert renderer.active(outcome, outcome.route.rules[0].kind) == outcome.active(outcome.route.rules[0].kind)
