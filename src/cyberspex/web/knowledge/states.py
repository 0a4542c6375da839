"""State profiles (/states/, GET /api/v1/states/{code}): per treaty the relation, signature,
consent and entry into force with their provenance; positions in plain language; designated
authorities (from the registers); and the routes open today from and to the State, computed
with the law engine's route matrix. Every selector is cached per data version."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from cyberspex.law.engine import Status
from cyberspex.law.matrix import MatrixResult, run_matrix
from cyberspex.law.model import DatedFact, Provenance, ReferenceData, Relation, Treaty, TreatyParticipation
from cyberspex.law.routes import ROUTE_IDS, ROUTES, evaluate_all
from cyberspex.law.rules import Context, Request
from cyberspex.law.scenario import DataCategory, Measure, WhatIf, default_entity
from cyberspex.law.status import StateProfile, Tri, eu_member_on, snapshot
from cyberspex.law.treaty_status import Standing, treaty_table
from cyberspex.web.knowledge import registers
from cyberspex.web.knowledge.cache import per_data_version
from cyberspex.web.knowledge.reference import current_reference

ISO = re.compile(r"^[A-Za-z]{2}$")
REGULATION = "reg-2023-1543"
TREATIES = ((Treaty.ETS_185, "ETS 185", "ets-185"), (Treaty.CETS_224, "CETS 224", "cets-224"))
# The data categories the routes summary covers: production orders, no emergency.
DEFAULT_CATEGORIES = (DataCategory.SUBSCRIBER, DataCategory.TRAFFIC, DataCategory.CONTENT)
DEFAULT_REQUESTS = tuple(Request(data, Measure.PRODUCTION, None, default_entity(data)) for data in DEFAULT_CATEGORIES)
# The two ETS 185 positions the reference data records (law.status.ETS_POSITION_CODES), in
# plain language; CETS 224 positions take theirs from the register (cets224-register.yaml).
ETS_POSITIONS = {
    "R-29-4": ("Art 29(4)", "Reservation: preservation may be refused where dual criminality cannot be met at disclosure"),
    "D-27-9-e": ("Art 27(9)(e)", "Declaration: urgent requests must be addressed to the central authority"),
}


@dataclass(frozen=True)
class Problem:
    message: str
    field: str
    status: int = 400


def code_problem(code: str) -> Problem | None:
    """What is wrong with a State code in a path: malformed (400) or no ISO 3166-1 State (404)."""
    if not ISO.match(code):
        return Problem(
            _("A State code is two letters (ISO 3166-1 alpha-2), e.g. FR; “%(code)s” is not.") % {"code": code[:10]}, "code"
        )
    if not current_reference().knows_state(code.upper()):
        return Problem(_("No State has the ISO 3166-1 code “%(code)s”.") % {"code": code.upper()}, "code", 404)
    return None


def parse_state_query(state: str, query: str, max_query: int = 100) -> tuple[str, str, Problem | None]:
    """A search's State (ISO code, or "") and text, or what is wrong with them."""
    state, query = state.strip().upper(), query.strip()
    if len(query) > max_query:
        return "", "", Problem(_("The search text is longer than %(n)d characters.") % {"n": max_query}, "q")
    if state and (not ISO.match(state) or not current_reference().knows_state(state)):
        return (
            "",
            query,
            Problem(
                _("“%(state)s” is not an ISO 3166-1 code of a State (two letters, e.g. FR).") % {"state": state[:10]}, "state"
            ),
        )
    return state, query, None


# -- list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRow:
    iso: str
    name: str
    ets185: str  # party, signatory or none
    cets224: str
    eu_member: bool


def _relation(part: TreatyParticipation | None, standing: Standing | None = None) -> str:
    """party, signatory or none as the data record it; "consented" for a Party to be (a State whose
    consent is deposited but for which the treaty is not yet in force: not yet a Party, VCLT Art 2(1)(g))."""
    if part is None:
        return Relation.NONE.value
    if part.relation is Relation.PARTY and standing is Standing.CONSENTED:
        return CONSENTED
    return part.relation.value


