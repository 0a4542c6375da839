"""Ratification what-if (/what-if/, GET /api/v1/what-if): the query, its validation, and the
comparison computed once per data version and normalised query (law/whatif.py does the law).

The page and the API read the same parameters with the same messages:

- ``ratified``: State codes separated by commas, ``all-signatories`` (every CETS 224 signatory
  without consent on the date) or ``all-eu`` (every EU Member State among them); codes and
  keywords may be combined;
- ``in_force``: ``true`` or ``false`` (default ``false``): treat the Protocol as in force;
- ``as_of``: ``YYYY-MM-DD`` (default today, UTC);
- ``data``: data categories, separated by commas or repeated (default every category);
- ``measure``: ``production`` (default) or ``preservation``; ``emergency``: ``none`` (default),
  ``life`` or ``infrastructure``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from cyberspex.law.engine import Status
from cyberspex.law.matrix import REQUESTS
from cyberspex.law.model import ReferenceData, Relation, Treaty
from cyberspex.law.routes import ROUTES
from cyberspex.law.scenario import ALL_SIGNATORIES, DataCategory, EmergencyKind, Measure, WhatIf, default_entity
from cyberspex.law.status import Clock
from cyberspex.law.whatif import ALL_EU, Change, Comparison, Row, compare, expand
from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge.cache import per_data_version
from cyberspex.web.knowledge.reference import current_reference
from cyberspex.web.language import active_messages

MAX_CODES = 100  # more than there are States in the data
MAX_LENGTH = 1000  # characters of ``ratified``
NO_EMERGENCY = "none"
CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str


class QueryError(ApplicationError):
    """Every problem of a what-if query; ``message`` and ``field`` are the first one's."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(
            first.message,
            status=400,
            field=first.field,
            extra={"errors": [{"field": p.field, "message": p.message} for p in problems]},
        )
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Query:
    """A valid what-if query, normalised: the same question always has the same value."""

    codes: tuple[str, ...]  # sorted: the States treated as consenting (keywords expanded)
    keywords: tuple[str, ...]  # the keywords given, sorted (shown to the user; not in the cache key)
    given: tuple[str, ...]  # the keywords and codes as given, normalised (for links to other pages)
    not_eligible: tuple[str, ...]  # signatories a keyword named that are not Parties to ETS 185
    in_force: bool
    as_of: date
    categories: tuple[DataCategory, ...]  # in DataCategory order
    measure: Measure
    emergency: EmergencyKind | None

    @property
    def key(self) -> Key:
        return Key(self.codes, self.in_force, self.as_of, self.categories, self.measure, self.emergency)

    @property
    def ratified_text(self) -> str:
        """The codes as the advisor's and the API's ``assume_ratified``/``ratified`` take them."""
        return ",".join(self.codes)

    def parameters(self) -> dict[str, str]:
        """The query string of this query (keywords already expanded into codes)."""
        return {
            "ratified": ",".join(self.given),
            "in_force": "true" if self.in_force else "false",
            "as_of": self.as_of.isoformat(),
            "data": ",".join(c.value for c in self.categories),
            "measure": self.measure.value,
            "emergency": self.emergency.value if self.emergency else NO_EMERGENCY,
        }


def _values(params: Mapping[str, list[str]], name: str) -> list[str]:
    """Every value of ``name``, split at commas, stripped, empties dropped."""
    return [part.strip() for value in params.get(name, []) for part in value.split(",") if part.strip()]


def _one(params: Mapping[str, list[str]], name: str) -> str:
    values = params.get(name, [])
    return values[-1].strip() if values else ""


