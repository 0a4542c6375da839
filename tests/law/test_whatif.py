"""The ratification what-if compares every ordered pair's routes today with those under the assumption."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from cyberspex.law import emergency
from cyberspex.law.advisor import assess
from cyberspex.law.engine import Status
from cyberspex.law.errors import InvalidScenario
from cyberspex.law.instruments import protocol2
from cyberspex.law.matrix import REQUESTS
from cyberspex.law.model import ReferenceData, Relation, Treaty
from cyberspex.law.scenario import DataCategory, EmergencyKind, Measure, Scenario, WhatIf
from cyberspex.law.status import eu_member_on
from cyberspex.law.whatif import ALL_EU, CLOCK_FIELDS_READ_BY_RULES, Change, compare, expand
from tests.conftest import AS_OF

PRODUCTION = tuple(r for r in REQUESTS if r.measure is Measure.PRODUCTION and r.emergency is None)
PROTOCOL_ROUTES = ("2ap-6", "2ap-7", "2ap-8", "2ap-9", "2ap-10")


def _parties(data: ReferenceData) -> set[str]:
    out = set()
    for iso, record in data.states.items():
        part = record.participation(Treaty.CETS_224)
        consent = part.consent if part is not None and part.relation is Relation.PARTY else None
        if consent is not None and consent.when is not None and consent.when <= AS_OF:
            out.add(iso)
    return out


def test_all_eu_names_every_member_state_that_signed_and_has_not_consented(data: ReferenceData) -> None:
    expansion = expand(data, ALL_EU, AS_OF)
    assert expansion.states
    for iso in expansion.states:
        assert eu_member_on(data, iso, AS_OF) is True
        part = data.states[iso].participation(Treaty.CETS_224)
        assert part is not None
        assert part.signature is not None
    assert not expansion.states & _parties(data)  # Hungary consented: it is not assumed again
    assert "DK" not in expansion.states  # Denmark has not signed


def test_all_signatories_adds_the_third_countries_that_signed(data: ReferenceData) -> None:
    signatories = expand(data, "all-signatories", AS_OF).states
    assert expand(data, ALL_EU, AS_OF).states < signatories
    assert "US" in signatories
    assert not signatories & _parties(data)


def test_an_unknown_keyword_is_refused(data: ReferenceData) -> None:
    with pytest.raises(ValueError, match="unknown keyword"):
        expand(data, "all-the-world", AS_OF)


def test_eu_signatories_as_parties_open_article_7_towards_third_country_parties_and_none_between_member_states(
    data: ReferenceData,
) -> None:
    eu = expand(data, ALL_EU, AS_OF).states
    result = compare(data, as_of=AS_OF, what_if=WhatIf(assume_in_force=True, assume_ratified=eu), requests=PRODUCTION)
    third_country_parties = {iso for iso in _parties(data) if eu_member_on(data, iso, AS_OF) is False}
    assert third_country_parties  # Japan and Serbia in the data
    opened_art7 = {(r.issuing, r.provider) for r in result.rows() if r.route == "2ap-7" and r.change is Change.OPENED}
    towards_third = {(i, p) for i, p in opened_art7 if i in eu and p in third_country_parties}
    assert towards_third
    assert {p for _, p in towards_third} <= third_country_parties
    # Between two Member States the Protocol gives way to Union law (CETS 224 Art 15(1)(b),
    # rule cets224.art*.art15.1.b.eu_internal): no Protocol route opens, for any data category.
    for row in result.rows():
        if row.route in PROTOCOL_ROUTES:
            both_member_states = eu_member_on(data, row.issuing, AS_OF) and eu_member_on(data, row.provider, AS_OF)
            assert not both_member_states, row


def test_an_opened_route_is_what_the_advisor_says_under_the_same_assumption(data: ReferenceData) -> None:
    what_if = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR"}))
    result = compare(data, as_of=AS_OF, what_if=what_if, requests=PRODUCTION)
    row = next(r for r in result.rows() if r.issuing == "FR" and r.route == "2ap-7")
    facts = ("FR", row.provider, row.request.data, AS_OF, row.request.measure, None, row.request.entity)
    after = {o.route.id: o.status for o in assess(data, Scenario(*facts, what_if)).outcomes}
    before = {o.route.id: o.status for o in assess(data, Scenario(*facts)).outcomes}
    assert (before["2ap-7"], after["2ap-7"]) == (row.before, row.after)
    assert row.before is Status.UNAVAILABLE


def test_a_single_state_changes_only_pairs_it_is_part_of_when_the_protocol_is_in_force_anyway(data: ReferenceData) -> None:
    baseline = compare(data, as_of=AS_OF, what_if=WhatIf(assume_in_force=True), requests=PRODUCTION)
    # The in-force switch alone already opens routes between the real Parties.
    assert any(r.issuing in _parties(data) and r.provider in _parties(data) for r in baseline.rows())
    single = compare(data, as_of=AS_OF, what_if=WhatIf(assume_ratified=frozenset({"US"})), requests=PRODUCTION)
    assert single.assumed == frozenset({"US"})
    for row in single.rows():
        assert "US" in (row.issuing, row.provider)


def test_naming_a_state_that_is_already_a_party_changes_nothing(data: ReferenceData) -> None:
    result = compare(data, as_of=AS_OF, what_if=WhatIf(assume_ratified=frozenset({"JP"})), requests=PRODUCTION)
    assert result.already_parties == frozenset({"JP"})
    assert result.assumed == frozenset()
    assert result.total == 0
    assert list(result.rows()) == []


def test_without_the_in_force_switch_consents_on_the_date_open_nothing_on_that_date(data: ReferenceData) -> None:
    eu = expand(data, ALL_EU, AS_OF).states
    result = compare(data, as_of=AS_OF, what_if=WhatIf(assume_ratified=eu), requests=PRODUCTION)
    assert result.total == 0
    # The fifth consent is reached, so the Protocol would enter into force later (Art 16(3)).
    eif = result.clock_what_if.cets224_entry_into_force
    assert eif is not None
    assert eif > AS_OF
    assert result.clock_today.cets224_entry_into_force is None


def test_a_state_that_cannot_become_a_party_is_refused(data: ReferenceData) -> None:
    outsider = next(
        iso
        for iso, record in sorted(data.states.items())
        if (part := record.participation(Treaty.ETS_185)) is None or part.relation is not Relation.PARTY
    )
    with pytest.raises(InvalidScenario, match="ETS 185"):
        compare(data, as_of=AS_OF, what_if=WhatIf(assume_ratified=frozenset({outsider})), requests=PRODUCTION)


def test_every_row_agrees_with_one_by_one_assessment(data: ReferenceData) -> None:
    what_if = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"}))
    requests = tuple(r for r in REQUESTS if r.data is DataCategory.SUBSCRIBER and r.measure is Measure.PRODUCTION)
    result = compare(data, as_of=AS_OF, what_if=what_if, requests=requests)
    states = ("FR", "US", "JP", "DE", "HU")
    expected = set()
    for issuing in states:
        for provider in states:
            for request in requests:
                facts = (issuing, provider, request.data, AS_OF, request.measure, request.emergency, request.entity)
                before = assess(data, Scenario(*facts)).outcomes
                after = assess(data, Scenario(*facts, what_if)).outcomes
                for old, new in zip(before, after, strict=True):
                    if old.status is not new.status:
                        expected.add((issuing, provider, request, old.route.id, old.status, new.status))
    found = {
        (r.issuing, r.provider, r.request, r.route, r.before, r.after)
        for r in result.rows()
        if r.issuing in states and r.provider in states
    }
    assert found == expected
    assert any(r[0] == "FR" and r[1] == "US" for r in found)
    assert any(r[2].emergency is EmergencyKind.LIFE for r in found)


def test_counts_add_up_to_the_rows(data: ReferenceData) -> None:
    what_if = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "DE"}))
    result = compare(data, as_of=date(2026, 11, 28), what_if=what_if, requests=PRODUCTION)
    rows = list(result.rows())
    assert result.total == len(rows)
    for route, counter in result.counts.items():
        for change in Change:
            assert counter[change] == sum(1 for r in rows if r.route == route and r.change is change)
    assert set(result.pairs_changed) == {(r.issuing, r.provider) for r in rows}


@pytest.mark.parametrize(
    "what_if",
    [
        WhatIf(assume_ratified=frozenset({"FR", "US"})),
        WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"})),
        WhatIf(assume_ratified=frozenset({"GB", "NO", "DE", "IT", "CA"})),  # the fifth consent is reached
    ],
)
def test_evaluating_only_the_affected_pairs_gives_the_full_computations_answer(data: ReferenceData, what_if: WhatIf) -> None:
    full = compare(data, as_of=AS_OF, what_if=what_if, requests=PRODUCTION, only_affected=False)
    affected = compare(data, as_of=AS_OF, what_if=what_if, requests=PRODUCTION)
    assert list(affected.rows()) == list(full.rows())
    assert affected.counts == full.counts


def test_the_rules_read_no_other_fact_of_the_clock_than_those_the_shortcut_compares() -> None:
    instruments = Path(protocol2.__file__).parent
    read = set()
    for source in [*instruments.glob("*.py"), Path(emergency.__file__)]:
        read |= set(re.findall(r"clock\.(\w+)", source.read_text(encoding="utf-8")))
    assert read
    assert read <= set(CLOCK_FIELDS_READ_BY_RULES)
