"""Evaluate a route's rules against a context, honouring declared precedence."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple, cast

from cyberspex.law.citations import Instrument
from cyberspex.law.record import Record
from cyberspex.law.rules import EVERY_OTHER_RULE, Context, Effect, Kind, Request, Rule
from cyberspex.law.status import Tri


class Status(StrEnum):
    AVAILABLE = "available"
    CONDITIONAL = "conditional"
    UNAVAILABLE = "unavailable"


class RouteSpec(Record):
    """A legal route: its id, title, instrument and the rules that decide whether it is open."""

    id: str
    title: str
    instrument: Instrument | None
    rules: tuple[Rule, ...]


class Finding(NamedTuple):  # a tuple: the route matrix creates hundreds of thousands
    rule: Rule
    value: Tri
    displaced_by: str | None = None

    @property
    def active(self) -> bool:
        """Counts for the outcome: not displaced and not known to be false."""
        return self.displaced_by is None and self.value is not False


class RouteOutcome(Record):
    """The status of one route, with the value of each of its rules (in rule order) and the
    rules displaced by an exception. Findings are built on demand: the route matrix needs
    only the status of hundreds of thousands of outcomes."""

    route: RouteSpec
    status: Status
    values: tuple[Tri, ...]
    displaced: Mapping[str, str]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(
            Finding(rule, value, self.displaced.get(rule.id)) for rule, value in zip(self.route.rules, self.values, strict=True)
        )

    def active(self, kind: Kind) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.rule.kind is kind and f.active)

    @property
    def reasons(self) -> tuple[Finding, ...]:
        return self.active(Kind.AVAILABILITY)


def _displacements(rules: tuple[Rule, ...], values: tuple[Tri, ...]) -> dict[str, str]:
    """Map each displaced rule id to the id of the rule that displaced it."""
    displaced: dict[str, str] = {}
    for rule, value in zip(rules, values, strict=True):
        if value is not True or not rule.overrides:
            continue
        targets = [r.id for r in rules if r is not rule] if EVERY_OTHER_RULE in rule.overrides else rule.overrides
        for target in targets:
            displaced.setdefault(target, rule.id)
    return displaced


def _status(rules: tuple[Rule, ...], values: tuple[Tri, ...], displaced: dict[str, str]) -> Status:
    status = Status.AVAILABLE
    for rule, value in zip(rules, values, strict=True):
        if rule.kind is not Kind.AVAILABILITY or value is False or rule.id in displaced:
            continue
        if rule.effect is Effect.BLOCKS and value is True:
            return Status.UNAVAILABLE
        if rule.effect is not Effect.INFORMS:
            status = Status.CONDITIONAL
    return status


def deciding_rules(route: RouteSpec) -> tuple[Rule, ...]:
    """The rules of ``route`` that its status depends on, in rule order: the availability rules,
    and the rules that can displace one of them. The other rules (requirements, deadlines,
    channels, ...) only add to an outcome's findings."""
    availability = {r.id for r in route.rules if r.kind is Kind.AVAILABILITY}
    return tuple(
        r
        for r in route.rules
        if r.kind is Kind.AVAILABILITY or EVERY_OTHER_RULE in r.overrides or not availability.isdisjoint(r.overrides)
    )


class _RequestRead(Exception):
    """A rule read the request that ``_NoRequest`` stands for."""


class _NoRequest:
    """Stands for the request in a context: reading it in any way raises ``_RequestRead``."""

    __slots__ = ()

    def __getattr__(self, name: str) -> object:
        raise _RequestRead(name)

    def __eq__(self, other: object) -> bool:
        raise _RequestRead("==")

    def __hash__(self) -> int:
        raise _RequestRead("hash")

    def __bool__(self) -> bool:
        raise _RequestRead("bool")


class Partial(NamedTuple):
    """The values of a route's deciding rules known before the request is: see ``request_free_values``."""

    values: tuple[Tri, ...]  # None in the places of ``pending``
    pending: tuple[int, ...]  # the positions of the rules that read the request


def request_free_values(rules: tuple[Rule, ...], context: Context) -> Partial:
    """The value of each rule that does not read the request in ``context`` (whose request is
    not read), and the positions of the others. Rules are pure functions of their context
    (tests/law/test_purity.py): a rule that gave a value without reading the request gives the
    same value for every request, so the route matrix computes it once per pair of profiles
    instead of once per request shape."""
    probe = Context(context.issuing, context.provider, context.same_state, cast("Request", _NoRequest()), context.clock)
    values: list[Tri] = []
    pending: list[int] = []
    for position, rule in enumerate(rules):
        try:
            values.append(rule.when(probe))
        except _RequestRead:
            values.append(None)
            pending.append(position)
    return Partial(tuple(values), tuple(pending))


def status_of(
    rules: tuple[Rule, ...],
    context: Context,
    known: Partial | None = None,
    memo: dict[tuple[Tri, ...], Status] | None = None,
) -> Status:
    """The status ``evaluate`` gives a route whose ``deciding_rules`` are ``rules``, evaluating
    only those: what the route matrix needs of hundreds of thousands of outcomes. ``known``: the
    rules' ``request_free_values`` for the context's pair of profiles, to evaluate only the
    others; ``memo``: the statuses already found for these rules, by their values."""
    if known is None:
        values = tuple([rule.when(context) for rule in rules])
    elif known.pending:
        filled = list(known.values)
        for position in known.pending:
            filled[position] = rules[position].when(context)
        values = tuple(filled)
    else:
        values = known.values
    if memo is None:
        return _status(rules, values, _displacements(rules, values))
    found = memo.get(values)
    if found is None:
        found = memo[values] = _status(rules, values, _displacements(rules, values))
    return found


def evaluate(route: RouteSpec, context: Context) -> RouteOutcome:
    values = tuple(rule.when(context) for rule in route.rules)
    displaced = _displacements(route.rules, values)
    return RouteOutcome(route, _status(route.rules, values, displaced), values, displaced)
