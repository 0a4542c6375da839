"""One error hierarchy for the legal core."""

from __future__ import annotations


class LawError(Exception):
    """Base class for every error raised by ``cyberspex.law``."""


class InvalidScenario(LawError):
    """The scenario cannot be evaluated as given (bad value or contradictory facts).

    ``field`` names the offending input, ``value`` the value given and ``accepted``
    the values that would have been accepted, so interfaces can print one clear line.
    """

    def __init__(self, message: str, *, field: str, value: str, accepted: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.field = field
        self.value = value
        self.accepted = accepted
