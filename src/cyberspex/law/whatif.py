"""Ratification what-if: which routes would open or close if some States consented to CETS 224.

The comparison evaluates every ordered pair of States in the data, for the request shapes
asked, twice: as the data stand on the date ("today") and under the what-if (the named
States treated as Parties, optionally the Protocol as in force: ``WhatIf``, ADR 0004). It
keeps only what differs.

As in the route matrix (``law/matrix.py``), the rules read State profiles only, never a
State's identity, so each distinct (profile, profile, same State, request) is evaluated once
per side; a pair's changes are those of its (profile today, profile under the what-if)
combination, shared by every pair with the same combination.

Between two EU Member States bound by a common EU instrument on the matter, the Protocol's
routes stay closed whatever is assumed: the rule ``cets224.art*.art15.1.b.eu_internal``
(CETS 224 Art 15(1)(b), the disconnection clause; ``law/instruments/protocol2.py``,
ADR 0007) blocks them, and Regulation (EU) 2023/1543 / the EIO Directive govern those pairs.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from datetime import date
from enum import StrEnum

from cyberspex.law.advisor import check_what_if
from cyberspex.law.engine import Status
from cyberspex.law.matrix import REQUESTS
from cyberspex.law.model import ReferenceData, Relation, Treaty
from cyberspex.law.record import Record, field
from cyberspex.law.routes import ROUTE_IDS, statuses
from cyberspex.law.rules import Context, Request
from cyberspex.law.scenario import ALL_SIGNATORIES, WhatIf
from cyberspex.law.status import Clock, Snapshot, StateProfile, eu_member_on, relation_on, snapshot

ALL_EU = "all-eu"
KEYWORDS = (ALL_SIGNATORIES, ALL_EU)


class Change(StrEnum):
    OPENED = "opened"  # unavailable today, available or conditional under the what-if
    CLOSED = "closed"  # available or conditional today, unavailable under the what-if
    CHANGED = "changed"  # open on both sides, with another status (available <-> conditional)


def change_of(before: Status, after: Status) -> Change:
    if before is Status.UNAVAILABLE:
        return Change.OPENED
    if after is Status.UNAVAILABLE:
        return Change.CLOSED
    return Change.CHANGED


class RouteChange(Record):
    request: Request
    route: str
    before: Status
    after: Status

    @property
    def change(self) -> Change:
        return change_of(self.before, self.after)


class Row(RouteChange):
    """One changed (ordered pair of States, request, route): a route change and its pair."""

    issuing: str
    provider: str


class Expansion(Record):
    """The States a keyword (``all-signatories``, ``all-eu``) stands for on a date."""

    keyword: str
    states: frozenset[str]  # signed, not consented, and eligible (a Party to ETS 185)
    not_eligible: frozenset[str] = frozenset()  # signed but not a Party to ETS 185 (CETS 224 Art 16(1))


def signatories_without_consent(data: ReferenceData, as_of: date, *, eu_only: bool = False) -> list[str]:
    """Every State that on ``as_of`` has signed CETS 224 and not consented to be bound (by
    the recorded dates, ``status.relation_on``); with ``eu_only``, only EU Member States on the date."""
    out = []
    for iso, record in sorted(data.states.items()):
        part = record.participation(Treaty.CETS_224)
        if relation_on(part, as_of) is not Relation.SIGNATORY:
            continue
        if eu_only and eu_member_on(data, iso, as_of) is not True:
            continue
        out.append(iso)
    return out


def expand(data: ReferenceData, keyword: str, as_of: date) -> Expansion:
    """``all-signatories``: every CETS 224 signatory without consent; ``all-eu``: every EU
    Member State among them. Only Parties to ETS 185 may become Parties (CETS 224 Art 16(1));
    a signatory that is not one is set apart, as ``check_what_if`` would refuse it."""
    if keyword not in KEYWORDS:
        raise ValueError(f"unknown keyword {keyword!r}: expected one of {', '.join(KEYWORDS)}")
    signed = signatories_without_consent(data, as_of, eu_only=keyword == ALL_EU)
    eligible = {iso for iso in signed if _ets185_party(data, iso)}
    return Expansion(keyword, frozenset(eligible), frozenset(signed) - eligible)


def _ets185_party(data: ReferenceData, iso: str) -> bool:
    record = data.states.get(iso)
    part = record.participation(Treaty.ETS_185) if record else None
    return part is not None and part.relation is Relation.PARTY


Key = tuple[StateProfile, StateProfile, bool, Request]


class Comparison(Record, frozen=False):
    """Today against the what-if, on one date, for some request shapes."""

    as_of: date
    what_if: WhatIf
    requests: tuple[Request, ...]
    states: tuple[str, ...]
    assumed: frozenset[str]  # treated as new Parties (named, eligible, not already Parties)
    already_parties: frozenset[str]  # named but already Parties on the date: nothing changes for them
    clock_today: Clock
    clock_what_if: Clock
    # Each State's combination index: States with the same (profile today, profile under the
    # what-if) share one, and so share their changes.
    combination: dict[str, int] = field(default_factory=dict)
    changes: dict[tuple[int, int, bool], tuple[RouteChange, ...]] = field(default_factory=dict)
    counts: dict[str, Counter[Change]] = field(default_factory=dict)  # per route id
    pairs_changed: dict[tuple[str, str], Counter[Change]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())

    def changes_for(self, issuing: str, provider: str) -> tuple[RouteChange, ...]:
        key = (self.combination[issuing], self.combination[provider], issuing == provider)
        return self.changes.get(key, ())

    def rows(self) -> Iterator[Row]:
        """Every changed (pair, request, route), by issuing State, provider State, request, route order."""
        for issuing, provider in itertools.product(self.states, repeat=2):
            for c in self.changes_for(issuing, provider):
                yield Row(c.request, c.route, c.before, c.after, issuing, provider)

    def affected_states(self) -> tuple[str, ...]:
        """States on either side of at least one changed pair, in code order."""
        found = {iso for pair in self.pairs_changed for iso in pair}
        return tuple(iso for iso in self.states if iso in found)


class _Statuses:
    """Route statuses per distinct (profile, profile, same State, request) of one snapshot."""

    def __init__(self, snap: Snapshot) -> None:
        self.clock = snap.clock
        self.done: dict[Key, tuple[Status, ...]] = {}

    def of(self, key: Key) -> tuple[Status, ...]:
        found = self.done.get(key)
        if found is None:
            issuing, provider, same, request = key
            found = statuses(Context(issuing, provider, same, request, self.clock))
            self.done[key] = found
        return found


# The instrument-level facts the route rules read (law/instruments/*.py read ``c.clock`` for
# these only; tests/law/test_whatif.py checks it): the number of consents and the computed date of
# entry into force appear in messages, never in a rule's test.
CLOCK_FIELDS_READ_BY_RULES = (
    "reg_applicable",
    "eio_applicable",
    "ets185_in_force",
    "cets224_in_force",
    "cets224_assume_in_force",
)


def _read_by_rules(clock: Clock) -> tuple[bool, ...]:
    return tuple(getattr(clock, name) for name in CLOCK_FIELDS_READ_BY_RULES)


def compare(
    data: ReferenceData,
    *,
    as_of: date,
    what_if: WhatIf,
    requests: tuple[Request, ...] = REQUESTS,
    only_affected: bool = True,
) -> Comparison:
    """Compare the routes of every ordered pair of States on ``as_of`` with those under ``what_if``.

    With ``only_affected`` (the default), a pair of States whose profiles are the same on both
    sides is not evaluated when the clock the rules read is the same too (without the in-force
    switch, only pairs with an assumed State are); its outcome cannot differ. ``False``
    evaluates every pair (the tests prove both give the same answer).

    Raises ``InvalidScenario`` (law/errors.py) when the what-if names an unknown State or one
    that cannot become a Party (``advisor.check_what_if``)."""
    check_what_if(data, what_if)
    today = snapshot(data, as_of=as_of, what_if=WhatIf())
    then = snapshot(data, as_of=as_of, what_if=what_if)
    states = tuple(sorted(data.states))
    named = set(what_if.assume_ratified)
    result = Comparison(
        as_of=as_of,
        what_if=what_if,
        requests=requests,
        states=states,
        assumed=then.assumed_consents,
        already_parties=frozenset(named - then.assumed_consents),
        clock_today=today.clock,
        clock_what_if=then.clock,
    )
    combos: dict[tuple[StateProfile, StateProfile], int] = {}
    for iso in states:
        result.combination[iso] = combos.setdefault((today.profile(iso), then.profile(iso)), len(combos))
    profiles = list(combos)
    before, after = _Statuses(today), _Statuses(then)
    unchanged_clock = only_affected and _read_by_rules(today.clock) == _read_by_rules(then.clock)
    for (i, (bi, ai)), (p, (bp, ap)) in itertools.product(enumerate(profiles), repeat=2):
        for same in (False, True) if i == p else (False,):
            if unchanged_clock and bi == ai and bp == ap:
                continue  # same profiles, same clock: the same outcome
            found = []
            for request in requests:
                old, new = before.of((bi, bp, same, request)), after.of((ai, ap, same, request))
                if old != new:
                    found += [
                        RouteChange(request, route, o, n) for route, o, n in zip(ROUTE_IDS, old, new, strict=True) if o != n
                    ]
            if found:
                result.changes[(i, p, same)] = tuple(found)
    _count(result)
    return result


def _count(result: Comparison) -> None:
    result.counts = {route: Counter() for route in ROUTE_IDS}
    for issuing, provider in itertools.product(result.states, repeat=2):
        changes = result.changes_for(issuing, provider)
        if not changes:
            continue
        pair: Counter[Change] = Counter()
        for c in changes:
            result.counts[c.route][c.change] += 1
            pair[c.change] += 1
        result.pairs_changed[(issuing, provider)] = pair