CONSENTED = "consented"


@per_data_version(maxsize=4, per_language=False)
def standings(as_of: date) -> dict[tuple[str, Treaty], Standing]:
    """Each State's standing towards each treaty on ``as_of`` (law/treaty_status.py)."""
    table = treaty_table(current_reference(), as_of)
    return {(row.iso, treaty): row.standing for treaty, rows in table.rows.items() for row in rows}


@per_data_version(maxsize=4)
def state_list(as_of: date) -> tuple[ListRow, ...]:
    """Every State in the reference data with its relation to each treaty, by name."""
    data = current_reference()
    return tuple(
        sorted(
            (
                ListRow(
                    iso,
                    record.name,
                    _relation(record.participation(Treaty.ETS_185), standings(as_of).get((iso, Treaty.ETS_185))),
                    _relation(record.participation(Treaty.CETS_224), standings(as_of).get((iso, Treaty.CETS_224))),
                    eu_member_on(data, iso, as_of) is True,
                )
                for iso, record in data.states.items()
            ),
            key=lambda row: row.name,
        )
    )


def filter_list(rows: tuple[ListRow, ...], query: str) -> tuple[ListRow, ...]:
    needle = query.strip().casefold()
    return tuple(row for row in rows if not needle or needle in row.name.casefold() or needle == row.iso.casefold())


# -- profile ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionShown:
    code: str
    provision: str
    effect: str  # the register's plain-language effect of the position
    summary: str  # what the State's position says
    provenance: Provenance
    layer: str  # "state" or "eu"


@dataclass(frozen=True)
class TreatyShown:
    key: str  # ets185, cets224
    short: str
    title: str
    relation: str  # party, consented (not yet in force for it), signatory, none
    relation_provenance: Provenance | None
    signature: DatedFact | None
    consent: DatedFact | None
    consent_kind: str | None
    entry_into_force: DatedFact | None
    positions: tuple[PositionShown, ...]
    positions_complete: bool
    positions_note: str | None


@dataclass(frozen=True)
class RegulationShown:
    """Regulation (EU) 2023/1543, which binds a State through EU membership."""

    title: str
    eu_member: Tri
    accession: DatedFact | None
    bound: Tri
    not_bound: Provenance | None  # why a Member State is not bound (e.g. Denmark)
    note: Provenance | None  # a participation note (e.g. Ireland)
    applicable_from: DatedFact | None


@dataclass(frozen=True)
class RouteSummary:
    """One route, in one direction: the partner States with which it is available or conditional
    for at least one of the default data categories."""

    route: str
    title: str
    available: tuple[str, ...]  # partner ISO codes
    conditional: tuple[str, ...]  # partner ISO codes where it is only conditional

    @property
    def count(self) -> int:
        return len(self.available) + len(self.conditional)


@dataclass(frozen=True)
class Profile:
    iso: str
    name: str
    in_data: bool  # the reference data has a file for the State
    as_of: date
    treaties: tuple[TreatyShown, ...]
    regulation: RegulationShown
    authorities: tuple[tuple[registers.Register, registers.Row], ...]
    outgoing: tuple[RouteSummary, ...]  # the State issues, the partner's provider answers
    incoming: tuple[RouteSummary, ...]  # a partner issues to a provider in the State
    partners: int
    sources: tuple[tuple[str, str, str], ...] = ()  # (id, title, URL) of every source cited on the profile


def _positions(data: ReferenceData, part: TreatyParticipation | None, treaty: Treaty) -> tuple[PositionShown, ...]:
    if part is None:
        return ()
    out = []
    for code, position in part.positions.items():
        entry = data.register.get(code) if treaty is Treaty.CETS_224 else None
        provision, effect = (entry.provision, entry.effect) if entry else ETS_POSITIONS.get(code, (code, ""))
        out.append(
            PositionShown(
                code,
                provision,
                effect,
                position.summary,
                position.provenance,
                position.layer,
            )
        )
    return tuple(out)


