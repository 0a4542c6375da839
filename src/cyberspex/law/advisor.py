"""The route advisor's entry point: facts in, assessment with reasons out."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from cyberspex.law.emergency import FirstStep, first_steps
from cyberspex.law.engine import RouteOutcome, Status
from cyberspex.law.errors import InvalidScenario
from cyberspex.law.model import ReferenceData, Relation, Treaty
from cyberspex.law.record import Record
from cyberspex.law.routes import evaluate_all, recommend
from cyberspex.law.rules import Context, Request
from cyberspex.law.scenario import Scenario, WhatIf, check_consistency
from cyberspex.law.status import Snapshot, Tri, snapshot


class Assessment(Record):
    """The advice for one scenario: every route's outcome, the recommended route and the data it was judged on."""

    scenario: Scenario
    outcomes: tuple[RouteOutcome, ...]
    recommended: str | None
    recommended_status: Status | None
    snapshot: Snapshot
    # In an emergency: the fast channels to use first, and whether the recommended route has
    # an emergency procedure of its own (None outside an emergency or with no recommendation).
    first_steps: tuple[tuple[FirstStep, Tri], ...] = ()
    recommended_emergency_procedure: bool | None = None


@lru_cache(maxsize=64)
def _snapshot(data: ReferenceData, as_of: date, what_if: WhatIf) -> Snapshot:
    return snapshot(data, as_of=as_of, what_if=what_if)


def check_scenario(data: ReferenceData, scenario: Scenario) -> None:
    """Raise :class:`InvalidScenario` for unknown States or impossible assumptions."""
    for field, iso in (("issuing", scenario.issuing), ("provider-state", scenario.provider_state)):
        if not data.knows_state(iso):
            raise InvalidScenario(f"unknown State code {iso!r}", field=field, value=iso)
    check_consistency(scenario.data, scenario.entity)
    check_what_if(data, scenario.what_if)


def check_what_if(data: ReferenceData, what_if: WhatIf) -> None:
    """Raise :class:`InvalidScenario` when an assumption is legally impossible."""
    for iso in sorted(what_if.assume_ratified):
        if not data.knows_state(iso):
            raise InvalidScenario(f"unknown State code {iso!r}", field="assume-ratified", value=iso)
        record = data.states.get(iso)
        part = record.participation(Treaty.ETS_185) if record else None
        if part is None or part.relation is not Relation.PARTY:
            raise InvalidScenario(
                f"cannot assume that {iso} has ratified CETS 224: only Parties to ETS 185 may "
                "become Parties to the Protocol (CETS 224 Art 16(1))",
                field="assume-ratified",
                value=iso,
            )


def context_for(snap: Snapshot, scenario: Scenario) -> Context:
    return Context(
        issuing=snap.profile(scenario.issuing),
        provider=snap.profile(scenario.provider_state),
        same_state=scenario.issuing == scenario.provider_state,
        request=Request(scenario.data, scenario.measure, scenario.emergency, scenario.entity, scenario.offence_threshold),
        clock=snap.clock,
    )


def assess(data: ReferenceData, scenario: Scenario) -> Assessment:
    """Evaluate every route for ``scenario`` and pick the recommended one."""
    check_scenario(data, scenario)
    snap = _snapshot(data, scenario.as_of, scenario.what_if)
    context = context_for(snap, scenario)
    outcomes = evaluate_all(context)
    emergency = scenario.emergency is not None
    recommended, status = recommend(outcomes, data.ranking, emergency=emergency)
    procedure = None
    if emergency and recommended is not None:
        procedure = next(e.emergency_procedure for e in data.ranking.emergency if e.route == recommended)
    return Assessment(scenario, outcomes, recommended, status, snap, first_steps(scenario, context), procedure)
