"""Resolve the fact keys that rules name into values with provenance, for one scenario."""

from __future__ import annotations

from datetime import date

from cyberspex.law.model import DatedFact, Provenance, ReferenceData, Relation, Treaty, TreatyParticipation
from cyberspex.law.record import Record
from cyberspex.law.status import DEC, eu_layer_applies, eu_member_on, relation_on, union_law_applies


class FactUse(Record):
    """A fact a result relied on, with the source it comes from."""

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


def _participation(name: str, short: str, part: TreatyParticipation | None, as_of: date) -> list[FactUse]:
    if part is None:
        return [FactUse(f"{name}: {short} status", Relation.NONE.value, None)]
    # The relation on the date, from the recorded signature and consent; today's relation
    # (the source's record) is named when it differs.
    on_date = relation_on(part, as_of)
    value = part.relation.value
    if on_date is not part.relation:
        then = on_date.value if on_date is not None else "not recorded"
        value = f"{then} on {as_of.isoformat()} (recorded today: {part.relation.value})"
    uses = [FactUse(f"{name}: {short} status", value, part.relation_provenance)]
    uses += _dated(f"{name}: {short} signature", part.signature)
    uses += _dated(f"{name}: {short} {part.consent_kind or 'consent'}", part.consent)
    uses += _dated(f"{name}: {short} entry into force", part.entry_into_force)
    return uses


def _membership(data: ReferenceData, iso: str, name: str, as_of: date) -> list[FactUse]:
    """Whether the State is a Member State on the date, with its accession and any withdrawal."""
    member = eu_member_on(data, iso, as_of)
    value = {True: "true", False: "false", None: "unknown on this date"}[member]
    accession = data.eu.accessions.get(iso)
    if accession is None:
        return [FactUse(f"{name}: EU Member State", value, data.eu.provenance)]
    uses = [FactUse(f"{name}: EU Member State", value, None)]
    uses += _dated(f"{name}: accession to the EU", accession)
    withdrawal = data.eu.withdrawals.get(iso)
    if withdrawal is not None:
        uses += _dated(f"{name}: withdrawal from the EU (first day as a non-member)", withdrawal.left)
        uses += _dated(f"{name}: Union law applies until (transition period)", withdrawal.union_law_until)
    return uses


def _eu_facts(data: ReferenceData, iso: str, name: str, path: str, as_of: date) -> list[FactUse]:
    if path == "eu_member":
        return _membership(data, iso, name, as_of)
    instrument = data.instruments["reg-2023-1543" if path == "reg_bound" else "dir-2014-41"]
    if union_law_applies(data, iso, as_of) is not True:
        return []
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
        return _participation(name, short, part, as_of)
    code = rest.removeprefix("position.")
    if short == "CETS 224" and (part is None or code not in part.positions) and code in data.eu_positions:
        eu = _eu_position(data, iso, name=name, code=code, as_of=as_of)
        if eu:
            return eu
    return _position(name=name, short=short, part=part, code=code)


def _eu_position(data: ReferenceData, iso: str, *, name: str, code: str, as_of: date) -> list[FactUse]:
    """The EU layer's say on a CETS 224 position the State has not recorded itself."""
    position = data.eu_positions[code]
    applies = eu_layer_applies(data, iso, eu_member_on(data, iso, as_of))
    decision = data.instruments.get(DEC)
    if applies is False and decision is not None and iso in decision.not_bound:
        return [
            FactUse(
                f"{name}: not bound by {decision.short}; the EU-mandated CETS 224 {code} does not apply",
                "true",
                decision.not_bound[iso],
            )
        ]
    if applies is False:
        return []
    if position.obligation == "may":
        label = f"{name}: CETS 224 {code} (left to each Member State by the EU layer)"
        return [FactUse(label, f"{position.summary}; the State's own choice is not recorded", position.provenance)]
    if applies is None:
        return [
            FactUse(f"{name}: CETS 224 {code} (EU-mandated position)", "EU membership unknown on this date", position.provenance)
        ]
    return [FactUse(f"{name}: CETS 224 {code} (EU-mandated position)", position.summary, position.provenance)]


def _position(*, name: str, short: str, part: TreatyParticipation | None, code: str) -> list[FactUse]:
    if part is not None and code in part.positions:
        position = part.positions[code]
        return [FactUse(f"{name}: {short} {code}", position.summary, position.provenance)]
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
