"""Where each State stands towards the Budapest Convention (ETS 185) and its Second
Additional Protocol (CETS 224) on a date, and the timeline of the Protocol's consents.

Pure: it takes the reference data and a date and reads no clock. Every value carries its
provenance; a value the data does not record as verified is shown as such. Entry into
force of the Protocol is computed from the recorded consents with the number of consents
and the period of Art 16(3)-(4) read from ``instruments.yaml``, never typed in.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from cyberspex.law.citations import Citation, Instrument, cite
from cyberspex.law.errors import LawError
from cyberspex.law.model import DatedFact, Provenance, ReferenceData, Relation, StateRecord, Treaty, TreatyParticipation
from cyberspex.law.record import Record
from cyberspex.law.scenario import WhatIf
from cyberspex.law.status import CETS, ETS, Snapshot, TreatyStatus, snapshot
from cyberspex.law.treaty_dates import (
    ENTRY_INTO_FORCE_GENERAL,
    ENTRY_INTO_FORCE_LATER_PARTY,
    ETS185_ENTRY_INTO_FORCE_ACCESSION,
    ETS185_ENTRY_INTO_FORCE_RATIFICATION,
    first_day_after_months,
    first_day_after_three_months,
)

TREATIES: dict[str, Treaty] = {"ets185": Treaty.ETS_185, "cets224": Treaty.CETS_224}
INSTRUMENT_OF = {Treaty.ETS_185: Instrument.ETS_185, Treaty.CETS_224: Instrument.CETS_224}
INSTRUMENT_ID = {Treaty.ETS_185: ETS, Treaty.CETS_224: CETS}


class Standing(StrEnum):
    """A State's standing towards a treaty on a date, from furthest to nearest."""

    NOT_PARTY = "not-party"  # neither signed nor consented to be bound by that date
    SIGNED = "signed"  # signed, no consent to be bound yet
    CONSENTED = "consented"  # ratified, accepted, approved or acceded; not yet in force for it
    IN_FORCE = "in-force"  # a Party for which the treaty is in force
    UNKNOWN = "unknown"  # a date that would decide is not recorded


STANDINGS = tuple(Standing)

POSITION_KINDS = {"R": "reservation", "D": "declaration", "N": "notification", "C": "communication"}
_CODE = re.compile(r"^(?P<type>[RDNC])-(?P<article>\d+)(?P<parts>(-[0-9a-z]+)*)$")


class Fact(Record):
    """A dated value as shown: the date (or a date by which it happened), where it comes
    from, and whether it was computed by rule rather than recorded."""

    when: date | None
    known_by: date | None
    provenance: Provenance | None
    computed: bool = False
    rule: Citation | None = None  # the rule that computed it

    @property
    def verified(self) -> bool:
        return not self.computed and self.provenance is not None and self.provenance.verified


class PositionLine(Record):
    """A reservation, declaration, notification or communication, in plain language."""

    code: str
    kind: str  # reservation, declaration, notification, communication
    citation: Citation | None
    provision: str  # e.g. "Art 7(9)(a)"
    summary: str  # the State's position in plain language (from the data)
    effect: str | None  # what such a position does (the CETS 224 register), if known
    provenance: Provenance
    layer: str = "state"  # "state": made by the State; "eu": applied by Decision (EU) 2023/436

    @property
    def verified(self) -> bool:
        return self.provenance.verified


class TreatyRow(Record):
    """One State and one treaty on ``as_of``."""

    iso: str
    name: str
    treaty: Treaty
    standing: Standing
    relation_provenance: Provenance | None  # where the State's relation to the treaty comes from
    signature: Fact | None
    consent: Fact | None
    consent_kind: str | None  # ratification, acceptance, approval, accession
    entry_into_force: Fact | None  # recorded, or computed from the consent
    positions: tuple[PositionLine, ...]
    positions_complete: bool
    positions_note: str | None

    @property
    def verified(self) -> bool:
        """Every value shown for this row is recorded as verified (computed dates are not)."""
        facts = [f for f in (self.signature, self.consent, self.entry_into_force) if f is not None]
        relation = self.relation_provenance is None or self.relation_provenance.verified
        return relation and all(f.verified for f in facts) and all(p.verified for p in self.positions)


class TimelineEntry(Record):
    """One consent to be bound by CETS 224, in date order."""

    ordinal: int  # 1 for the first consent
    iso: str
    name: str
    consent: date
    kind: str | None
    provenance: Provenance
    entry_into_force: date | None  # for this Party; None while too few consents are recorded
    triggers: bool  # this is the consent that brings the Protocol into force (Art 16(3))

    @property
    def verified(self) -> bool:
        return self.provenance.verified


