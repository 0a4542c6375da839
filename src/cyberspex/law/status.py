"""What the reference data says about each State on a given date, under the what-if switches.

A :class:`StateProfile` holds only resolved, date-independent booleans (true, false or
unknown). It carries no State identity, so two States in the same legal position
share one profile and the route evaluation can be memoised on profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date

from cyberspex.law.errors import LawError
from cyberspex.law.model import ReferenceData, Relation, StateRecord, Treaty, TreatyParticipation
from cyberspex.law.record import Record
from cyberspex.law.scenario import WhatIf
from cyberspex.law.treaty_dates import first_day_after_months, first_day_after_three_months, general_entry_into_force

Tri = bool | None  # True, False, or None for "unknown"

REG = "reg-2023-1543"
EIO = "dir-2014-41"
ETS = "ets-185"
CETS = "cets-224"
DEC = "dec-2023-436"  # Council Decision (EU) 2023/436: the EU-mandated CETS 224 positions


def tri_and(*values: Tri) -> Tri:
    """Kleene conjunction: false wins, then unknown."""
    # A plain loop: the route matrix calls this hundreds of thousands of times.
    unknown = False
    for value in values:
        if value is False:
            return False
        if value is None:
            unknown = True
    return None if unknown else True


def tri_not(value: Tri) -> Tri:
    return None if value is None else not value


def tri_or(*values: Tri) -> Tri:
    """Kleene disjunction: true wins, then unknown."""
    unknown = False
    for value in values:
        if value is True:
            return True
        if value is None:
            unknown = True
    return None if unknown else False


class TreatyStatus(Record):
    """A State's standing under one treaty on the date: relation, consent and whether it is bound."""

    relation: Relation | None  # on as_of (relation_on): None when the recorded dates cannot tell
    consented: Tri  # consent to be bound given on or before as_of (or assumed)
    bound: Tri  # the treaty is in force for this State at as_of
    assumed: bool = False  # consent comes from a what-if switch
    acceded: bool = False  # consent by accession (ETS 185 Art 37), not by ratification (Art 36)


class StateProfile(Record):
    """What the rules read about one State on the date: membership, instruments and treaty standing."""

    eu_member: Tri  # a Member State on the date (from its accession until its withdrawal)
    reg_bound: Tri
    eio_bound: Tri
    ets185: TreatyStatus
    cets224: TreatyStatus
    positions: tuple[tuple[str, Tri, str | None], ...]  # CETS 224: (code, made, scope)
    ets_positions: tuple[tuple[str, Tri], ...]  # ETS 185: (code, made)
    # Agreements of the European Union with this (non-EU) State, and whether each is in force
    # on as_of: (instrument id, in force), e.g. ("eu-us-mla", True).
    eu_agreements: tuple[tuple[str, Tri], ...] = ()

    def position(self, code: str) -> Tri:
        for known, made, _scope in self.positions:
            if known == code:
                return made
        raise KeyError(code)

    def position_scope(self, code: str) -> str | None:
        for known, _made, scope in self.positions:
            if known == code:
                return scope
        raise KeyError(code)

    def eu_agreement(self, instrument: str) -> Tri:
        """Whether the Union's agreement ``instrument`` with this State is in force (False: none)."""
        return next((in_force for known, in_force in self.eu_agreements if known == instrument), False)

    def ets_position(self, code: str) -> Tri:
        for known, made in self.ets_positions:
            if known == code:
                return made
        raise KeyError(code)


class Clock(Record):
    """Instrument-level facts at ``as_of``."""

    reg_applicable: bool
    eio_applicable: bool
    ets185_in_force: bool
    cets224_in_force: bool  # really in force at as_of, or assumed so by the what-if switch
    cets224_assume_in_force: bool  # the --assume-in-force switch is on
    cets224_entry_into_force: date | None  # computed from Art 16(3); None if fewer than 5 consents
    cets224_consents: int  # consents counted at as_of, real and assumed
    cets224_delay_months: int = 3  # Art 16(3)-(4): months from the decisive consent (instruments.yaml)


