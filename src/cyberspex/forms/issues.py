"""Validation results."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    path: str  # JSON path, e.g. "$.offences[0].provisions"
    citation: str
    code: str
    severity: Severity
    message: str
    rule: str = "schema"  # id of the quality rule, or "schema" for layer (a)

    def as_json(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


def json_path(parts: list[str | int] | tuple[str | int, ...]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
