"""Signatories given as JSON (the command line's ``--signatories FILE``; any interface that
receives them as data): a list of ``{"capacity", "name", "role", "authority", "signed_on"}``."""

from __future__ import annotations

from datetime import date
from typing import Any

from cyberspex.forms.document import CAPACITIES, Signatory

_KEYS = ("capacity", "name", "role", "authority", "signed_on")


class SignatoryError(ValueError):
    """The signatories cannot be read; the message names the entry and the field."""


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise SignatoryError(f"{where}.{key}: expected text, got {type(value).__name__}")
    return value.strip()


def _signatory(entry: Any, where: str) -> Signatory:
    if not isinstance(entry, dict):
        raise SignatoryError(f"{where}: expected an object with {', '.join(_KEYS)}")
    unknown = sorted(set(entry) - set(_KEYS))
    if unknown:
        raise SignatoryError(f"{where}.{unknown[0]}: unknown field (expected {', '.join(_KEYS)})")
    capacity = entry.get("capacity")
    if capacity not in CAPACITIES:
        raise SignatoryError(f"{where}.capacity: expected one of {', '.join(CAPACITIES)}, got {capacity!r}")
    signed_on = None
    if entry.get("signed_on") is not None:
        try:
            signed_on = date.fromisoformat(_text(entry, "signed_on", where))
        except ValueError:
            raise SignatoryError(f"{where}.signed_on: expected a date YYYY-MM-DD, got {entry['signed_on']!r}") from None
    return Signatory(
        capacity,
        name=_text(entry, "name", where),
        role=_text(entry, "role", where),
        authority=_text(entry, "authority", where),
        signed_on=signed_on,
    )


def signatories_from_json(value: Any) -> tuple[Signatory, ...]:
    """The signatories in ``value`` (a JSON list), at most one per capacity."""
    if not isinstance(value, list):
        raise SignatoryError("signatories: expected a list of objects")
    out = tuple(_signatory(entry, f"signatories[{n}]") for n, entry in enumerate(value))
    capacities = [s.capacity for s in out]
    for capacity in CAPACITIES:
        if capacities.count(capacity) > 1:
            raise SignatoryError(f"signatories: more than one {capacity} signatory")
    return out
