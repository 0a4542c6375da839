"""Resolve the fact keys that rules name into values with provenance, for one scenario."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cyberspex.law.model import DatedFact, Provenance, ReferenceData, Relation, Treaty, TreatyParticipation


@dataclass(frozen=True, slots=True)
class FactUse:
    label: str
    value: str
    provenance: Provenance | None  # None: derived from the other facts listed, no own source

    @property
    def verified(self) -> bool:
        return self.provenance is not None and self.provenance.verified


TREATY_KEYS = {"ets185": Treaty.ETS_185, "cets224": Treaty.CETS_224}
INSTRUMENT_FACTS = {
    "instrument.reg-2023-1543.applicable_from": ("reg-2023-1543", "applicable_from"),
    "instrument.dir-2014-41.applicable_from": ("dir-2014-41", "applicable_from"),
    "instrument.ets-185.entry_into_force": ("ets-185", "entry_into_force"),
    "instrument.eu-us-mla.entry_into_force": ("eu-us-mla", "entry_into_force"),
    "instrument.eu-jp-mla.entry_into_force": ("eu-jp-mla", "entry_into_force"),
}


def _dated(label: str, fact: DatedFact | None) -> list[FactUse]:
    if fact is None:
        return []
    if fact.when is not None:
        return [FactUse(label, fact.when.isoformat(), fact.provenance)]
    known = f"date not recorded; known by {fact.known_by.isoformat()}" if fact.known_by else "date not recorded"
    return [FactUse(label, known, fact.provenance)]


def _participation(name: str, short: str, part: TreatyParticipation | None) -> list[FactUse]:
    if part is None:
        return [FactUse(f"{name}: {short} status", Relation.NONE.value, None)]
    uses = [FactUse(f"{name}: {short} status", part.relation.value, part.relation_provenance)]
    uses += _dated(f"{name}: {short} signature", part.signature)
    uses += _dated(f"{name}: {short} {part.consent_kind or 'consent'}", part.consent)
    uses += _dated(f"{name}: {short} entry into force", part.entry_into_force)
    return uses


def _eu_facts(data: ReferenceData, iso: str, name: str, path: str, as_of: date) -> list[FactUse]:
    if path == "eu_member":
        known = as_of >= data.eu.valid_from or iso not in data.states
        value = str(iso in data.eu.members).lower() if known else f"unknown before {data.eu.valid_from.isoformat()}"
        return [FactUse(f"{name}: EU Member State", value, data.eu.provenance)]
    instrument = data.instruments["reg-2023-1543" if path == "reg_bound" else "dir-2014-41"]
    if iso in instrument.not_bound:
        return [FactUse(f"{name}: not bound by {instrument.short}", "true", instrument.not_bound[iso])]
    if iso in instrument.participation_notes:
        return [FactUse(f"{name}: bound by {instrument.short}", "true", instrument.participation_notes[iso])]
    return []


def _state_facts(data: ReferenceData, iso: str, path: str, as_of: date) -> list[FactUse]:
    name = f"{data.state_name(iso)} ({iso})"
    if path in ("eu_member", "reg_bound", "eio_bound"):
        return _eu_facts(data, iso, name, path, as_of)
    treaty_key, _, rest = path.partition(".")
    treaty = TREATY_KEYS[treaty_key]
    record = data.states.get(iso)
    part = record.participation(treaty) if record else None
    short = "ETS 185" if treaty is Treaty.ETS_185 else "CETS 224"
    if not rest:
        return _participation(name, short, part)
    return _position(data, iso, name=name, short=short, part=part, code=rest.removeprefix("position."))


def _position(
    data: ReferenceData, iso: str, *, name: str, short: str, part: TreatyParticipation | None, code: str
) -> list[FactUse]:
    if part is not None and code in part.positions:
        position = part.positions[code]
        return [FactUse(f"{name}: {short} {code}", position.summary, position.provenance)]
    if short == "CETS 224" and code in data.eu_positions and iso in data.eu.members:
        position = data.eu_positions[code]
        return [FactUse(f"{name}: {short} {code} (EU-mandated position)", position.summary, position.provenance)]
    if part is not None and part.positions_complete:
        return [FactUse(f"{name}: {short} {code}", "not made (the list of positions is complete)", None)]
    note = f"; {part.positions_note}" if part is not None and part.positions_note else ""
    return [FactUse(f"{name}: {short} {code}", f"not recorded (the list of positions is incomplete{note})", None)]


def resolve(data: ReferenceData, key: str, *, issuing: str, provider: str, consents: list[date], as_of: date) -> list[FactUse]:
    """Return the facts behind ``key`` (e.g. ``"provider.cets224.position.R-7-9-a"``)."""
    if key in INSTRUMENT_FACTS:
        instrument, which = INSTRUMENT_FACTS[key]
        record = data.instruments[instrument]
        return _dated(f"{record.short}: {which.replace('_', ' ')}", record.dates[which])
    if key == "instrument.cets-224.consents":
        counted = ", ".join(d.isoformat() for d in sorted(consents)) or "none"
        return [FactUse("CETS 224: consents to be bound counted", counted, None)]
    side, _, path = key.partition(".")
    return _state_facts(data, issuing if side == "issuing" else provider, path, as_of)
