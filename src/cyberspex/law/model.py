"""The reference data as the legal core sees it: frozen records (law/record.py).

``cyberspex.refdata`` validates the YAML shipped in the package and builds these
objects; the core never parses files itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from cyberspex.law.record import Record, field


class Provenance(Record):
    """Where a value comes from and how far it can be trusted.

    ``verified`` is true only for values confirmed against the cited published source
    (tag V or V1). Secondary-source values carry ``secondary=True`` and values computed
    by a rule from other values carry ``derived=True``; both keep ``verified=False``.
    """

    source: str
    url: str
    as_of: date
    verified: bool
    secondary: bool = False
    derived: bool = False
    note: str | None = None


class DatedFact(Record):
    """A dated event (signature, consent, entry into force).

    ``when`` may be unknown (``None``); ``known_by`` then says the event is known to
    have happened on or before that date, which still lets the core decide later dates.
    """

    when: date | None
    provenance: Provenance
    known_by: date | None = None


class Relation(StrEnum):
    PARTY = "party"
    SIGNATORY = "signatory"
    NONE = "none"


class Position(Record):
    """A reservation, declaration, notification or designation, by register code."""

    code: str
    provenance: Provenance
    summary: str
    scope: str | None = None  # e.g. "every_case" / "identified_circumstances" for N-7-5-a
    layer: str = "state"  # "state": made by the State; "eu": EU-mandated position layer
    obligation: str | None = None  # EU layer only: "must" (applied as made) or "may" (left to the State)


class Authority(Record):
    """An authority designated under a provision of a treaty (e.g. "8(10)(a)" of CETS 224,
    "35" of ETS 185), as its source names it, with an optional contact page."""

    provision: str
    name: str
    provenance: Provenance
    contact_url: str | None = None


class TreatyParticipation(Record):
    """A State's relation to one treaty: status, dates, positions and authorities, each with its source."""

    relation: Relation
    relation_provenance: Provenance
    signature: DatedFact | None = None
    consent: DatedFact | None = None
    consent_kind: str | None = None
    entry_into_force: DatedFact | None = None
    positions: Mapping[str, Position] = field(default_factory=dict)
    positions_complete: bool = False
    positions_note: str | None = None
    authorities: tuple[Authority, ...] = ()


class Treaty(StrEnum):
    ETS_185 = "ets185"
    CETS_224 = "cets224"


class StateRecord(Record):
    """A State in the data and its participation in each treaty."""

    iso: str
    name: str
    treaties: Mapping[Treaty, TreatyParticipation]

    def participation(self, treaty: Treaty) -> TreatyParticipation | None:
        return self.treaties.get(treaty)


class InstrumentRecord(Record):
    """An instrument with its key dates and, for EU acts, the Member States it does not bind."""

    id: str
    title: str
    short: str
    url: str
    dates: Mapping[str, DatedFact]
    not_bound: Mapping[str, Provenance] = field(default_factory=dict)
    participation_notes: Mapping[str, Provenance] = field(default_factory=dict)
    consents_for_entry_into_force: int | None = None
    third_state: str | None = None  # an EU agreement with this non-EU State
    consents_provenance: Provenance | None = None  # where consents_for_entry_into_force comes from
    # Entry into force on the first day of the month after this many months from the decisive
    # consent (CETS 224 Art 16(3)-(4)), with where the number comes from.
    entry_into_force_delay_months: int | None = None
    delay_provenance: Provenance | None = None


class RegisterEntry(Record):
    """One row of the CETS 224 register of reservations, declarations and designations."""

    code: str
    provision: str
    type: str  # R, D, N, C
    mandatory: str  # M, C, O
    effect: str
    verified: bool


class Withdrawal(Record):
    """A State that left the Union."""

    left: DatedFact  # first day on which the State is no longer a Member State
    union_law_until: DatedFact | None = None  # last day Union law still applies to it (transition period)


class EuMembership(Record):
    """Membership of the Union by date: each State's accession and any withdrawal."""

    accessions: Mapping[str, DatedFact]  # ISO code -> accession (date, or known_by)
    provenance: Provenance  # the list of current Member States as a whole
    withdrawals: Mapping[str, Withdrawal] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)  # e.g. EL -> GR

    @property
    def members(self) -> frozenset[str]:
        """The current Member States (every State that joined and has not withdrawn)."""
        return frozenset(iso for iso in self.accessions if iso not in self.withdrawals)


class Source(Record):
    """A source the data cites: its title, where to find it and when it was consulted."""

    id: str
    title: str
    url: str
    as_of: date
    note: str | None = None


class RankingEntry(Record):
    """A route's place in the order of preference, with the reason."""

    route: str
    reason: str
    emergency_procedure: bool = False  # emergency order: the route has a procedure for emergencies


class Ranking(Record):
    """The order in which open routes are recommended: normally and in an emergency."""

    normal: tuple[RankingEntry, ...]
    emergency: tuple[RankingEntry, ...]


class PolicyFact(Record):
    """One recorded policy of a provider or registrar (providers.yaml), with its provenance."""

    value: str
    provenance: Provenance


class ProviderRecord(Record):
    """A provider or registrar and the policies recorded for it; an absent policy is not recorded."""

    id: str
    name: str
    kind: str  # provider, registrar, registrar_service
    state: str | None
    services: str | None
    policies: Mapping[str, PolicyFact]  # keyed by refdata.schema.PROVIDER_POLICY_FIELDS names
    notes: tuple[PolicyFact, ...] = ()


class ImplementationProvision(Record):
    """A provision needing a domestic measure or a declaration of each Member State."""

    id: str
    instrument: str  # cets224, dec-2023-436, reg-2023-1543, dir-2023-1544
    title: str
    citation: str
    register: str | None
    due: date | None
    provenance: Provenance


class ImplementationDocument(Record):
    """A document recording a step of a State's implementation (law, bill, notice)."""

    title: str
    url: str | None
    date: date | None


class ImplementationEvent(Record):
    """A State reached ``stage`` (none, draft, adopted, in_force) for a provision on ``date``."""

    state: str
    provision: str
    stage: str
    date: date | None
    documents: tuple[ImplementationDocument, ...]
    provenance: Provenance


class Implementation(Record):
    """The provisions States must implement and the steps each State has taken."""

    provisions: tuple[ImplementationProvision, ...] = ()
    events: tuple[ImplementationEvent, ...] = ()


class ReferenceData(Record, eq=False):
    """Everything the legal core reads: the States, instruments, register, ranking, sources and providers."""

    states: Mapping[str, StateRecord]
    instruments: Mapping[str, InstrumentRecord]
    eu: EuMembership
    eu_positions: Mapping[str, Position]  # EU-mandated CETS 224 positions layer
    register: Mapping[str, RegisterEntry]
    ranking: Ranking
    sources: Mapping[str, Source]
    other_states: Mapping[str, str]  # every other ISO 3166-1 alpha-2 code -> name
    status_date: date  # latest dated treaty event recorded in the data
    providers: Mapping[str, ProviderRecord] = field(default_factory=dict)  # providers.yaml
    implementation: Implementation = field(default_factory=Implementation)  # implementation.yaml

    def state_name(self, iso: str) -> str:
        record = self.states.get(iso)
        return record.name if record else self.other_states[iso]

    def knows_state(self, iso: str) -> bool:
        return iso in self.states or iso in self.other_states

    def state_code(self, value: str) -> str | None:
        """The ISO code a user typed, upper-cased, an EU alias resolved (EL -> GR); None if unknown."""
        code = value.strip().upper()
        code = self.eu.aliases.get(code, code)
        return code if self.knows_state(code) else None