def _treaty(data: ReferenceData, iso: str, treaty: Treaty, short: str, instrument: str, *, as_of: date) -> TreatyShown:
    record = data.states.get(iso)
    part = record.participation(treaty) if record else None
    found = data.instruments.get(instrument)
    return TreatyShown(
        key=treaty.value,
        short=short,
        title=found.title if found else short,
        relation=_relation(part, standings(as_of).get((iso, treaty))),
        relation_provenance=part.relation_provenance if part else None,
        signature=part.signature if part else None,
        consent=part.consent if part else None,
        consent_kind=part.consent_kind if part else None,
        entry_into_force=part.entry_into_force if part else None,
        positions=_positions(data, part, treaty),
        positions_complete=part.positions_complete if part else False,
        positions_note=part.positions_note if part else None,
    )


def _regulation(data: ReferenceData, iso: str, profile: StateProfile) -> RegulationShown:
    found = data.instruments.get(REGULATION)
    return RegulationShown(
        title=found.short if found else "Regulation (EU) 2023/1543",
        eu_member=profile.eu_member,
        accession=data.eu.accessions.get(iso),
        bound=profile.reg_bound,
        not_bound=found.not_bound.get(iso) if found else None,
        note=found.participation_notes.get(iso) if found else None,
        applicable_from=found.dates.get("applicable_from") if found else None,
    )


@per_data_version(maxsize=4, per_language=False)
def route_matrix(as_of: date) -> MatrixResult:
    """The route matrix of every ordered pair of States in the data, today, without what-if."""
    return run_matrix(current_reference(), as_of=as_of, what_if=WhatIf())


def _statuses(
    result: MatrixResult, issuing: StateProfile, provider: StateProfile, request: Request, clock: object
) -> tuple[Status, ...]:
    cell = result.cells.get((issuing, provider, False, request))
    if cell is not None:
        return cell.statuses
    # A State outside the data whose profile no State of the matrix shares: evaluate it here.
    return tuple(o.status for o in evaluate_all(Context(issuing, provider, False, request, clock)))  # type: ignore[arg-type]


def _routes(iso: str, as_of: date, *, outgoing: bool) -> tuple[RouteSummary, ...]:
    data = current_reference()
    result = route_matrix(as_of)
    snap = snapshot(data, as_of=as_of, what_if=WhatIf())
    own = snap.profile(iso)
    available: dict[str, set[str]] = {route: set() for route in ROUTE_IDS}
    conditional: dict[str, set[str]] = {route: set() for route in ROUTE_IDS}
    for partner in result.states:
        if partner == iso:
            continue
        other = snap.profile(partner)
        for request in DEFAULT_REQUESTS:
            pair = (own, other) if outgoing else (other, own)
            statuses = _statuses(result, *pair, request, snap.clock)
            for route, status in zip(ROUTE_IDS, statuses, strict=True):
                if status is Status.AVAILABLE:
                    available[route].add(partner)
                elif status is Status.CONDITIONAL:
                    conditional[route].add(partner)
    titles = {route.id: route.title for route in ROUTES}
    return tuple(
        RouteSummary(route, titles[route], tuple(sorted(available[route])), tuple(sorted(conditional[route] - available[route])))
        for route in ROUTE_IDS
        if available[route] or conditional[route]
    )


