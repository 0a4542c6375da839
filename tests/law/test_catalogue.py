"""Every rule carries a citation; ids are unique; the catalogue matches the contract."""

from __future__ import annotations

import pytest

from cyberspex.law.engine import RouteSpec
from cyberspex.law.routes import ROUTE_IDS, ROUTES
from cyberspex.law.rules import EVERY_OTHER_RULE, Effect, Kind, ReasonCode

CONTRACT = ("eu-epoc", "eu-epoc-pr", "eu-eio", "2ap-6", "2ap-7", "2ap-8", "2ap-9", "2ap-10", "bc-29", "bc-31", "mla", "voluntary")


def test_the_catalogue_lists_the_twelve_routes_of_the_contract_in_order() -> None:
    assert ROUTE_IDS == CONTRACT


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_every_rule_has_a_citation_and_a_message(route: RouteSpec) -> None:
    for rule in route.rules:
        assert str(rule.citation).split(" ")[0] in {"ETS", "CETS", "Regulation", "Directive", "Council", "EU-US", "EU-Japan"}, (
            rule.id
        )
        assert rule.message.strip(), rule.id


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_rule_ids_are_unique_within_a_route_and_overrides_name_real_rules(route: RouteSpec) -> None:
    ids = [rule.id for rule in route.rules]
    assert len(ids) == len(set(ids))
    for rule in route.rules:
        for target in rule.overrides:
            assert target == EVERY_OTHER_RULE or target in ids, f"{rule.id} overrides unknown {target}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_every_availability_rule_uses_the_closed_vocabulary(route: RouteSpec) -> None:
    for rule in route.rules:
        if rule.kind is Kind.AVAILABILITY:
            assert rule.code in set(ReasonCode), f"{rule.id}: {rule.code!r}"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_every_route_has_a_channel_a_language_and_a_same_state_rule(route: RouteSpec) -> None:
    kinds = {rule.kind for rule in route.rules}
    assert {Kind.CHANNEL, Kind.LANGUAGE} <= kinds
    same = [r for r in route.rules if r.code == ReasonCode.SAME_STATE]
    assert len(same) == 1
    assert same[0].effect is Effect.BLOCKS
    assert same[0].overrides == (EVERY_OTHER_RULE,)
