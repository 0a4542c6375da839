"""Schemas of the reference-data files. Unknown keys are errors, dates must be ISO dates."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ISO_CODE = r"^[A-Z]{2}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Provenance(Strict):
    source: str
    as_of: dt.date
    verified: bool
    secondary: bool = False
    derived: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _verified_means_primary(self) -> Provenance:
        if self.verified and (self.secondary or self.derived):
            raise ValueError("a secondary or derived value cannot be verified")
        return self


class Dated(Provenance):
    date: dt.date | None = None
    known_by: dt.date | None = None

    @model_validator(mode="after")
    def _date_or_known_by(self) -> Dated:
        if self.date is not None and self.known_by is not None:
            raise ValueError("give either date or known_by, not both")
        return self


class Consent(Dated):
    kind: Literal["ratification", "accession", "acceptance", "approval"]


class Status(Provenance):
    value: Literal["party", "signatory"]


class Position(Provenance):
    code: str
    summary: str
    scope: Literal["every_case", "identified_circumstances"] | None = None


class EuPosition(Position):
    """A CETS 224 position in the EU layer: ``must`` is applied as made for every Member
    State bound by the Decision; ``may`` is left to each Member State (unknown until the
    State's own choice is recorded)."""

    obligation: Literal["must", "may"]


# The authorities a State designates, by provision of the treaty (the registers of the portal).
ETS185_AUTHORITY_PROVISIONS = ("27(2)", "35")
CETS224_AUTHORITY_PROVISIONS = ("6(6)", "7(5)(e)", "8(10)(a)", "8(10)(b)", "10(5)", "14(7)(c)", "14(10)(b)")


class Authority(Provenance):
    """An authority a State designated under a provision of the treaty: ETS 185 Art 27(2) central
    authority, Art 35 24/7 point of contact; CETS 224 Arts 6(6), 7(5)(e), 8(10)(a)/(b), 14(7)(c),
    14(10)(b), and the informal Art 10(5) directory. Only as the cited source names it."""

    provision: str
    name: str = Field(min_length=1)
    contact_url: str | None = None


class Treaty(Strict):
    status: Status
    signature: Dated | None = None
    consent: Consent | None = None
    entry_into_force: Dated | None = None
    positions_complete: bool = False
    positions_note: str | None = None
    positions: list[Position] = Field(default_factory=list)
    authorities: list[Authority] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Treaty:
        if self.status.value == "party" and self.consent is None:
            raise ValueError("a party needs a consent entry (date may be null with known_by)")
        if self.status.value == "signatory" and self.consent is not None:
            raise ValueError("a signatory has no consent to be bound")
        codes = [p.code for p in self.positions]
        if len(codes) != len(set(codes)):
            raise ValueError("a position code is listed twice")
        return self


class StateFile(Strict):
    iso: str = Field(pattern=ISO_CODE)
    name: str
    ets185: Treaty | None = None
    cets224: Treaty | None = None

    @model_validator(mode="after")
    def _authority_provisions(self) -> StateFile:
        for treaty, allowed in (("ets185", ETS185_AUTHORITY_PROVISIONS), ("cets224", CETS224_AUTHORITY_PROVISIONS)):
            part: Treaty | None = getattr(self, treaty)
            for authority in part.authorities if part else ():
                if authority.provision not in allowed:
                    raise ValueError(
                        f"{treaty}: an authority under {authority.provision!r}: the provision must be one of {', '.join(allowed)}"
                    )
        return self


SourceKind = Literal["official", "official-copy", "secondary"]
"""What a source is worth as evidence of a legal fact.

``official``: the depositary's record (CoE Treaty Office), the Official Journal or EUR-Lex,
an official national treaty record or gazette, or an official text published by its author.
``official-copy``: an exact copy of an official text held elsewhere; the entry records the
official URL in ``official_url``. ``secondary``: anything else (news, including an
organisation's own news items, mirrors, third-party copies, summaries, law-firm notes).
"""


class Source(Strict):
    title: str
    url: str | None
    as_of: dt.date
    kind: SourceKind
    kind_note: str | None = None
    official_url: str | None = None
    as_of_note: str | None = None
    document: str | None = None

    @model_validator(mode="after")
    def _locatable(self) -> Source:
        if not self.url and not self.document:
            raise ValueError("a source needs a url or a document reference")
        if self.kind == "official-copy" and not self.official_url:
            raise ValueError("an official-copy source must record the official_url of the text it copies")
        return self


class Count(Provenance):
    value: int = Field(ge=1)


class Instrument(Strict):
    title: str
    short: str
    url: str
    dates: dict[str, Dated]
    not_bound: dict[str, Provenance] = Field(default_factory=dict)
    participation_notes: dict[str, Provenance] = Field(default_factory=dict)
    consents_for_entry_into_force: Count | None = None
    # The period, in months, after the decisive consent at whose expiry the treaty enters
    # into force (on the first day of the following month), e.g. CETS 224 Art 16(3)-(4).
    entry_into_force_delay_months: Count | None = None
    # An agreement of the European Union with one non-EU State (e.g. on mutual legal
    # assistance): the ISO code of that State. It binds the Union's Member States towards it.
    third_state: str | None = None


class Accession(Dated):
    """States that became Member States on one date (or, with ``known_by``, by then)."""

    states: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _dated(self) -> Accession:
        if self.date is None and self.known_by is None:
            raise ValueError("an accession needs a date or a known_by date")
        return self


class Withdrawal(Strict):
    """A State that left the Union: ``left`` is the first day it is no longer a Member
    State; ``union_law_until`` the last day of a transition period during which Union law
    still applies to and in it."""

    left: Dated
    union_law_until: Dated | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Withdrawal:
        if self.left.date is None:
            raise ValueError("a withdrawal needs its exact date")
        end = self.union_law_until
        if end is not None and (end.date is None or end.date < self.left.date):
            raise ValueError("union_law_until must be a date on or after the withdrawal")
        return self


class Membership(Strict):
    provenance: Provenance  # the list of current Member States as a whole
    accessions: list[Accession]
    withdrawals: dict[str, Withdrawal] = Field(default_factory=dict)
    aliases: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _once(self) -> Membership:
        listed = [iso for accession in self.accessions for iso in accession.states]
        if len(listed) != len(set(listed)):
            raise ValueError("a State is listed in more than one accession")
        return self


class EuFile(Strict):
    membership: Membership
    cets224_positions: list[EuPosition]


class RegisterRow(Strict):
    code: str
    provision: str
    type: Literal["R", "D", "N", "C"]
    mandatory: Literal["M", "C", "O"]
    effect: str
    verified: bool


class RankingRow(Strict):
    route: str
    reason: str
    # Emergency order only: does the route have a procedure for emergencies (a deadline
    # in hours or "rapid basis")? When the recommended route has none, the advice names
    # the faster channels to use first.
    emergency_procedure: bool | None = None


class RankingFile(Strict):
    normal: list[RankingRow]
    emergency: list[RankingRow]

    @model_validator(mode="after")
    def _emergency_procedure_only_in_emergency(self) -> RankingFile:
        if any(row.emergency_procedure is not None for row in self.normal):
            raise ValueError("emergency_procedure is stated only in the emergency order")
        missing = [row.route for row in self.emergency if row.emergency_procedure is None]
        if missing:
            raise ValueError(f"the emergency order must state emergency_procedure for every route; missing: {missing}")
        return self


# -- providers.yaml: provider and registrar policies (issue 11, /providers/) -------------------

PROVIDER_POLICY_FIELDS: tuple[str, ...] = (
    "languages",
    "electronic_submission",
    "user_notification",
    "confidentiality",
    "emergency_disclosure",
    "rdap_access",
    "eu_establishment",
)


class PolicyValue(Provenance):
    """One recorded policy of a provider or registrar, as its source states it."""

    value: str = Field(min_length=1)


class ProviderEntry(Strict):
    """A provider or registrar (or a service registrars take part in). A policy not recorded is
    absent: the portal shows "not recorded", never a guess."""

    name: str
    kind: Literal["provider", "registrar", "registrar_service"]
    state: str | None = Field(default=None, pattern=ISO_CODE)
    services: str | None = None
    languages: PolicyValue | None = None
    electronic_submission: PolicyValue | None = None
    user_notification: PolicyValue | None = None
    confidentiality: PolicyValue | None = None
    emergency_disclosure: PolicyValue | None = None
    rdap_access: PolicyValue | None = None
    eu_establishment: PolicyValue | None = None  # Directive (EU) 2023/1544 designated establishment / legal representative
    notes: list[PolicyValue] = Field(default_factory=list)


class ProvidersFile(Strict):
    providers: dict[str, ProviderEntry]


# -- implementation.yaml: the implementation tracker (issue 11, /implementation/) --------------

ImplementationStage = Literal["none", "draft", "adopted", "in_force"]


class ImplementationProvision(Provenance):
    """A provision that needs a domestic measure or a declaration of each Member State."""

    id: str = Field(pattern=r"^[A-Za-z0-9-]+$")
    instrument: Literal["cets224", "dec-2023-436", "reg-2023-1543", "dir-2023-1544"]
    title: str
    citation: str
    register_code: str | None = None  # the CETS 224 register code (cets224-register.yaml), if any
    due: dt.date | None = None


class ImplementationDocument(Strict):
    title: str
    url: str | None = None
    date: dt.date | None = None


class ImplementationEvent(Provenance):
    """A State reached ``stage`` for a provision on ``date`` (null: the day is not recorded)."""

    state: str = Field(pattern=ISO_CODE)
    provision: str
    stage: ImplementationStage
    date: dt.date | None = None
    documents: list[ImplementationDocument] = Field(default_factory=list)


class ImplementationFile(Strict):
    provisions: list[ImplementationProvision]
    events: list[ImplementationEvent] = Field(default_factory=list)