class Timeline(Record):
    """The CETS 224 consents recorded on or before ``as_of`` and the entry into force they give."""

    as_of: date
    needed: int
    needed_provenance: Provenance | None
    delay_months: int
    delay_provenance: Provenance | None
    entries: tuple[TimelineEntry, ...]
    undated: tuple[str, ...]  # Parties whose consent date is not recorded (only known_by)
    entry_into_force: date | None  # the Protocol's, computed (Art 16(3)); None: too few consents
    general_rule: Citation = ENTRY_INTO_FORCE_GENERAL
    later_rule: Citation = ENTRY_INTO_FORCE_LATER_PARTY

    @property
    def missing(self) -> int:
        """Consents still needed for entry into force (0 once enough are recorded)."""
        return max(self.needed - len(self.entries), 0)

    @property
    def in_force(self) -> bool:
        return self.entry_into_force is not None and self.entry_into_force <= self.as_of

    @property
    def verified(self) -> bool:
        rules = [self.needed_provenance, self.delay_provenance]
        return all(p is not None and p.verified for p in rules) and all(e.verified for e in self.entries)


def parse_treaty(value: str) -> Treaty:
    """The treaty for a query value ("ets185" or "cets224"); raise LawError otherwise."""
    try:
        return TREATIES[value]
    except KeyError:
        raise LawError(f"unknown treaty {value!r}; expected one of {', '.join(TREATIES)}") from None


def position_citation(treaty: Treaty, code: str) -> Citation | None:
    """The provision a register code points at: ``R-7-9-a`` -> Art 7(9)(a)."""
    match = _CODE.match(code)
    if match is None:
        return None
    parts = "".join(f"({p})" for p in match["parts"].split("-") if p)
    try:
        return cite(INSTRUMENT_OF[treaty], match["article"] + parts)
    except ValueError:
        return None


def _fact(value: DatedFact | None) -> Fact | None:
    if value is None:
        return None
    return Fact(value.when, value.known_by, value.provenance)


def _standing(relation: Relation | None, status: TreatyStatus) -> Standing:
    if relation is None:
        return Standing.UNKNOWN
    if relation is Relation.SIGNATORY:
        return Standing.SIGNED
    if relation is Relation.NONE:
        return Standing.NOT_PARTY
    if status.bound is None:
        return Standing.UNKNOWN
    return Standing.IN_FORCE if status.bound else Standing.CONSENTED


def _ets_entry_into_force(part: TreatyParticipation, general: date) -> Fact | None:
    """ETS 185: the recorded date, or computed from the consent (Art 36(4) / 37(2))."""
    if part.entry_into_force is not None:
        return _fact(part.entry_into_force)
    consent = part.consent
    if consent is None or consent.when is None:
        return None
    rule = ETS185_ENTRY_INTO_FORCE_ACCESSION if part.consent_kind == "accession" else ETS185_ENTRY_INTO_FORCE_RATIFICATION
    when = max(first_day_after_three_months(consent.when), general)
    return Fact(when, None, consent.provenance, computed=True, rule=rule)


def _cets_entry_into_force(part: TreatyParticipation, timeline: Timeline) -> Fact | None:
    """CETS 224: the recorded date, or computed from the timeline (Art 16(3)-(4))."""
    if part.entry_into_force is not None:
        return _fact(part.entry_into_force)
    consent = part.consent
    if consent is None or consent.when is None or timeline.entry_into_force is None:
        return None
    if consent.when > timeline.as_of:
        return None
    when = max(first_day_after_months(consent.when, timeline.delay_months), timeline.entry_into_force)
    triggers = when == timeline.entry_into_force
    rule = timeline.general_rule if triggers else timeline.later_rule
    return Fact(when, None, consent.provenance, computed=True, rule=rule)


def _positions(
    data: ReferenceData, treaty: Treaty, part: TreatyParticipation | None, snap_positions: tuple[str, ...]
) -> tuple[PositionLine, ...]:
    lines: list[PositionLine] = []
    own = dict(part.positions) if part is not None else {}
    for code, position in sorted(own.items()):
        lines.append(_line(data, treaty, code, summary=position.summary, provenance=position.provenance, layer="state"))
    if treaty is Treaty.CETS_224:
        for code in snap_positions:  # EU-mandated positions the State is bound to apply
            eu = data.eu_positions.get(code)
            if code not in own and eu is not None:
                lines.append(_line(data, treaty, code, summary=eu.summary, provenance=eu.provenance, layer="eu"))
    return tuple(lines)


def _line(data: ReferenceData, treaty: Treaty, code: str, *, summary: str, provenance: Provenance, layer: str) -> PositionLine:
    entry = data.register.get(code) if treaty is Treaty.CETS_224 else None
    citation = position_citation(treaty, code)
    provision = (
        entry.provision
        if entry
        else (f"Art {citation.article}" + "".join(f"({p})" for p in citation.parts) if citation else code)
    )
    kind = POSITION_KINDS.get(entry.type if entry else code[:1], "position")
    return PositionLine(code, kind, citation, provision, summary, entry.effect if entry else None, provenance, layer)


