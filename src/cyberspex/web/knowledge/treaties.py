"""Selectors of the treaty status page and API: who stands where towards ETS 185 and CETS 224
on a date, the CETS 224 timeline, the map and the table, as JSON and CSV.

Everything is computed by ``cyberspex.law.treaty_status`` from ``current_reference()`` and kept
per data version (``per_data_version``); the views and the API only parse the query and render.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cyberspex.law.model import Provenance, Source, Treaty
from cyberspex.law.treaty_status import (
    STANDINGS,
    TREATIES,
    Fact,
    PositionLine,
    Standing,
    Timeline,
    TreatyRow,
    TreatyTable,
    treaty_table,
)
from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge import treaties_map, treaties_timeline
from cyberspex.web.knowledge.cache import per_data_version
from cyberspex.web.knowledge.reference import current_reference, data_version

EARLIEST = date(1990, 1, 1)  # before the Convention was drafted: nothing to show
LATEST = date(2100, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

TREATY_NAMES = {
    Treaty.ETS_185: gettext_lazy("Convention on Cybercrime (ETS 185)"),
    Treaty.CETS_224: gettext_lazy("Second Additional Protocol (CETS 224)"),
}
STANDING_LABELS = {
    Standing.IN_FORCE: gettext_lazy("In force"),
    Standing.CONSENTED: gettext_lazy("Ratified, not yet in force"),
    Standing.SIGNED: gettext_lazy("Signed"),
    Standing.NOT_PARTY: gettext_lazy("Not a Party or signatory"),
    Standing.UNKNOWN: gettext_lazy("Not recorded"),
}
CONSENT_KINDS = {
    "ratification": gettext_lazy("ratification"),
    "acceptance": gettext_lazy("acceptance"),
    "approval": gettext_lazy("approval"),
    "accession": gettext_lazy("accession"),
}
POSITION_KINDS = {
    "reservation": gettext_lazy("Reservation"),
    "declaration": gettext_lazy("Declaration"),
    "notification": gettext_lazy("Notification"),
    "communication": gettext_lazy("Communication or designation"),
}
SORTS = ("name", "iso", "status", "signature", "consent", "entry_into_force")
VIEWS = tuple(treaties_map.VIEWS)


@dataclass(frozen=True, slots=True)
class TreatyQuery:
    """A validated query of the page or the API."""

    treaty: Treaty
    as_of: date
    status: Standing | None = None
    view: str = "europe"
    sort: str = "name"
    descending: bool = False


def _bad(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, status=400, field=field)


def parse_date(value: str, *, field: str = "as_of") -> date:
    """A date YYYY-MM-DD between 1990 and 2100, or a 400 naming the parameter."""
    if not _ISO_DATE.match(value):
        raise _bad(
            _("%(field)s must be a date written YYYY-MM-DD, not “%(value)s”.") % {"field": field, "value": value[:40]}, field
        )
    try:
        when = date.fromisoformat(value)
    except ValueError:
        raise _bad(_("%(field)s is not a real date: “%(value)s”.") % {"field": field, "value": value}, field) from None
    if not EARLIEST <= when <= LATEST:
        raise _bad(
            _("%(field)s must lie between %(start)s and %(end)s.") % {"field": field, "start": EARLIEST, "end": LATEST}, field
        )
    return when


def parse_query(params: Mapping[str, str], *, today: date, default_treaty: str = "cets224") -> TreatyQuery:
    """Validate the query parameters ``treaty``, ``as_of``, ``status``, ``view``, ``sort`` and
    ``order``; an empty or absent one takes its default. Raise a 400 naming the first bad one."""
    treaty_key = params.get("treaty") or default_treaty
    if treaty_key not in TREATIES:
        raise _bad(_("treaty must be one of: %(choices)s.") % {"choices": ", ".join(TREATIES)}, "treaty")
    as_of = parse_date(params["as_of"]) if params.get("as_of") else today
    status_key = params.get("status") or ""
    status = None
    if status_key:
        try:
            status = Standing(status_key)
        except ValueError:
            raise _bad(_("status must be one of: %(choices)s.") % {"choices": ", ".join(STANDINGS)}, "status") from None
    view = params.get("view") or "europe"
    if view not in VIEWS:
        raise _bad(_("view must be one of: %(choices)s.") % {"choices": ", ".join(VIEWS)}, "view")
    sort = params.get("sort") or "name"
    if sort not in SORTS:
        raise _bad(_("sort must be one of: %(choices)s.") % {"choices": ", ".join(SORTS)}, "sort")
    order = params.get("order") or "asc"
    if order not in ("asc", "desc"):
        raise _bad(_("order must be asc or desc."), "order")
    return TreatyQuery(TREATIES[treaty_key], as_of, status, view, sort, order == "desc")


@per_data_version(maxsize=64)
def table_on(as_of: date) -> TreatyTable:
    """Every State towards both treaties on ``as_of``, with the CETS 224 timeline."""
    return treaty_table(current_reference(), as_of)


def _fact_date(fact: Fact | None) -> date:
    if fact is None:
        return date.max
    return fact.when or fact.known_by or date.max


_STANDING_ORDER = {standing: index for index, standing in enumerate(STANDINGS)}


def _sort_key(sort: str) -> Any:
    keys: dict[str, Any] = {
        "name": lambda r: (r.name,),
        "iso": lambda r: (r.iso,),
        "status": lambda r: (_STANDING_ORDER[r.standing], r.name),
        "signature": lambda r: (_fact_date(r.signature), r.name),
        "consent": lambda r: (_fact_date(r.consent), r.name),
        "entry_into_force": lambda r: (_fact_date(r.entry_into_force), r.name),
    }
    return keys[sort]


def rows(query: TreatyQuery) -> list[TreatyRow]:
    """The table's rows: the chosen treaty, filtered by status, sorted as asked."""
    found = [r for r in table_on(query.as_of).rows_for(query.treaty) if query.status is None or r.standing is query.status]
    return sorted(found, key=_sort_key(query.sort), reverse=query.descending)