ETS_POSITION_CODES = ("R-29-4", "D-27-9-e")


class Snapshot(Record):
    """Profiles of every State in the data, and the clock, at one date under one what-if."""

    as_of: date
    what_if: WhatIf
    clock: Clock
    profiles: Mapping[str, StateProfile]
    assumed_consents: frozenset[str]
    none_profile: StateProfile  # any other ISO 3166-1 State: bound by none of the instruments

    def profile(self, iso: str) -> StateProfile:
        return self.profiles.get(iso, self.none_profile)


def _event_before(fact_when: date | None, known_by: date | None, as_of: date) -> Tri:
    if fact_when is not None:
        return fact_when <= as_of
    if known_by is not None and known_by <= as_of:
        return True
    return None


def eu_member_on(data: ReferenceData, iso: str, as_of: date) -> Tri:
    """Whether ``iso`` is an EU Member State on ``as_of``: from its accession until its withdrawal."""
    accession = data.eu.accessions.get(iso)
    if accession is None:
        return False
    joined = _event_before(accession.when, accession.known_by, as_of)
    withdrawal = data.eu.withdrawals.get(iso)
    if withdrawal is None or withdrawal.left.when is None:
        return joined
    return tri_and(joined, as_of < withdrawal.left.when)


def union_law_applies(data: ReferenceData, iso: str, as_of: date) -> Tri:
    """Whether Union law applies to and in ``iso`` on ``as_of``: a Member State, or a former
    Member State during the transition period after its withdrawal (for the United Kingdom,
    Withdrawal Agreement Arts 126-127)."""
    member = eu_member_on(data, iso, as_of)
    withdrawal = data.eu.withdrawals.get(iso)
    if member is not False or withdrawal is None or withdrawal.union_law_until is None:
        return member
    left, until = withdrawal.left.when, withdrawal.union_law_until.when
    if left is None or until is None:
        return None
    return left <= as_of <= until


def eu_layer_applies(data: ReferenceData, iso: str, eu_member: Tri) -> Tri:
    """Whether the EU-mandated CETS 224 positions apply: a Member State bound by Council
    Decision (EU) 2023/436 (Denmark is not, Protocol No 22)."""
    decision = data.instruments.get(DEC)
    return tri_and(eu_member, decision is None or iso not in decision.not_bound)


def relation_on(part: TreatyParticipation | None, as_of: date) -> Relation | None:
    """The State's relation to the treaty on ``as_of``, read on the recorded dates: a Party
    from its consent to be bound, a signatory from its signature, none before (whatever it
    is today). ``None`` when a date that would decide is not recorded."""
    if part is None or part.relation is Relation.NONE:
        return Relation.NONE
    if part.relation is Relation.PARTY:
        consent = part.consent
        consented = _event_before(consent.when, consent.known_by, as_of) if consent else None
        if consented is not False:
            return Relation.PARTY if consented else None
    signature = part.signature
    if signature is None:  # consent by accession, without signature
        return Relation.NONE
    signed = _event_before(signature.when, signature.known_by, as_of)
    if signed is None:
        return None
    return Relation.SIGNATORY if signed else Relation.NONE


def _ets185_status(part: TreatyParticipation | None, as_of: date, general: date) -> TreatyStatus:
    relation = relation_on(part, as_of)
    if part is None or part.relation is not Relation.PARTY:
        return TreatyStatus(relation, False, False)
    consent = part.consent
    consented = _event_before(consent.when, consent.known_by, as_of) if consent else None
    acceded = part.consent_kind == "accession"
    eif = part.entry_into_force
    if eif is not None and eif.when is not None:
        return TreatyStatus(relation, consented, eif.when <= as_of, acceded=acceded)
    # Entry-into-force date not recorded: compute it from the consent with the Art 36(4) /
    # 37(2) formula; if only a date by which the consent is known to have happened is
    # recorded, the Convention is certainly in force from the date computed from it.
    if consent is not None and consent.when is not None:
        bound = max(first_day_after_three_months(consent.when), general) <= as_of
        return TreatyStatus(relation, consented, bound, acceded=acceded)
    if consent is not None and consent.known_by is not None and first_day_after_three_months(consent.known_by) <= as_of:
        return TreatyStatus(relation, consented, True, acceded=acceded)
    return TreatyStatus(relation, consented, None, acceded=acceded)


