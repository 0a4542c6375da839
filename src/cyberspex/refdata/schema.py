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


class Treaty(Strict):
    status: Status
    signature: Dated | None = None
    consent: Consent | None = None
    entry_into_force: Dated | None = None
    positions_complete: bool = False
    positions_note: str | None = None
    positions: list[Position] = Field(default_factory=list)

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


class Membership(Strict):
    valid_from: dt.date
    provenance: Provenance
    members: list[str]
    aliases: dict[str, str] = Field(default_factory=dict)


class EuFile(Strict):
    membership: Membership
    cets224_positions: list[Position]


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


class RankingFile(Strict):
    normal: list[RankingRow]
    emergency: list[RankingRow]
