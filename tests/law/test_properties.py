"""The advisor is total: whatever the States, data, measure, urgency, date and what-if,
it answers, lists every route once, and gives a cited reason for every closed route."""

from __future__ import annotations

import itertools
import json
from datetime import date

import pycountry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberspex.law.advisor import assess
from cyberspex.law.engine import Status
from cyberspex.law.matrix import REQUESTS
from cyberspex.law.model import ReferenceData, Relation, Treaty
from cyberspex.law.report import to_json
from cyberspex.law.routes import ROUTE_IDS, evaluate_all
from cyberspex.law.rules import Context
from cyberspex.law.scenario import DataCategory, EmergencyKind, Measure, Scenario, WhatIf, default_entity
from cyberspex.law.status import snapshot
from cyberspex.refdata.loader import load_reference_data
from tests.conftest import AS_OF

DATA = load_reference_data()
ALL_CODES = sorted(c.alpha_2 for c in pycountry.countries)
ETS_PARTIES = sorted(
    iso for iso, r in DATA.states.items() if (p := r.participation(Treaty.ETS_185)) is not None and p.relation is Relation.PARTY
)

what_ifs = st.one_of(
    st.just(WhatIf()),
    st.builds(
        WhatIf,
        assume_in_force=st.booleans(),
        assume_ratified=st.frozensets(st.sampled_from(ETS_PARTIES), max_size=6),
    ),
    st.builds(WhatIf, assume_in_force=st.booleans(), assume_all_signatories=st.just(True)),
)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    category = draw(st.sampled_from(DataCategory))
    return Scenario(
        issuing=draw(st.sampled_from(ALL_CODES)),
        provider_state=draw(st.sampled_from(ALL_CODES)),
        data=category,
        as_of=draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))),
        measure=draw(st.sampled_from(Measure)),
        emergency=draw(st.sampled_from([None, *EmergencyKind])),
        entity=default_entity(category),
        what_if=draw(what_ifs),
    )


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_advisor_is_total_and_explains_every_closed_route(scenario: Scenario) -> None:
    body = to_json(DATA, assess(DATA, scenario))
    assert [r["id"] for r in body["routes"]] == list(ROUTE_IDS)
    for route in body["routes"]:
        assert route["status"] in {s.value for s in Status}
        if route["status"] != "available":
            assert route["reasons"], f"{route['id']} is {route['status']} without a reason"
            assert all(r["citation"] and r["code"] and r["message"] for r in route["reasons"])
    statuses = {r["id"]: r["status"] for r in body["routes"]}
    if body["recommended"] is not None:
        assert statuses[body["recommended"]] == body["recommended_status"]
    if "available" in statuses.values():
        assert body["recommended_status"] == "available"
    # In an emergency an ordinary route is never recommended without naming what to use first.
    if body["recommended_emergency_procedure"] is False:
        assert any("has no emergency procedure; use first:" in w for w in body["warnings"]), body["warnings"]
    if scenario.emergency is None:
        assert body["emergency_first_steps"] == []
        assert body["recommended_emergency_procedure"] is None
    for step in body["emergency_first_steps"]:
        assert step["channel"]
        assert step["citation"]
        assert step["message"]
        assert step["applies"] in (True, "conditional")
    json.dumps(body)  # the contract is plain JSON


def test_every_pair_of_states_in_the_data_gets_a_cited_reason_for_every_closed_route(data: ReferenceData) -> None:
    """Exhaustive over the data's States and request shapes on one date, with and without what-if.

    Rules read State profiles only (test_matrix checks that pairs sharing profiles share
    outcomes), so each distinct pair of profiles stands for every pair of States that has it.
    """
    for what_if in (WhatIf(), WhatIf(assume_in_force=True, assume_all_signatories=True)):
        snap = snapshot(data, as_of=AS_OF, what_if=what_if)
        profiles = {snap.profile(iso) for iso in [*data.states, "CN"]}
        for issuing, provider, same in itertools.product(profiles, profiles, (False, True)):
            for request in REQUESTS:
                for outcome in evaluate_all(Context(issuing, provider, same, request, snap.clock)):
                    if outcome.status is not Status.AVAILABLE:
                        assert outcome.reasons, (request, outcome.route.id)
