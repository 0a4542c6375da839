"""Rule builders shared by the instrument modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from cyberspex.law.citations import Citation
from cyberspex.law.rules import (
    EVERY_OTHER_RULE,
    Channel,
    Context,
    Deadline,
    Effect,
    Kind,
    ReasonCode,
    Rule,
    Side,
    always,
)
from cyberspex.law.scenario import DataCategory, Entity, Measure
from cyberspex.law.status import Tri


def same_state(rule_id: str, citation: Citation, message: str) -> Rule:
    return Rule(
        id=rule_id,
        citation=citation,
        when=lambda c: c.same_state,
        code=ReasonCode.SAME_STATE,
        side=Side.BOTH,
        overrides=(EVERY_OTHER_RULE,),
        message=message,
    )


def data_is(*categories: DataCategory) -> Callable[[Context], Tri]:
    return lambda c: c.request.data in categories


def measure_is(measure: Measure) -> Callable[[Context], Tri]:
    return lambda c: c.request.measure is measure


def entity_is(entity: Entity) -> Callable[[Context], Tri]:
    return lambda c: c.request.entity is entity


def requirement(
    rule_id: str,
    citation: Citation,
    message: str,
    *,
    code: str,
    when: Callable[[Context], Tri] = always,
    facts: tuple[str, ...] = (),
    overrides: tuple[str, ...] = (),
    hedged: str | None = None,
) -> Rule:
    return Rule(
        id=rule_id,
        citation=citation,
        when=when,
        message=message,
        kind=Kind.REQUIREMENT,
        code=code,
        facts=facts,
        overrides=overrides,
        hedged=hedged,
    )


def deadline(
    rule_id: str,
    citation: Citation,
    spec: Deadline,
    *,
    when: Callable[[Context], Tri] = always,
    overrides: tuple[str, ...] = (),
) -> Rule:
    return Rule(
        id=rule_id,
        citation=citation,
        when=when,
        message=spec.event,
        kind=Kind.DEADLINE,
        deadline=spec,
        overrides=overrides,
    )


def notification(
    rule_id: str,
    citation: Citation,
    message: str,
    *,
    when: Callable[[Context], Tri],
    recipient: str,
    facts: tuple[str, ...] = (),
    hedged: str | None = None,
) -> Rule:
    return Rule(
        id=rule_id,
        citation=citation,
        when=when,
        message=message,
        kind=Kind.NOTIFICATION,
        channel=Channel(sender="", recipient=recipient),
        facts=facts,
        hedged=hedged,
    )


def channel(
    rule_id: str,
    citation: Citation,
    spec: Channel,
    *,
    when: Callable[[Context], Tri] = always,
    overrides: tuple[str, ...] = (),
    facts: tuple[str, ...] = (),
) -> Rule:
    return Rule(
        id=rule_id,
        citation=citation,
        when=when,
        message=f"{spec.sender} -> {spec.recipient}",
        kind=Kind.CHANNEL,
        channel=spec,
        overrides=overrides,
        facts=facts,
    )


def language(rule_id: str, citation: Citation, message: str) -> Rule:
    return Rule(id=rule_id, citation=citation, when=always, message=message, kind=Kind.LANGUAGE)


class AvailabilityBuilder(Protocol):
    def __call__(
        self,
        rule_id: str,
        citation: Citation,
        message: str,
        *,
        when: Callable[[Context], Tri],
        code: ReasonCode,
        side: Side | None = None,
        facts: tuple[str, ...] = (),
        overrides: tuple[str, ...] = (),
        passed: str | None = None,
    ) -> Rule: ...


def _availability(effect: Effect) -> AvailabilityBuilder:
    """A builder for availability rules with the given effect (see rules.Effect)."""

    def build(
        rule_id: str,
        citation: Citation,
        message: str,
        *,
        when: Callable[[Context], Tri],
        code: ReasonCode,
        side: Side | None = None,
        facts: tuple[str, ...] = (),
        overrides: tuple[str, ...] = (),
        passed: str | None = None,
    ) -> Rule:
        return Rule(
            id=rule_id,
            citation=citation,
            when=when,
            message=message,
            effect=effect,
            code=code,
            side=side,
            facts=facts,
            overrides=overrides,
            passed=passed,
        )

    return build


blocks = _availability(Effect.BLOCKS)  # fires: unavailable; unknown: conditional
conditions = _availability(Effect.CONDITIONS)  # fires or unknown: conditional
informs = _availability(Effect.INFORMS)  # fires: a reason is shown, status unchanged
