"""Checks on identifiers (case references, the identifiers of a case): not blank, and free of
control characters and of the characters that change the direction of text, which can make an
identifier display as another one (e.g. U+202E RIGHT-TO-LEFT OVERRIDE)."""

from __future__ import annotations

import re
from typing import Any

from cyberspex.web.errors import ApplicationError

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
DIRECTION = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # Unicode bidirectional formatting characters


def identifier_problem(value: str) -> str | None:
    """Why ``value`` cannot be an identifier, or None."""
    if not value.strip():
        return "is blank"
    if found := CONTROL.search(value):
        return f"contains a control character (U+{ord(found.group()):04X})"
    if found := DIRECTION.search(value):
        return f"contains a character that changes the direction of text (U+{ord(found.group()):04X})"
    return None


def check_identifier(value: str, *, field: str, label: str) -> None:
    if problem := identifier_problem(value):
        raise ApplicationError(f"the {label} {problem}", field=field, status=422)


def check_case_identifiers(*, reference: str, identifiers: list[dict[str, Any]]) -> None:
    """The case reference, and every text of the case's identifiers (kind, value, port, time)."""
    check_identifier(reference, field="reference", label="reference")
    for index, identifier in enumerate(identifiers):
        for key, value in identifier.items() if isinstance(identifier, dict) else ():
            if isinstance(value, str) and value and (problem := identifier_problem(value)):
                raise ApplicationError(
                    f"identifier {index + 1}: the {key} {problem}", field=f"identifiers.{index}.{key}", status=422
                )