def parse_query(params: Mapping[str, list[str]], *, today: date, reference: ReferenceData | None = None) -> Query:
    """Read and check a what-if query (``params``: each name with its list of values, as
    ``QueryDict.lists()`` gives). Raises :class:`QueryError` naming every problem."""
    reference = reference or current_reference()
    problems: list[Problem] = []
    as_of = _as_of(_one(params, "as_of"), today, problems)
    in_force = _in_force(_one(params, "in_force"), problems)
    categories = _categories(_values(params, "data"), problems)
    measure = _choice(_one(params, "measure") or Measure.PRODUCTION.value, "measure", [m.value for m in Measure], problems)
    emergency = _choice(
        _one(params, "emergency") or NO_EMERGENCY, "emergency", [NO_EMERGENCY, *(k.value for k in EmergencyKind)], problems
    )
    codes, keywords, given, not_eligible = _ratified(params, reference, as_of or today, problems)
    if problems or as_of is None or measure is None or emergency is None:
        raise QueryError(problems)
    return Query(
        codes=codes,
        keywords=keywords,
        given=given,
        not_eligible=not_eligible,
        in_force=in_force,
        as_of=as_of,
        categories=categories,
        measure=Measure(measure),
        emergency=None if emergency == NO_EMERGENCY else EmergencyKind(emergency),
    )


def _as_of(raw: str, today: date, problems: list[Problem]) -> date | None:
    if not raw:
        return today
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass  # e.g. 2026-02-30: reported below, with the value
    problems.append(Problem("as_of", _("as_of %(value)r is not a date: give YYYY-MM-DD") % {"value": raw[:40]}))
    return None


def _in_force(raw: str, problems: list[Problem]) -> bool:
    if raw in ("", "false"):
        return False
    if raw == "true":
        return True
    problems.append(Problem("in_force", _("in_force must be true or false, not %(value)r") % {"value": raw[:40]}))
    return False


def _categories(raw: list[str], problems: list[Problem]) -> tuple[DataCategory, ...]:
    known = [c.value for c in DataCategory]
    bad = [value for value in raw if value not in known]
    if bad:
        problems.append(
            Problem(
                "data",
                _("unknown data categories: %(bad)s (accepted: %(known)s)")
                % {"bad": ", ".join(repr(b[:40]) for b in bad), "known": ", ".join(known)},
            )
        )
    wanted = set(raw)
    return tuple(c for c in DataCategory if c.value in wanted) or tuple(DataCategory)


def _choice(raw: str, field: str, accepted: list[str], problems: list[Problem]) -> str | None:
    if raw in accepted:
        return raw
    problems.append(
        Problem(
            field,
            _("%(field)s %(value)r is not one of: %(accepted)s")
            % {"field": field, "value": raw[:40], "accepted": ", ".join(accepted)},
        )
    )
    return None


