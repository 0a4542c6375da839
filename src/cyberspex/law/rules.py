"""Rules as data: each rule has an id, a citation, a test and an explicit precedence.

A rule's ``when`` returns true (the rule fires), false (it does not) or ``None`` (it
depends on a fact that is unknown). Precedence between rules is declared with
``overrides``: when a rule fires, the rules it names are displaced, whatever the order
in which they are listed. ``"*"`` displaces every other rule of the route.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from cyberspex.law.citations import Citation
from cyberspex.law.record import Record
from cyberspex.law.scenario import DataCategory, EmergencyKind, Entity, Measure
from cyberspex.law.status import Clock, StateProfile, Tri

EVERY_OTHER_RULE = "*"


class Kind(StrEnum):
    AVAILABILITY = "availability"  # decides the route's status
    REQUIREMENT = "requirement"  # something the sender must do or respect
    NOTIFICATION = "notification"  # someone who must be notified
    DEADLINE = "deadline"
    CHANNEL = "channel"  # who sends to whom
    LANGUAGE = "language"


class Effect(StrEnum):
    BLOCKS = "blocks"  # fires -> unavailable; unknown -> conditional
    CONDITIONS = "conditions"  # fires or unknown -> conditional
    INFORMS = "informs"  # fires -> a reason is shown, the status is unchanged


class ReasonCode(StrEnum):
    """The closed vocabulary of reason codes (documented in docs/route-json.md)."""

    SAME_STATE = "same_state"
    NOT_IN_FORCE = "not_in_force"
    NOT_BOUND = "not_bound"
    EU_INTERNAL = "eu_internal"
    RESERVATION = "reservation"
    DECLARATION = "declaration"
    DATA_NOT_COVERED = "data_not_covered"
    MEASURE_NOT_COVERED = "measure_not_covered"
    EMERGENCY_ONLY = "emergency_only"
    EMERGENCY_KIND = "emergency_kind"
    ENTITY_NOT_COVERED = "entity_not_covered"
    OFFENCE_THRESHOLD = "offence_threshold"
    TREATY_BASIS = "treaty_basis"
    PROVIDER_POLICY = "provider_policy"
    ASSUMPTION = "assumption"
    ADDRESSEE = "addressee"
    INTERPRETATION = "interpretation"


class Side(StrEnum):
    ISSUING = "issuing"
    PROVIDER = "provider"
    BOTH = "both"


class Request(Record):
    """What is asked for: the data, the measure, the emergency and the entity that holds the data."""

    data: DataCategory
    measure: Measure
    emergency: EmergencyKind | None  # None: no emergency
    entity: Entity
    # Regulation (EU) 2023/1543 Art 5(4): whether the offence meets the threshold for
    # traffic and content data (True, False, or None when the user has not said).
    offence_threshold: Tri = None

    @property
    def any_emergency(self) -> bool:
        """An emergency of either kind: the Regulation's sense (Reg 2023/1543 Art 3(18))."""
        return self.emergency is not None

    @property
    def life_emergency(self) -> bool:
        """An emergency in the Protocol's sense (CETS 224 Art 3(2)(c)): life or safety of a person."""
        return self.emergency is EmergencyKind.LIFE


class Context(Record):
    """Everything a rule may read. It holds no State identity, so outcomes can be shared."""

    issuing: StateProfile
    provider: StateProfile
    same_state: bool
    request: Request
    clock: Clock


class Deadline(Record):
    """A time limit a route sets: from which event, and how long (or a standard in words)."""

    event: str
    start: str
    days: int | None = None
    hours: int | None = None
    standard: str | None = None  # a words-only standard, e.g. "rapid basis"


class Channel(Record):
    """Who sends a request to whom, and through what (if anyone)."""

    sender: str
    recipient: str
    via: str | None = None


Test = Callable[[Context], Tri]


class Rule(Record):
    """One condition of a route, with its citation: when it holds, what it means and what follows."""

    id: str
    citation: Citation
    when: Test
    message: str
    kind: Kind = Kind.AVAILABILITY
    effect: Effect = Effect.BLOCKS
    code: str = ""
    side: Side | None = None
    facts: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()
    passed: str | None = None  # plain sentence for --explain when the rule does not fire
    # The message as a possibility, where the automatic modal form (law/certainty.py) would
    # read badly: used when the rule depends on a fact the data do not record.
    hedged: str | None = None
    deadline: Deadline | None = None
    channel: Channel | None = None


def always(_: Context) -> Tri:
    return True


def never(_: Context) -> Tri:
    return False
