"""The facts of one request: who asks whom, for what, when, and under which what-if."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from cyberspex.law.errors import InvalidScenario
from cyberspex.law.record import Record


class DataCategory(StrEnum):
    SUBSCRIBER = "subscriber"
    IDENTIFICATION = "identification"  # EU: data requested only to identify the user
    TRAFFIC = "traffic"
    CONTENT = "content"
    DOMAIN_REGISTRATION = "domain_registration"


class Measure(StrEnum):
    PRODUCTION = "production"
    PRESERVATION = "preservation"


class EmergencyKind(StrEnum):
    """What an emergency threatens; the instruments define emergency differently.

    Regulation (EU) 2023/1543 Art 3(18) covers an imminent threat to the life, physical
    integrity or safety of a person *and* an imminent threat to a critical infrastructure
    whose disruption would create such a threat. CETS 224 Art 3(2)(c) covers only a
    significant and imminent risk to the life or safety of a natural person. See
    docs/adr/0011-two-kinds-of-emergency.md.
    """

    LIFE = "life"  # a threat to the life, physical integrity or safety of a person
    INFRASTRUCTURE = "infrastructure"  # a threat to a critical infrastructure only


class Entity(StrEnum):
    SERVICE_PROVIDER = "service_provider"
    REGISTRAR = "registrar"


ALL_SIGNATORIES = "all-signatories"


class WhatIf(Record):
    """Planning switches. They never change the data, only how the core reads it."""

    assume_in_force: bool = False
    assume_ratified: frozenset[str] = frozenset()
    assume_all_signatories: bool = False

    @property
    def active(self) -> bool:
        return self.assume_in_force or bool(self.assume_ratified) or self.assume_all_signatories


class Scenario(Record):
    """The facts of one request as the user gives them, and the what-if assumptions."""

    issuing: str
    provider_state: str
    data: DataCategory
    as_of: date
    measure: Measure = Measure.PRODUCTION
    emergency: EmergencyKind | None = None  # None: no emergency
    entity: Entity = Entity.SERVICE_PROVIDER
    what_if: WhatIf = WhatIf()
    offence_threshold: bool | None = None  # Reg 2023/1543 Art 5(4) met? None: not stated


def default_entity(data: DataCategory) -> Entity:
    """Registration data is held by registrars and registries; everything else by providers."""
    return Entity.REGISTRAR if data is DataCategory.DOMAIN_REGISTRATION else Entity.SERVICE_PROVIDER


def check_consistency(data: DataCategory, entity: Entity) -> None:
    """Reject combinations the Protocol's split between Art 6 and Arts 7-9 rules out.

    Art 6 concerns entities providing domain name registration services and the
    registration information they hold; Arts 7-9 concern service providers. See
    docs/adr/0002-entity-and-data-category.md.
    """
    if entity is Entity.REGISTRAR and data is not DataCategory.DOMAIN_REGISTRATION:
        raise InvalidScenario(
            f"--entity registrar cannot be combined with --data {data}: a registrar holds domain registration data only",
            field="data",
            value=str(data),
            accepted=(str(DataCategory.DOMAIN_REGISTRATION),),
        )
    if data is DataCategory.DOMAIN_REGISTRATION and entity is not Entity.REGISTRAR:
        raise InvalidScenario(
            "--data domain_registration requires --entity registrar",
            field="entity",
            value=str(entity),
            accepted=(str(Entity.REGISTRAR),),
        )