def _ratified(
    params: Mapping[str, list[str]], reference: ReferenceData, as_of: date, problems: list[Problem]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    raw = ",".join(params.get("ratified", []))
    if len(raw) > MAX_LENGTH:
        problems.append(Problem("ratified", _("ratified is too long: at most %(n)d characters") % {"n": MAX_LENGTH}))
        return (), (), (), ()
    values = _values(params, "ratified")
    if not values:
        problems.append(
            Problem(
                "ratified", _("give the States to treat as Parties: State codes separated by commas, all-signatories or all-eu")
            )
        )
        return (), (), (), ()
    if len(values) > MAX_CODES:
        problems.append(
            Problem("ratified", _("too many codes (%(n)d): give at most %(max)d") % {"n": len(values), "max": MAX_CODES})
        )
        return (), (), (), ()
    keywords = sorted({v.lower() for v in values if v.lower() in (ALL_SIGNATORIES, ALL_EU)})
    named = [v.upper() for v in values if v.lower() not in keywords]
    codes = [reference.eu.aliases.get(c, c) for c in named]
    unknown = sorted({n for n, c in zip(named, codes, strict=True) if not CODE.match(c) or not reference.knows_state(c)})
    if unknown:
        problems.append(
            Problem("ratified", _("unknown State codes: %(codes)s") % {"codes": ", ".join(repr(u[:20]) for u in unknown)})
        )
    ineligible = sorted({c for c in codes if CODE.match(c) and reference.knows_state(c) and not _ets185_party(reference, c)})
    if ineligible:
        problems.append(
            Problem(
                "ratified",
                _(
                    "cannot treat %(codes)s as Parties to CETS 224: only Parties to ETS 185 may become Parties "
                    "to the Protocol (CETS 224 Art 16(1))"
                )
                % {"codes": ", ".join(ineligible)},
            )
        )
    chosen = set(codes)
    not_eligible: set[str] = set()
    for keyword in keywords:
        expansion = expand(reference, keyword, as_of)
        chosen |= expansion.states
        not_eligible |= expansion.not_eligible
    given = (*keywords, *sorted(set(codes)))
    return tuple(sorted(chosen)), tuple(keywords), given, tuple(sorted(not_eligible))


def _ets185_party(reference: ReferenceData, iso: str) -> bool:
    record = reference.states.get(iso)
    part = record.participation(Treaty.ETS_185) if record else None
    return part is not None and part.relation is Relation.PARTY


# -- the comparison, cached -------------------------------------------------------------


class Key(NamedTuple):
    """What the comparison depends on, normalised (sorted codes, categories in order): the
    cache key with the data version, so ``FR,DE`` and ``DE,FR`` share one computation."""

    codes: tuple[str, ...]
    in_force: bool
    as_of: date
    categories: tuple[DataCategory, ...]
    measure: Measure
    emergency: EmergencyKind | None


@per_data_version(maxsize=32, per_language=False)
def comparison(key: Key) -> Comparison:
    """The comparison for a normalised query, computed once per data version and key."""
    requests = tuple(
        r for r in REQUESTS if r.data in key.categories and r.measure is key.measure and r.emergency is key.emergency
    )
    what_if = WhatIf(assume_in_force=key.in_force, assume_ratified=frozenset(key.codes))
    return compare(current_reference(), as_of=key.as_of, what_if=what_if, requests=requests)


def comparison_for(query: Query) -> Comparison:
    return comparison(query.key)


# -- presentation helpers shared by the page and the API --------------------------------


def explain_url(query: Query, row: Row) -> str:
    """The public advisor with the same facts and the what-if assumption."""
    params = {
        "issuing": row.issuing,
        "provider_state": row.provider,
        "category": row.request.data.value,
        "measure": row.request.measure.value,
        "emergency": row.request.emergency.value if row.request.emergency else "",
        "as_of": query.as_of.isoformat(),
        "assume_ratified": query.ratified_text,
    }
    if query.in_force:
        params["assume_in_force"] = "on"
    return reverse("public:advisor") + "?" + urlencode(params)


def routes_api_url(query: Query, row: Row) -> str:
    """The same question to ``GET /api/v1/routes`` (docs/route-json.md)."""
    params = {
        "issuing": row.issuing,
        "provider_state": row.provider,
        "data": row.request.data.value,
        "measure": row.request.measure.value,
        "as_of": query.as_of.isoformat(),
        "assume_in_force": "true" if query.in_force else "false",
        "assume_ratified": query.ratified_text,
    }
    if row.request.emergency:
        params["emergency"] = row.request.emergency.value
    if row.request.entity is not default_entity(row.request.data):
        params["entity"] = row.request.entity.value
    return "/api/v1/routes?" + urlencode(params)


def page_of(result: Comparison, *, offset: int, limit: int) -> tuple[int, list[Row]]:
    """The total number of changed rows and the rows from ``offset`` (at most ``limit``)."""
    total = result.total
    rows: list[Row] = []
    for index, row in enumerate(result.rows()):
        if index >= offset + limit:
            break
        if index >= offset:
            rows.append(row)
    return total, rows


def totals(result: Comparison) -> dict[str, int]:
    counts: Counter[Change] = Counter()
    for per_route in result.counts.values():
        counts.update(per_route)
    return {c.value: counts[c] for c in Change}


def status_counts(result: Comparison) -> Iterator[tuple[str, dict[str, int]]]:
    """Per route id: opened, closed and changed (available <-> conditional)."""
    for route, counter in result.counts.items():
        yield route, {c.value: counter[c] for c in Change}


def matrix_cells(result: Comparison, states: Iterable[str]) -> dict[tuple[str, str], dict[str, int]]:
    chosen = set(states)
    return {
        pair: {c.value: counter[c] for c in Change}
        for pair, counter in result.pairs_changed.items()
        if pair[0] in chosen and pair[1] in chosen
    }


def status_label(status: Status) -> str:
    return {
        Status.AVAILABLE: _("available"),
        Status.CONDITIONAL: _("conditional"),
        Status.UNAVAILABLE: _("unavailable"),
    }[status]


def route_titles() -> dict[str, str]:
    """Each route id with its title in the active language (the advisor's catalogue)."""
    m = active_messages()
    return {route.id: m.get(f"route.{route.id}.title", route.title) for route in ROUTES}


def row_out(query: Query, row: Row) -> dict[str, Any]:
    return {
        "issuing": row.issuing,
        "provider_state": row.provider,
        "data": row.request.data.value,
        "measure": row.request.measure.value,
        "emergency": row.request.emergency.value if row.request.emergency else None,
        "route": row.route,
        "before": row.before.value,
        "after": row.after.value,
        "change": row.change.value,
        "explain": explain_url(query, row),
        "api": routes_api_url(query, row),
    }


def summary(query: Query, result: Comparison, *, offset: int, limit: int, version: str) -> dict[str, Any]:
    """The answer of ``GET /api/v1/what-if`` (docs/portal.md): the assumption as applied, the
    counts per route, the matrix of changed pairs and one page of changed rows."""
    count, rows = page_of(result, offset=offset, limit=limit)
    affected = result.affected_states()
    return {
        "schema": "cyberspex.what-if/1",
        "data_version": version,
        "as_of": query.as_of.isoformat(),
        "query": query.parameters(),
        "what_if": {
            "ratified": list(query.codes),
            "keywords": list(query.keywords),
            "assumed": sorted(result.assumed),
            "already_parties": sorted(result.already_parties),
            "not_eligible": list(query.not_eligible),
            "in_force": query.in_force,
        },
        "protocol": {
            "today": _clock_out(result.clock_today),
            "what_if": _clock_out(result.clock_what_if),
        },
        "requests": {
            "data": [c.value for c in query.categories],
            "measure": query.measure.value,
            "emergency": query.emergency.value if query.emergency else None,
        },
        "counts": {
            "total": totals(result),
            "pairs_changed": len(result.pairs_changed),
            "by_route": dict(status_counts(result)),
        },
        "matrix": {
            "states": list(affected),
            "cells": [
                {"issuing": i, "provider_state": p, **counts} for (i, p), counts in sorted(matrix_cells(result, affected).items())
            ],
        },
        "rows": {"count": count, "offset": offset, "limit": limit, "items": [row_out(query, r) for r in rows]},
    }


def _clock_out(clock: Clock) -> dict[str, Any]:
    eif = clock.cets224_entry_into_force
    return {
        "consents": clock.cets224_consents,
        "entry_into_force": eif.isoformat() if eif else None,
        "in_force": clock.cets224_in_force,
        "assumed_in_force": clock.cets224_assume_in_force,
    }


def parse_window(raw_offset: str, raw_limit: str, *, default_limit: int, max_limit: int) -> tuple[int, int]:
    """``offset`` (0 or more) and ``limit`` (1 to ``max_limit``) of the list of changed rows."""
    problems: list[Problem] = []
    offset = _whole(raw_offset, field="offset", low=0, high=10**9, default=0, problems=problems)
    limit = _whole(raw_limit, field="limit", low=1, high=max_limit, default=default_limit, problems=problems)
    if problems:
        raise QueryError(problems)
    return offset, limit


def _whole(raw: str, *, field: str, low: int, high: int, default: int, problems: list[Problem]) -> int:
    raw = raw.strip()
    if not raw:
        return default
    if raw.isdigit() and len(raw) <= 10 and low <= int(raw) <= high:
        return int(raw)
    problems.append(
        Problem(
            field,
            _("%(field)s must be a whole number from %(low)d to %(high)d, not %(value)r")
            % {"field": field, "low": low, "high": high, "value": raw[:40]},
        )
    )
    return default
