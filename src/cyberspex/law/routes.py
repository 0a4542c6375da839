"""The catalogue of routes, in the order of the JSON contract, and their evaluation."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from cyberspex.law.engine import RouteOutcome, RouteSpec, Status, deciding_rules, evaluate, status_of
from cyberspex.law.instruments import budapest, eio, eu_evidence, other, protocol2
from cyberspex.law.model import Ranking
from cyberspex.law.rules import Context, Rule

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


def statuses(context: Context) -> tuple[Status, ...]:
    """The status of every route, in ``ROUTE_IDS`` order, as ``evaluate_all`` gives them, from
    the rules that decide them only and without building outcomes (for the route matrix, which
    evaluates each context once: not memoised)."""
    return tuple([status_of(rules, context) for rules in _DECIDING])


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