def standing_label(row: TreatyRow) -> str:
    """The status in words, with the decisive date when one is known."""
    label = str(STANDING_LABELS[row.standing])
    if row.standing is Standing.IN_FORCE and row.entry_into_force and row.entry_into_force.when:
        return _("%(status)s since %(date)s") % {"status": label, "date": date_format(row.entry_into_force.when, "j M Y")}
    if row.standing is Standing.CONSENTED and row.consent and row.consent.when:
        return _("%(status)s (consent %(date)s)") % {"status": label, "date": date_format(row.consent.when, "j M Y")}
    if row.standing is Standing.SIGNED and row.signature and row.signature.when:
        return _("%(status)s on %(date)s") % {"status": label, "date": date_format(row.signature.when, "j M Y")}
    return label


def state_href(iso: str) -> str:
    return f"/states/{iso}/"


@per_data_version(maxsize=48)
def map_svg(treaty: Treaty, as_of: date, view: str, language: str) -> SafeString:  # noqa: ARG001  # language keys the cache
    """The map of ``view`` for ``treaty`` on ``as_of`` (cached per data version, query and language)."""
    table = table_on(as_of)
    states = [
        treaties_map.MapState(r.iso, r.name, r.standing.value, standing_label(r), state_href(r.iso))
        for r in table.rows_for(treaty)
    ]
    statuses = [treaties_map.Status(s.value, str(STANDING_LABELS[s])) for s in STANDINGS]
    title = _("%(treaty)s: status of each State on %(date)s") % {
        "treaty": TREATY_NAMES[treaty],
        "date": date_format(as_of, "j F Y"),
    }
    if view == "europe":
        description = _(
            "Map of Europe. Each State in the reference data is a link to its profile; the table below gives the same data."
        )
    else:
        description = _(
            "World map. Each State in the reference data is a link to its profile; the table below gives the same data."
        )
    return treaties_map.render(view_key=view, title=title, description=description, states=states, statuses=statuses)


@per_data_version(maxsize=48)
def timeline_svg(as_of: date, language: str) -> SafeString:  # noqa: ARG001  # language keys the cache
    """The CETS 224 timeline chart on ``as_of`` (cached per data version, date and language)."""
    return treaties_timeline.render(table_on(as_of).timeline)