def _real_consent(record: StateRecord | None, as_of: date) -> date | None:
    part = record.participation(Treaty.CETS_224) if record else None
    if part is None or part.consent is None or part.consent.when is None:
        return None
    return part.consent.when if part.consent.when <= as_of else None


def _assumed(data: ReferenceData, as_of: date, what_if: WhatIf) -> frozenset[str]:
    named = set(what_if.assume_ratified)
    if what_if.assume_all_signatories:
        for iso, record in data.states.items():
            part = record.participation(Treaty.CETS_224)
            if part and part.signature and part.signature.when and part.signature.when <= as_of:
                named.add(iso)
    return frozenset(iso for iso in named if _real_consent(data.states.get(iso), as_of) is None)


def _date(data: ReferenceData, instrument: str, key: str) -> date:
    when = data.instruments[instrument].dates[key].when
    if when is None:  # refdata.check rejects such data; this guards direct callers
        raise LawError(f"{instrument}.{key} must be a known date")
    return when


def _clock(data: ReferenceData, as_of: date, what_if: WhatIf, consents: list[date]) -> Clock:
    def starts(instrument: str, key: str) -> date:
        return _date(data, instrument, key)

    needed = data.instruments[CETS].consents_for_entry_into_force or 5
    months = data.instruments[CETS].entry_into_force_delay_months or 3
    eif = general_entry_into_force(consents, needed=needed, months=months)
    real_in_force = eif is not None and eif <= as_of
    return Clock(
        reg_applicable=as_of >= starts(REG, "applicable_from"),
        eio_applicable=as_of >= starts(EIO, "applicable_from"),
        ets185_in_force=as_of >= starts(ETS, "entry_into_force"),
        cets224_in_force=real_in_force or what_if.assume_in_force,
        cets224_assume_in_force=what_if.assume_in_force,
        cets224_entry_into_force=eif,
        cets224_consents=len(consents),
        cets224_delay_months=months,
    )


def snapshot(data: ReferenceData, *, as_of: date, what_if: WhatIf) -> Snapshot:
    """Resolve every State's position at ``as_of`` under ``what_if``."""
    assumed = _assumed(data, as_of, what_if)
    real = {iso: c for iso in data.states if (c := _real_consent(data.states[iso], as_of))}
    consents = {**real, **dict.fromkeys(assumed, as_of)}
    clock = _clock(data, as_of, what_if, list(consents.values()))

    def profile(record: StateRecord) -> StateProfile:
        iso = record.iso
        return _profile(data, record=record, as_of=as_of, clock=clock, consent=consents.get(iso), assumed=iso in assumed)

    none = _profile(data, record=None, as_of=as_of, clock=clock, consent=None, assumed=False)
    return Snapshot(as_of, what_if, clock, _Profiles(data.states, profile), assumed, none)


class _Profiles(Mapping[str, StateProfile]):
    """Each State's profile, resolved when first asked for and then kept: a route query reads
    two of them, the route matrix every one. A profile depends only on the data, the date, the
    clock and the consents, all settled before the first is asked for."""

    __slots__ = ("_found", "_make", "_states")

    def __init__(self, states: Mapping[str, StateRecord], make: Callable[[StateRecord], StateProfile]) -> None:
        self._states = states
        self._make = make
        self._found: dict[str, StateProfile] = {}

    def __getitem__(self, iso: str) -> StateProfile:
        found = self._found.get(iso)
        if found is None:
            found = self._found[iso] = self._make(self._states[iso])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._states)

    def __len__(self) -> int:
        return len(self._states)


