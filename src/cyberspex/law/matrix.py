"""Evaluate every ordered pair of States in the data, for every request shape.

States with the same legal profile on the date give identical outcomes (the rules read
profiles only), so each distinct (profile, profile, request) is evaluated once and the
result is counted for every pair that shares it.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date

from cyberspex.law.advisor import check_what_if
from cyberspex.law.engine import Status
from cyberspex.law.model import ReferenceData
from cyberspex.law.record import Record, field
from cyberspex.law.routes import ROUTE_IDS, Memo, new_memo, recommend_by_status, request_free, statuses
from cyberspex.law.rules import Context, Request
from cyberspex.law.scenario import DataCategory, EmergencyKind, Measure, WhatIf, default_entity
from cyberspex.law.status import StateProfile, snapshot

REQUESTS: tuple[Request, ...] = tuple(
    Request(data, measure, emergency, default_entity(data))
    for data in DataCategory
    for measure in Measure
    for emergency in (None, *EmergencyKind)
)


class Cell(Record):
    statuses: tuple[Status, ...]  # in ROUTE_IDS order
    recommended: str | None


class MatrixResult(Record, frozen=False):
    as_of: date
    states: tuple[str, ...]
    scenarios: int = 0
    distinct_evaluations: int = 0
    by_route: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    recommended: Counter[str] = field(default_factory=Counter)
    cells: dict[tuple[StateProfile, StateProfile, bool, Request], Cell] = field(default_factory=dict)
    profiles: dict[str, StateProfile] = field(default_factory=dict)

    def pairs(self) -> Iterator[tuple[str, str, Request, Cell]]:
        """Every scenario of the matrix with its outcome, in a stable order."""
        for issuing, provider in itertools.product(self.states, repeat=2):
            for request in REQUESTS:
                key = (self.profiles[issuing], self.profiles[provider], issuing == provider, request)
                yield issuing, provider, request, self.cells[key]


def run_matrix(data: ReferenceData, *, as_of: date, what_if: WhatIf) -> MatrixResult:
    check_what_if(data, what_if)
    snap = snapshot(data, as_of=as_of, what_if=what_if)
    states = tuple(sorted(data.states))
    result = MatrixResult(as_of, states, profiles={iso: snap.profile(iso) for iso in states})
    groups = Counter(result.profiles.values())
    memo = new_memo()
    tally: Counter[tuple[Status, ...]] = Counter()
    for (pi, ni), (pp, np_) in itertools.product(groups.items(), repeat=2):
        shapes = [(False, ni * np_ - (ni if pi == pp else 0))]
        if pi == pp:
            shapes.append((True, ni))
        for same, count in shapes:
            if count:
                _evaluate(data, result, Context(pi, pp, same, REQUESTS[0], snap.clock), count, memo, tally=tally)
    # Each route's count of each status, from the few distinct rows of statuses (in the order
    # they were first found, so each route's statuses are counted in the order first met).
    for found, count in tally.items():
        for route_id, status in zip(ROUTE_IDS, found, strict=True):
            result.by_route[route_id][status.value] += count
    return result


def _evaluate(
    data: ReferenceData, result: MatrixResult, base: Context, count: int, memo: Memo, *, tally: Counter[tuple[Status, ...]]
) -> None:
    """Evaluate ``base`` for every request shape; ``tally`` counts the scenarios of each row of statuses."""
    known = request_free(base)  # the rules that do not read the request: once for the 30 shapes
    for request in REQUESTS:
        context = Context(base.issuing, base.provider, base.same_state, request, base.clock)
        found = statuses(context, known, memo)
        recommended, _ = recommend_by_status(
            dict(zip(ROUTE_IDS, found, strict=True)), data.ranking, emergency=request.any_emergency
        )
        result.cells[(context.issuing, context.provider, context.same_state, request)] = Cell(found, recommended)
        result.distinct_evaluations += 1
        result.scenarios += count
        tally[found] += count
        result.recommended[recommended or "none"] += count