@per_data_version(maxsize=64)
def sources_cited(treaty: Treaty, as_of: date) -> tuple[Source, ...]:
    """The sources the page cites for ``treaty`` on ``as_of`` (rows, positions, timeline), by id."""
    table = table_on(as_of)
    cited: set[str] = set()
    for r in table.rows_for(treaty):
        provenances = [r.relation_provenance, *(f.provenance for f in (r.signature, r.consent, r.entry_into_force) if f)]
        cited |= {p.source for p in provenances if p is not None} | {p.provenance.source for p in r.positions}
    if treaty is Treaty.CETS_224:
        line = table.timeline
        cited |= {e.provenance.source for e in line.entries}
        cited |= {p.source for p in (line.needed_provenance, line.delay_provenance) if p is not None}
    known = current_reference().sources
    return tuple(known[s] for s in sorted(cited) if s in known)


# -- JSON and CSV -------------------------------------------------------------------------


def _provenance(value: Provenance | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "source": value.source,
        "url": value.url,
        "as_of": value.as_of.isoformat(),
        "verified": value.verified,
        "secondary": value.secondary,
        "note": value.note,
    }


def _fact(fact: Fact | None) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {
        "date": fact.when.isoformat() if fact.when else None,
        "known_by": fact.known_by.isoformat() if fact.known_by else None,
        "computed": fact.computed,
        "rule": str(fact.rule) if fact.rule else None,
        "verified": fact.verified,
        **{k: v for k, v in (_provenance(fact.provenance) or {}).items() if k != "verified"},
    }


def _position(line: PositionLine) -> dict[str, Any]:
    return {
        "code": line.code,
        "kind": line.kind,
        "provision": line.provision,
        "citation": str(line.citation) if line.citation else None,
        "citation_verified": line.citation.verified if line.citation else False,
        "summary": line.summary,
        "effect": line.effect,
        "layer": line.layer,
        **(_provenance(line.provenance) or {}),
    }


def row_json(row: TreatyRow) -> dict[str, Any]:
    return {
        "state": row.iso,
        "name": row.name,
        "treaty": row.treaty.value,
        "status": row.standing.value,
        "relation": _provenance(row.relation_provenance),
        "signature": _fact(row.signature),
        "consent": {**_fact(row.consent), "kind": row.consent_kind} if row.consent else None,  # type: ignore[dict-item]
        "entry_into_force": _fact(row.entry_into_force),
        "positions": [_position(p) for p in row.positions],
        "positions_complete": row.positions_complete,
        "positions_note": row.positions_note,
        "verified": row.verified,
    }


def timeline_json(line: Timeline) -> dict[str, Any]:
    return {
        "as_of": line.as_of.isoformat(),
        "consents_needed": {"value": line.needed, "rule": str(line.general_rule), **(_provenance(line.needed_provenance) or {})},
        "delay_months": {
            "value": line.delay_months,
            "rule": str(line.general_rule),
            **(_provenance(line.delay_provenance) or {}),
        },
        "consents": [
            {
                "ordinal": e.ordinal,
                "state": e.iso,
                "name": e.name,
                "date": e.consent.isoformat(),
                "kind": e.kind,
                "entry_into_force": e.entry_into_force.isoformat() if e.entry_into_force else None,
                "entry_into_force_computed": True,
                "triggers_entry_into_force": e.triggers,
                **(_provenance(e.provenance) or {}),
            }
            for e in line.entries
        ],
        "undated_consents": list(line.undated),
        "consents_missing": line.missing,
        "entry_into_force": line.entry_into_force.isoformat() if line.entry_into_force else None,
        "entry_into_force_computed": True,
        "in_force": line.in_force,
        "verified": line.verified,
    }


@per_data_version(maxsize=64)
def api_document(as_of: date, treaty: Treaty | None, status: Standing | None) -> dict[str, Any]:
    """``GET /api/v1/treaties`` as JSON: per treaty, every State (filtered), and the timeline."""
    table = table_on(as_of)
    chosen = [treaty] if treaty is not None else [Treaty.ETS_185, Treaty.CETS_224]
    return {
        "as_of": as_of.isoformat(),
        "data_version": data_version(),
        "treaties": {t.value: [row_json(r) for r in table.rows_for(t) if status is None or r.standing is status] for t in chosen},
        "cets224_timeline": timeline_json(table.timeline),
    }