def _eu_made(snap: Snapshot, iso: str) -> tuple[str, ...]:
    profile = snap.profile(iso)
    return tuple(code for code, made, _scope in profile.positions if made is True)


def row(data: ReferenceData, record: StateRecord, treaty: Treaty, snap: Snapshot, timeline: Timeline) -> TreatyRow:
    """One State's standing towards ``treaty`` on the snapshot's date."""
    profile = snap.profile(record.iso)
    status = profile.ets185 if treaty is Treaty.ETS_185 else profile.cets224
    part = record.participation(treaty)
    standing = _standing(status.relation, status)
    if part is None:
        return TreatyRow(record.iso, record.name, treaty, standing, None, None, None, None, None, (), False, None)
    consent = _fact(part.consent) if standing in (Standing.CONSENTED, Standing.IN_FORCE, Standing.UNKNOWN) else None
    signature = _fact(part.signature) if standing is not Standing.NOT_PARTY else None
    eif: Fact | None = None
    if consent is not None:
        if treaty is Treaty.ETS_185:
            general = data.instruments[ETS].dates["entry_into_force"].when
            eif = _ets_entry_into_force(part, general) if general is not None else _fact(part.entry_into_force)
        else:
            eif = _cets_entry_into_force(part, timeline)
    shown = consent is not None and standing is not Standing.UNKNOWN
    positions = _positions(data, treaty, part, _eu_made(snap, record.iso)) if shown else ()
    return TreatyRow(
        iso=record.iso,
        name=record.name,
        treaty=treaty,
        standing=standing,
        relation_provenance=part.relation_provenance,
        signature=signature,
        consent=consent,
        consent_kind=part.consent_kind if consent is not None else None,
        entry_into_force=eif,
        positions=positions,
        positions_complete=part.positions_complete,
        positions_note=part.positions_note,
    )


def timeline(data: ReferenceData, as_of: date) -> Timeline:
    """The CETS 224 consents recorded on or before ``as_of``, in order, each Party's entry
    into force, and the consent that brings the Protocol into force (Art 16(3)-(4))."""
    instrument = data.instruments[CETS]
    needed = instrument.consents_for_entry_into_force
    months = instrument.entry_into_force_delay_months
    if needed is None or months is None:  # refdata.check rejects such data
        raise LawError("cets-224 needs consents_for_entry_into_force and entry_into_force_delay_months")
    dated: list[tuple[date, str, StateRecord, DatedFact, str | None]] = []
    undated: list[str] = []
    for iso, record in sorted(data.states.items()):
        part = record.participation(Treaty.CETS_224)
        if part is None or part.relation is not Relation.PARTY or part.consent is None:
            continue
        consent = part.consent
        if consent.when is not None and consent.when <= as_of:
            dated.append((consent.when, iso, record, consent, part.consent_kind))
        elif consent.when is None and consent.known_by is not None and consent.known_by <= as_of:
            undated.append(iso)
    dated.sort(key=lambda item: (item[0], item[1]))
    general = first_day_after_months(dated[needed - 1][0], months) if len(dated) >= needed else None
    entries = []
    for ordinal, (when, iso, record, consent, kind) in enumerate(dated, start=1):
        own = first_day_after_months(when, months)
        eif = max(own, general) if general is not None else None
        entries.append(TimelineEntry(ordinal, iso, record.name, when, kind, consent.provenance, eif, ordinal == needed))
    return Timeline(
        as_of=as_of,
        needed=needed,
        needed_provenance=instrument.consents_provenance,
        delay_months=months,
        delay_provenance=instrument.delay_provenance,
        entries=tuple(entries),
        undated=tuple(undated),
        entry_into_force=general,
    )


class TreatyTable(Record):
    """Every State in the data towards both treaties on ``as_of``, and the CETS 224 timeline."""

    as_of: date
    rows: dict[Treaty, tuple[TreatyRow, ...]]
    timeline: Timeline

    def rows_for(self, treaty: Treaty) -> tuple[TreatyRow, ...]:
        return self.rows[treaty]

    def counts(self, treaty: Treaty) -> dict[Standing, int]:
        out = dict.fromkeys(STANDINGS, 0)
        for item in self.rows[treaty]:
            out[item.standing] += 1
        return out


def treaty_table(data: ReferenceData, as_of: date) -> TreatyTable:
    """Every State's standing towards ETS 185 and CETS 224 on ``as_of`` (no what-if)."""
    snap = snapshot(data, as_of=as_of, what_if=WhatIf())
    line = timeline(data, as_of)
    rows = {
        treaty: tuple(row(data, record, treaty, snap, line) for _iso, record in sorted(data.states.items()))
        for treaty in (Treaty.ETS_185, Treaty.CETS_224)
    }
    return TreatyTable(as_of, rows, line)