@per_data_version(maxsize=256)
def profile(iso: str, as_of: date) -> Profile:
    """One State's profile on ``as_of`` (``iso`` must be a known ISO 3166-1 code, upper case)."""
    data = current_reference()
    snap = snapshot(data, as_of=as_of, what_if=WhatIf())
    result = route_matrix(as_of)
    found = Profile(
        iso=iso,
        name=data.state_name(iso),
        in_data=iso in data.states,
        as_of=as_of,
        treaties=tuple(_treaty(data, iso, treaty, short, key, as_of=as_of) for treaty, short, key in TREATIES),
        regulation=_regulation(data, iso, snap.profile(iso)),
        authorities=registers.authorities_of(iso, as_of),
        outgoing=_routes(iso, as_of, outgoing=True),
        incoming=_routes(iso, as_of, outgoing=False),
        partners=len([s for s in result.states if s != iso]),
    )
    cited = sorted({p.source for p in _provenances(found)})
    sources = tuple((key, data.sources[key].title, data.sources[key].url) for key in cited if key in data.sources)
    return dataclasses.replace(found, sources=sources)


def _provenances(found: Profile) -> list[Provenance]:
    out: list[Provenance | None] = []
    for t in found.treaties:
        out += [t.relation_provenance, *(d.provenance for d in (t.signature, t.consent, t.entry_into_force) if d)]
        out += [p.provenance for p in t.positions]
    reg = found.regulation
    out += [reg.not_bound, reg.note, *(d.provenance for d in (reg.accession, reg.applicable_from) if d)]
    out += [row.provenance for _, row in found.authorities]
    return [p for p in out if p is not None]


# -- JSON -------------------------------------------------------------------------------


def _provenance_json(provenance: Provenance | None) -> dict[str, object] | None:
    if provenance is None:
        return None
    return {
        "source": provenance.source,
        "source_url": provenance.url,
        "as_of": provenance.as_of.isoformat(),
        "verified": provenance.verified,
        "secondary": provenance.secondary,
        "note": provenance.note,
    }


def _dated_json(fact: DatedFact | None) -> dict[str, object] | None:
    if fact is None:
        return None
    return {
        "date": fact.when.isoformat() if fact.when else None,
        "known_by": fact.known_by.isoformat() if fact.known_by else None,
    } | (_provenance_json(fact.provenance) or {})


def _tri(value: Tri) -> bool | None:
    return value


def profile_json(found: Profile) -> dict[str, object]:
    return {
        "code": found.iso,
        "name": found.name,
        "in_reference_data": found.in_data,
        "as_of": found.as_of.isoformat(),
        "treaties": {
            t.key: {
                "title": t.title,
                "relation": t.relation,
                "relation_source": _provenance_json(t.relation_provenance),
                "signature": _dated_json(t.signature),
                "consent": (_dated_json(t.consent) or {}) | {"kind": t.consent_kind} if t.consent else None,
                "entry_into_force": _dated_json(t.entry_into_force),
                "positions_complete": t.positions_complete,
                "positions_note": t.positions_note,
                "positions": [
                    {"code": p.code, "provision": p.provision, "effect": p.effect, "summary": p.summary, "layer": p.layer}
                    | (_provenance_json(p.provenance) or {})
                    for p in t.positions
                ],
            }
            for t in found.treaties
        },
        "regulation_2023_1543": {
            "eu_member": _tri(found.regulation.eu_member),
            "accession": _dated_json(found.regulation.accession),
            "bound": _tri(found.regulation.bound),
            "not_bound": _provenance_json(found.regulation.not_bound),
            "participation_note": _provenance_json(found.regulation.note),
            "applicable_from": _dated_json(found.regulation.applicable_from),
        },
        "authorities": [{"register": register.id} | registers.row_json(row) for register, row in found.authorities],
        "languages": None,
        "sources": [{"id": key, "title": title, "url": url} for key, title, url in found.sources],
        "routes": {
            "data_categories": [str(c) for c in DEFAULT_CATEGORIES],
            "measure": str(Measure.PRODUCTION),
            "partners": found.partners,
            "outgoing": [_route_json(r) for r in found.outgoing],
            "incoming": [_route_json(r) for r in found.incoming],
        },
    }


def _route_json(summary: RouteSummary) -> dict[str, object]:
    return {
        "route": summary.route,
        "title": summary.title,
        "count": summary.count,
        "available": list(summary.available),
        "conditional": list(summary.conditional),
    }