CSV_COLUMNS = (
    "treaty",
    "state",
    "name",
    "status",
    "signature_date",
    "signature_source",
    "signature_verified",
    "consent_date",
    "consent_known_by",
    "consent_kind",
    "consent_source",
    "consent_verified",
    "entry_into_force_date",
    "entry_into_force_computed",
    "entry_into_force_rule",
    "entry_into_force_source",
    "entry_into_force_verified",
    "positions",
    "relation_source",
    "relation_as_of",
    "relation_verified",
    "as_of",
)


def _csv_fact(fact: Fact | None) -> list[str]:
    if fact is None:
        return ["", "", ""]
    return [
        fact.when.isoformat() if fact.when else "",
        fact.provenance.source if fact.provenance else "",
        str(fact.verified).lower(),
    ]


def _cell(value: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def api_csv(as_of: date, treaty: Treaty | None, status: Standing | None) -> str:
    """The same rows as :func:`api_document`, one line per State and treaty (no timeline)."""
    table = table_on(as_of)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for t in [treaty] if treaty is not None else [Treaty.ETS_185, Treaty.CETS_224]:
        for r in table.rows_for(t):
            if status is not None and r.standing is not status:
                continue
            signature = _csv_fact(r.signature)
            consent = _csv_fact(r.consent)
            eif = r.entry_into_force
            relation = r.relation_provenance
            line = [
                t.value,
                r.iso,
                r.name,
                r.standing.value,
                *signature,
                consent[0],
                r.consent.known_by.isoformat() if r.consent and r.consent.known_by else "",
                r.consent_kind or "",
                consent[1],
                consent[2],
                eif.when.isoformat() if eif and eif.when else "",
                str(eif.computed).lower() if eif else "",
                str(eif.rule) if eif and eif.rule else "",
                eif.provenance.source if eif and eif.provenance else "",
                str(eif.verified).lower() if eif else "",
                ";".join(p.code for p in r.positions),
                relation.source if relation else "",
                relation.as_of.isoformat() if relation else "",
                str(relation.verified).lower() if relation else "",
                as_of.isoformat(),
            ]
            writer.writerow([_cell(v) for v in line])
    return out.getvalue()


def page_url(query: TreatyQuery, **changes: str) -> str:
    """The page's URL for ``query`` with some parameters changed (sort links, view switch)."""
    params = {
        "treaty": query.treaty.value,
        "as_of": query.as_of.isoformat(),
        "status": query.status.value if query.status else "",
        "view": query.view,
        "sort": query.sort,
        "order": "desc" if query.descending else "asc",
    } | changes
    return reverse("knowledge:treaties") + "?" + urlencode({k: v for k, v in params.items() if v})


def api_url(query: TreatyQuery, fmt: str) -> str:
    """``GET /api/v1/treaties`` for the page's treaty, date and status, as JSON or CSV."""
    params = {
        "treaty": query.treaty.value,
        "as_of": query.as_of.isoformat(),
        "status": query.status.value if query.status else "",
    }
    if fmt == "csv":
        params["format"] = "csv"
    return "/api/v1/treaties?" + urlencode({k: v for k, v in params.items() if v})


def sort_links(query: TreatyQuery) -> dict[str, dict[str, str]]:
    """For each sortable column: the URL that sorts by it (flipping the order if it is the
    current one) and the ``aria-sort`` value of the header."""
    out = {}
    for key in SORTS:
        current = key == query.sort
        order = "asc" if not current or query.descending else "desc"
        aria = ("descending" if query.descending else "ascending") if current else "none"
        out[key] = {"url": page_url(query, sort=key, order=order), "aria": aria}
    return out


def legend(query: TreatyQuery, counts: Mapping[Standing, int]) -> Sequence[dict[str, Any]]:
    return [
        {
            "key": s.value,
            "label": STANDING_LABELS[s],
            "count": counts[s],
            "swatch": treaties_map.swatch(query.view, s.value),
            "url": page_url(query, status=s.value),
        }
        for s in STANDINGS
    ]
