"""Sentences that carry their certainty.

The route advisor rates each reason ``established`` or ``unknown`` (docs/route-json.md): a
reason is unknown when it rests on a fact the reference data do not record, such as a
reservation a State may or may not have made. A message must then never state the position
as a fact: "Japan (JP) has reserved ..." becomes "Japan (JP) may have reserved ... (not
recorded: ...)", as ``cyberspex route --explain`` says "depends on an unknown fact".
"""

from __future__ import annotations

import re
from typing import Any

# Statements and their modal form, tried in order: "<State> (XX) has not ...", "... has ...",
# "... is not yet ...", "... is not ...", "<State> (XX) [also] requires ...".
_MODAL: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?P<who>.+?\([A-Z]{2}\)) has not (?P<rest>.*)$", re.DOTALL), "{who} may not have {rest}"),
    (re.compile(r"^(?P<who>.+?\([A-Z]{2}\)) has (?P<rest>.*)$", re.DOTALL), "{who} may have {rest}"),
    (re.compile(r"^(?P<who>.+?) is not yet (?P<rest>.*)$", re.DOTALL), "{who} may not yet be {rest}"),
    (re.compile(r"^(?P<who>.+?) is not (?P<rest>.*)$", re.DOTALL), "{who} may not be {rest}"),
    (
        re.compile(r"^(?P<who>.+?\([A-Z]{2}\)) (?P<also>also )?(?P<verb>[a-z]+s) (?P<rest>.*)$", re.DOTALL),
        "{who} may {also}{verb} {rest}",
    ),
)
# Messages that already say they depend on something.
_HEDGED = re.compile(r"\bmay\b|\bmight\b|^Depends\b|^Whether\b|\bdepends on\b", re.IGNORECASE)


def _base_form(verb: str) -> str:
    """'requires' -> 'require', 'applies' -> 'apply', 'reaches' -> 'reach'."""
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes", "zes")):
        return verb[:-2]
    return verb[:-1]


def hedge(message: str) -> str:
    """``message`` as a possibility: the modal form where the sentence allows it."""
    if _HEDGED.search(message):
        return message
    for pattern, template in _MODAL:
        if match := pattern.match(message):
            parts = {k: v or "" for k, v in match.groupdict().items()}
            if "verb" in parts:
                parts["verb"] = _base_form(parts["verb"])
            return template.format(**parts)
    return f"Possibly: {message}"


_UNRECORDED = re.compile(r"not recorded|^unknown", re.IGNORECASE)


def not_recorded(facts: list[dict[str, Any]]) -> str | None:
    """The note naming the facts the reference data do not record, if the reason names any."""
    labels = [str(f["fact"]) for f in facts if _UNRECORDED.search(str(f.get("value", "")))]
    return f"not recorded: {'; '.join(labels)}" if labels else None


def reason_text(reason: dict[str, Any]) -> str:
    """A route reason (docs/route-json.md) as a sentence that carries its certainty."""
    message = str(reason["message"])
    if reason.get("certainty") != "unknown":
        return message
    note = not_recorded(list(reason.get("facts", [])))
    if note is None and _HEDGED.search(message):
        return message  # the sentence already says what it depends on
    body = hedge(message).rstrip()
    period = body.endswith(".")
    return f"{body.rstrip('.')} ({note or 'not established'}){'.' if period else ''}"
