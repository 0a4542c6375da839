"""The route matrix counts exactly what one-by-one assessment would give."""

from __future__ import annotations

from collections import Counter

from cyberspex.law.advisor import assess
from cyberspex.law.matrix import REQUESTS, run_matrix
from cyberspex.law.model import ReferenceData
from cyberspex.law.routes import ROUTE_IDS
from cyberspex.law.scenario import Scenario, WhatIf
from tests.conftest import AS_OF


def test_it_covers_every_ordered_pair_and_every_request_shape(data: ReferenceData) -> None:
    result = run_matrix(data, as_of=AS_OF, what_if=WhatIf())
    assert result.scenarios == len(data.states) ** 2 * len(REQUESTS)
    assert sum(1 for _ in result.pairs()) == result.scenarios
    for route in ROUTE_IDS:
        assert sum(result.by_route[route].values()) == result.scenarios


def test_it_agrees_with_assessing_each_scenario_on_its_own(data: ReferenceData) -> None:
    what_if = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "DE", "US"}))
    result = run_matrix(data, as_of=AS_OF, what_if=what_if)
    expected: Counter[tuple[str, str]] = Counter()
    recommended: Counter[str] = Counter()
    for issuing, provider, request, cell in result.pairs():
        scenario = Scenario(issuing, provider, request.data, AS_OF, request.measure, request.emergency, request.entity, what_if)
        assessment = assess(data, scenario)
        assert tuple(o.status for o in assessment.outcomes) == cell.statuses
        assert assessment.recommended == cell.recommended
        for outcome in assessment.outcomes:
            expected[(outcome.route.id, outcome.status.value)] += 1
        recommended[assessment.recommended or "none"] += 1
    assert dict(expected) == {(r, s): n for r, c in result.by_route.items() for s, n in c.items()}
    assert recommended == result.recommended


def test_it_evaluates_far_fewer_distinct_cases_than_scenarios(data: ReferenceData) -> None:
    result = run_matrix(data, as_of=AS_OF, what_if=WhatIf())
    assert result.distinct_evaluations * 10 < result.scenarios
