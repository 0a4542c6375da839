"""The catalogue of routes, in the order of the JSON contract, and their evaluation."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from cyberspex.law.engine import (
    Partial,
    RouteOutcome,
    RouteSpec,
    Status,
    deciding_rules,
    evaluate,
    request_free_values,
    status_of,
)
from cyberspex.law.instruments import budapest, eio, eu_evidence, other, protocol2
from cyberspex.law.model import Ranking
from cyberspex.law.rules import Context, Rule
from cyberspex.law.status import Tri

ROUTES: tuple[RouteSpec, ...] = (
    eu_evidence.EPOC,
    eu_evidence.EPOC_PR,
    eio.ROUTE,
    protocol2.ART6,
    protocol2.ART7,
    protocol2.ART8,
    protocol2.ART9,
    protocol2.ART10,
    budapest.ART29,
    budapest.ART31,
    other.MLA,
    other.VOLUNTARY,
)
ROUTE_IDS: tuple[str, ...] = tuple(route.id for route in ROUTES)
_DECIDING: tuple[tuple[Rule, ...], ...] = tuple(deciding_rules(route) for route in ROUTES)


@lru_cache(maxsize=65536)
def evaluate_all(context: Context) -> tuple[RouteOutcome, ...]:
    """Evaluate every route. Pure in ``context``, so results are memoised."""
    return tuple(evaluate(route, context) for route in ROUTES)


Known = tuple[Partial, ...]  # per route, its deciding rules' request_free_values
Memo = tuple[dict[tuple[Tri, ...], Status], ...]  # per route, statuses found by the values of its deciding rules


def request_free(context: Context) -> Known:
    """For each route, the values of its deciding rules that do not depend on the request, for
    the pair of profiles (and date) of ``context``: to give ``statuses`` for every request shape."""
    return tuple(request_free_values(rules, context) for rules in _DECIDING)


def new_memo() -> Memo:
    """An empty ``memo`` for ``statuses``: one per run of the matrix or comparison."""
    return tuple({} for _ in _DECIDING)


def statuses(context: Context, known: Known | None = None, memo: Memo | None = None) -> tuple[Status, ...]:
    """The status of every route, in ``ROUTE_IDS`` order, as ``evaluate_all`` gives them, from
    the rules that decide them only and without building outcomes (for the route matrix, which
    evaluates each context once: not memoised). ``known``: ``request_free(context)``, computed
    once for the contexts that differ only by their request; ``memo``: from ``new_memo()``,
    kept for the contexts of one run (a status is a function of the values of its rules)."""
    if known is None:
        return tuple([status_of(rules, context) for rules in _DECIDING])
    if memo is None:
        memo = new_memo()
    return tuple([status_of(rules, context, k, m) for rules, k, m in zip(_DECIDING, known, memo, strict=True)])


def recommend(outcomes: tuple[RouteOutcome, ...], ranking: Ranking, *, emergency: bool) -> tuple[str | None, Status | None]:
    """First route of the ranking that is available; failing that, the first conditional one."""
    return recommend_by_status({o.route.id: o.status for o in outcomes}, ranking, emergency=emergency)


def recommend_by_status(status: Mapping[str, Status], ranking: Ranking, *, emergency: bool) -> tuple[str | None, Status | None]:
    """``recommend``, given the status of each route by its id."""
    order = ranking.emergency if emergency else ranking.normal
    for wanted in (Status.AVAILABLE, Status.CONDITIONAL):
        for entry in order:
            if status[entry.route] is wanted:
                return entry.route, wanted
    return None, None
