"""Evaluate a route's rules against a context, honouring declared precedence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cyberspex.law.citations import Instrument
from cyberspex.law.rules import EVERY_OTHER_RULE, Context, Effect, Kind, Rule
from cyberspex.law.status import Tri


class Status(StrEnum):
    AVAILABLE = "available"
    CONDITIONAL = "conditional"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class RouteSpec:
    id: str
    title: str
    instrument: Instrument | None
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    value: Tri
    displaced_by: str | None = None

    @property
    def active(self) -> bool:
        """Counts for the outcome: not displaced and not known to be false."""
        return self.displaced_by is None and self.value is not False


@dataclass(frozen=True, slots=True)
class RouteOutcome:
    route: RouteSpec
    status: Status
    findings: tuple[Finding, ...]

    def active(self, kind: Kind) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule.kind is kind and f.active)

    @property
    def reasons(self) -> tuple[Finding, ...]:
        return self.active(Kind.AVAILABILITY)


def _displacements(values: list[tuple[Rule, Tri]]) -> dict[str, str]:
    """Map each displaced rule id to the id of the rule that displaced it."""
    displaced: dict[str, str] = {}
    for rule, value in values:
        if value is not True:
            continue
        targets = [r.id for r, _ in values if r is not rule] if EVERY_OTHER_RULE in rule.overrides else rule.overrides
        for target in targets:
            displaced.setdefault(target, rule.id)
    return displaced


def _status(findings: tuple[Finding, ...]) -> Status:
    status = Status.AVAILABLE
    for finding in findings:
        if finding.rule.kind is not Kind.AVAILABILITY or not finding.active:
            continue
        effect = finding.rule.effect
        if effect is Effect.BLOCKS and finding.value is True:
            return Status.UNAVAILABLE
        if effect is not Effect.INFORMS:
            status = Status.CONDITIONAL
    return status


def evaluate(route: RouteSpec, context: Context) -> RouteOutcome:
    values = [(rule, rule.when(context)) for rule in route.rules]
    displaced = _displacements(values)
    findings = tuple(Finding(rule, value, displaced.get(rule.id)) for rule, value in values)
    return RouteOutcome(route, _status(findings), findings)