def _profile(
    data: ReferenceData,
    *,
    record: StateRecord | None,
    as_of: date,
    clock: Clock,
    consent: date | None,
    assumed: bool,
) -> StateProfile:
    iso = record.iso if record else ""
    # Membership by date (a State absent from the data was never a Member State); the EU
    # instruments bind while Union law applies to the State, transition period included.
    eu_member = eu_member_on(data, iso, as_of)
    union_law = union_law_applies(data, iso, as_of)
    cets_part = record.participation(Treaty.CETS_224) if record else None
    cets = _cets224_status(cets_part, consent, assumed, clock, as_of)
    return StateProfile(
        eu_member=eu_member,
        reg_bound=_eu_bound(data, REG, iso, union_law),
        eio_bound=_eu_bound(data, EIO, iso, union_law),
        ets185=_ets185_status(
            record.participation(Treaty.ETS_185) if record else None, as_of, _date(data, ETS, "entry_into_force")
        ),
        cets224=cets,
        positions=_cets_positions(data, cets_part, cets, eu_layer_applies(data, iso, eu_member)),
        ets_positions=_ets_positions(record),
        eu_agreements=_eu_agreements(data, iso, as_of),
    )


def _eu_agreements(data: ReferenceData, iso: str, as_of: date) -> tuple[tuple[str, Tri], ...]:
    """The Union's agreements with ``iso`` and whether each is in force on ``as_of``."""
    out: list[tuple[str, Tri]] = []
    for key, instrument in sorted(data.instruments.items()):
        if not iso or instrument.third_state != iso:
            continue
        eif = instrument.dates.get("entry_into_force")
        in_force = _event_before(eif.when, eif.known_by, as_of) if eif is not None else None
        out.append((key, in_force))
    return tuple(out)


def _eu_bound(data: ReferenceData, instrument: str, iso: str, union_law: Tri) -> Tri:
    if union_law is not True:
        return union_law
    return iso not in data.instruments[instrument].not_bound


def _cets224_status(
    part: TreatyParticipation | None, consent: date | None, assumed: bool, clock: Clock, as_of: date
) -> TreatyStatus:
    relation = relation_on(part, as_of)
    if consent is None:
        return TreatyStatus(relation, False, False)
    if clock.cets224_assume_in_force:
        # What-if: the Protocol is treated as in force for every consenting State.
        return TreatyStatus(relation, True, True, assumed)
    general = clock.cets224_entry_into_force
    if general is None or general > as_of:
        return TreatyStatus(relation, True, False, assumed)
    starts = max(first_day_after_months(consent, clock.cets224_delay_months), general)  # Art 16(3)-(4)
    return TreatyStatus(relation, True, starts <= as_of, assumed)


def _cets_positions(
    data: ReferenceData, part: TreatyParticipation | None, status: TreatyStatus, eu_layer: Tri
) -> tuple[tuple[str, Tri, str | None], ...]:
    """Each register code: made, not made or unknown. A State's own recorded position comes
    first; then the EU layer (``eu_layer``: the State is bound by Decision (EU) 2023/436):
    a ``must`` position is applied as made, a ``may`` position is the State's own choice and
    stays unknown until recorded (or not made where the State's list is complete)."""
    out: list[tuple[str, Tri, str | None]] = []
    treated_as_party = status.consented is True
    complete = part is not None and part.positions_complete
    closed_world = status.assumed or complete
    for code in data.register:
        made: Tri
        scope: str | None = None
        eu = data.eu_positions.get(code) if eu_layer is not False else None
        if not treated_as_party:
            made = False
        elif part is not None and code in part.positions:
            made, scope = True, part.positions[code].scope
        elif eu is not None and eu.obligation == "must":
            made, scope = (True, eu.scope) if eu_layer is True else (None, None)
        elif eu is not None:
            made = False if complete else None
        else:
            made = False if closed_world else None
        out.append((code, made, scope))
    return tuple(out)


def _ets_positions(record: StateRecord | None) -> tuple[tuple[str, Tri], ...]:
    part = record.participation(Treaty.ETS_185) if record else None
    if part is None or part.relation is not Relation.PARTY:
        return tuple((code, False) for code in ETS_POSITION_CODES)
    known = part.positions
    return tuple((code, True if code in known else (False if part.positions_complete else None)) for code in ETS_POSITION_CODES)
