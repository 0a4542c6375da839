"""Precedence is data: a rule that fires displaces the rules it names, whatever the order."""

from __future__ import annotations

import pytest

from cyberspex.law.citations import Instrument, cite
from cyberspex.law.engine import RouteSpec, Status, evaluate
from cyberspex.law.model import Relation
from cyberspex.law.rules import EVERY_OTHER_RULE, Context, Effect, ReasonCode, Request, Rule, always, never
from cyberspex.law.scenario import DataCategory, Entity, Measure
from cyberspex.law.status import Clock, StateProfile, TreatyStatus, Tri

CITATION = cite(Instrument.CETS_224, "7(1)")
NONE = TreatyStatus(Relation.NONE, False, False)
PROFILE = StateProfile(False, False, False, NONE, NONE, (), ())
CLOCK = Clock(True, True, True, False, False, None, 0)
CONTEXT = Context(
    PROFILE, PROFILE, False, Request(DataCategory.SUBSCRIBER, Measure.PRODUCTION, False, Entity.SERVICE_PROVIDER), CLOCK
)


def unknown(_: Context) -> Tri:
    return None


def rule(rule_id: str, when: object = always, effect: Effect = Effect.BLOCKS, overrides: tuple[str, ...] = ()) -> Rule:
    return Rule(rule_id, CITATION, when, "message", effect=effect, code=ReasonCode.NOT_BOUND, overrides=overrides)  # type: ignore[arg-type]  # test doubles


def status(*rules: Rule) -> Status:
    return evaluate(RouteSpec("test", "Test route", None, rules), CONTEXT).status


def test_a_route_with_no_rule_that_fires_is_available() -> None:
    assert status(rule("a", never)) is Status.AVAILABLE


def test_a_blocking_rule_that_fires_makes_it_unavailable() -> None:
    assert status(rule("a", never), rule("b")) is Status.UNAVAILABLE


def test_a_blocking_rule_on_an_unknown_fact_makes_it_conditional() -> None:
    assert status(rule("a", unknown)) is Status.CONDITIONAL


def test_a_known_block_outweighs_an_unknown_one() -> None:
    assert status(rule("a", unknown), rule("b")) is Status.UNAVAILABLE


def test_a_conditions_rule_never_makes_a_route_unavailable() -> None:
    assert status(rule("a", effect=Effect.CONDITIONS)) is Status.CONDITIONAL


def test_an_informing_rule_leaves_the_status_alone() -> None:
    assert status(rule("a", effect=Effect.INFORMS)) is Status.AVAILABLE


@pytest.mark.parametrize("order", ["exception first", "exception last"])
def test_an_exception_displaces_the_rule_it_overrides_in_any_order(order: str) -> None:
    general = rule("general")
    exception = rule("exception", effect=Effect.INFORMS, overrides=("general",))
    rules = (exception, general) if order == "exception first" else (general, exception)
    outcome = evaluate(RouteSpec("test", "Test", None, rules), CONTEXT)
    assert outcome.status is Status.AVAILABLE
    assert next(f for f in outcome.findings if f.rule.id == "general").displaced_by == "exception"


def test_an_exception_that_does_not_fire_displaces_nothing() -> None:
    assert status(rule("general"), rule("exception", never, overrides=("general",))) is Status.UNAVAILABLE


def test_an_exception_on_an_unknown_fact_displaces_nothing() -> None:
    assert status(rule("general"), rule("exception", unknown, Effect.INFORMS, ("general",))) is Status.UNAVAILABLE


def test_every_other_rule_is_displaced_by_a_wildcard_exception() -> None:
    outcome = evaluate(
        RouteSpec("t", "T", None, (rule("a"), rule("b", unknown), rule("same", overrides=(EVERY_OTHER_RULE,)))), CONTEXT
    )
    assert [f.rule.id for f in outcome.reasons] == ["same"]
