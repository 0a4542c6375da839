"""Precedence is data: a rule that fires displaces the rules it names, whatever the order."""

from __future__ import annotations

import pytest

from cyberspex.law.citations import Instrument, cite
from cyberspex.law.engine import RouteSpec, Status, deciding_rules, evaluate, request_free_values, status_of
from cyberspex.law.model import Relation
from cyberspex.law.rules import EVERY_OTHER_RULE, Context, Effect, Kind, ReasonCode, Request, Rule, always, never
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


def deadline(rule_id: str, overrides: tuple[str, ...] = ()) -> Rule:
    return Rule(rule_id, CITATION, always, "message", kind=Kind.DEADLINE, overrides=overrides)


def test_the_rules_deciding_a_status_are_the_availability_rules_and_those_that_can_displace_one() -> None:
    route = RouteSpec(
        "t", "T", None, (deadline("d"), rule("a"), deadline("displaces a", ("a",)), deadline("displaces d", ("d",)), rule("b"))
    )
    assert [r.id for r in deciding_rules(route)] == ["a", "displaces a", "b"]


@pytest.mark.parametrize(
    "rules",
    [
        (rule("a", never), rule("b", unknown)),
        (rule("general"), deadline("exception", ("general",))),
        (rule("general"), deadline("other", ("elsewhere",))),
        (rule("a"), rule("b", unknown), rule("same", never, overrides=(EVERY_OTHER_RULE,))),
        (deadline("wildcard", (EVERY_OTHER_RULE,)), rule("a")),
    ],
    ids=["no exception", "a deadline displacing a block", "a deadline displacing another rule", "wildcard", "wildcard deadline"],
)
def test_the_status_from_the_deciding_rules_alone_is_the_status_of_the_whole_evaluation(rules: tuple[Rule, ...]) -> None:
    route = RouteSpec("t", "T", None, rules)
    assert status_of(deciding_rules(route), CONTEXT) is evaluate(route, CONTEXT).status


def reads_the_data_category(c: Context) -> Tri:
    return c.request.data is DataCategory.CONTENT


def test_the_values_known_before_the_request_are_those_of_the_rules_that_do_not_read_it() -> None:
    rules = (rule("profiles only", never), rule("request", reads_the_data_category), rule("unknown", unknown))
    known = request_free_values(rules, CONTEXT)
    assert (known.values, known.pending) == ((False, None, None), (1,))


@pytest.mark.parametrize("data", list(DataCategory))
def test_a_status_from_the_values_known_before_the_request_is_the_status_of_the_whole_evaluation(data: DataCategory) -> None:
    rules = (rule("general", reads_the_data_category), rule("other", unknown), deadline("exception", ("other",)))
    context = Context(PROFILE, PROFILE, False, Request(data, Measure.PRODUCTION, None, Entity.SERVICE_PROVIDER), CLOCK)
    known, memo = request_free_values(rules, context), {}
    assert status_of(rules, context, known, memo) is evaluate(RouteSpec("t", "T", None, rules), context).status
    assert status_of(rules, context, known, memo) is evaluate(RouteSpec("t", "T", None, rules), context).status  # memo
