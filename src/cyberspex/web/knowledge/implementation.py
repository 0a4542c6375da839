"""The implementation tracker (/implementation/, ``GET /api/v1/implementation``).

For each EU Member State and each provision needing a domestic measure or a declaration
(``implementation.yaml`` provisions), the stage reached: ``unknown`` unless the data records
it; ``none``, ``draft``, ``adopted`` or ``in_force`` from the recorded events (the latest one
counts), or derived: a CETS 224 position recorded in the State's own data (states/XX.yaml) is
a declaration made, so its provision is ``adopted`` (made), citing that record."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from cyberspex.law.model import ImplementationEvent, Provenance, ReferenceData, Treaty
from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge.cache import per_data_version
from cyberspex.web.knowledge.reference import current_reference

STAGES = ("unknown", "none", "draft", "adopted", "in_force")
PROGRESS = ("draft", "adopted", "in_force")  # stages that are a step taken
_RANK = {stage: index for index, stage in enumerate(STAGES)}
_STATE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Cell:
    """The stage of one provision in one State, with where it comes from."""

    stage: str
    date: dt.date | None = None
    documents: tuple[tuple[str, str | None, dt.date | None], ...] = ()
    provenance: Provenance | None = None
    derived: bool = False
    note: str | None = None


def member_states(data: ReferenceData) -> list[str]:
    """The current EU Member States (the membership data), ordered by name."""
    return sorted(data.eu.members & data.states.keys(), key=data.state_name)


def known_on(event: ImplementationEvent) -> date:
    """When an event is known to have happened: its date, or for an undated one the date its
    source recorded it (``as_of``)."""
    return event.date or event.provenance.as_of


def _latest(events: list[ImplementationEvent], until: date | None) -> ImplementationEvent | None:
    """The latest event known on or before ``until`` (every event without ``until``)."""
    known = [e for e in events if until is None or known_on(e) <= until]
    return max(known, key=lambda e: (known_on(e), _RANK[e.stage]), default=None)


def _derived(data: ReferenceData, iso: str, register: str | None, until: date | None) -> Cell | None:
    if register is None:
        return None
    participation = data.states[iso].participation(Treaty.CETS_224)
    position = participation.positions.get(register) if participation else None
    if position is None:
        return None
    made = participation.consent.when if participation and participation.consent else None
    if until is not None and (made is None or made > until):
        return None
    return Cell(
        "adopted",
        made,
        provenance=position.provenance,
        derived=True,
        note=f"{register} is recorded among the State's CETS 224 positions: {position.summary}",
    )


def cell(data: ReferenceData, iso: str, provision_id: str, until: date | None = None) -> Cell:
    """The stage of ``provision_id`` in ``iso`` (as of ``until``, or everything recorded)."""
    provision = next(p for p in data.implementation.provisions if p.id == provision_id)
    events = [e for e in data.implementation.events if e.state == iso and e.provision == provision_id]
    found = _latest(events, until)
    recorded = (
        Cell(
            found.stage,
            found.date,
            tuple((d.title, d.url, d.date) for d in found.documents),
            found.provenance,
            note=found.provenance.note,
        )
        if found
        else None
    )
    derived = _derived(data, iso, provision.register, until)
    candidates = [c for c in (recorded, derived) if c is not None]
    return max(candidates, key=lambda c: _RANK[c.stage], default=Cell("unknown"))


def parse_state(params: Any) -> str:
    """The ``state`` filter: empty, or the code of a current EU Member State (400 otherwise)."""
    state = str(params.get("state") or "").strip().upper()
    if not state:
        return ""
    data = current_reference()
    state = data.eu.aliases.get(state, state)
    if not _STATE.match(state) or state not in member_states(data):
        raise ApplicationError("state must be the two-letter code of an EU Member State, e.g. IT", field="state")
    return state


def _provenance(p: Provenance | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "source": p.source,
        "source_url": p.url,
        "as_of": p.as_of.isoformat(),
        "verified": p.verified,
        "secondary": p.secondary,
        "derived": p.derived,
        "note": p.note,
    }


@per_data_version(maxsize=64)
def tracker(state: str = "") -> dict[str, Any]:
    """The whole tracker (or one State's rows), as plain values: provisions with their citation
    and source, and per State the cell of each provision. Cached per data version."""
    data = current_reference()
    provisions = [
        {
            "id": p.id,
            "instrument": p.instrument,
            "title": p.title,
            "citation": p.citation,
            "register": p.register,
            "due": p.due.isoformat() if p.due else None,
            "provenance": _provenance(p.provenance),
        }
        for p in data.implementation.provisions
    ]
    states = []
    for iso in member_states(data):
        if state and iso != state:
            continue
        cells = {}
        for provision in data.implementation.provisions:
            found = cell(data, iso, provision.id)
            cells[provision.id] = {
                "stage": found.stage,
                "date": found.date.isoformat() if found.date else None,
                "documents": [{"title": t, "url": u, "date": d.isoformat() if d else None} for t, u, d in found.documents],
                "derived": found.derived,
                "provenance": _provenance(found.provenance),
                "note": found.note,
            }
        states.append({"state": iso, "name": data.state_name(iso), "cells": cells})
    return {"stages": list(STAGES), "provisions": provisions, "states": states}


def furthest_stage(data: ReferenceData, iso: str, until: date | None) -> str:
    """The furthest stage ``iso`` reached for any provision by ``until``."""
    return max(
        (cell(data, iso, p.id, until).stage for p in data.implementation.provisions), key=_RANK.__getitem__, default="unknown"
    )


@per_data_version(maxsize=64)
def progress(until: date) -> tuple[tuple[date, tuple[tuple[str, int], ...]], ...]:
    """States per stage over time: on each day an event is known up to ``until`` (and on
    ``until``), how many Member States have reached each stage as their furthest for any
    provision. An undated event is placed on the day its source recorded it."""
    data = current_reference()
    points = sorted({known_on(e) for e in data.implementation.events if known_on(e) <= until} | {until})
    members = member_states(data)
    out = []
    for point in points:
        counts = dict.fromkeys(STAGES, 0)
        for iso in members:
            counts[furthest_stage(data, iso, point)] += 1
        out.append((point, tuple(counts.items())))
    return tuple(out)
