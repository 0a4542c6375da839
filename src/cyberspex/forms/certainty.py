"""Sentences that carry their certainty, for the form checks.

The route advisor already renders every message through :func:`cyberspex.law.certainty.qualify`
(docs/route-json.md): a reason rated ``unknown`` never states a position the reference data do
not record. The form checks quote those messages through :func:`reason_text`, which applies the
same function (it leaves a message already qualified unchanged), so a reason built elsewhere is
hedged the same way.
"""

from __future__ import annotations

from typing import Any

from cyberspex.law.certainty import hedge, not_recorded_note, qualify

__all__ = ["hedge", "not_recorded", "reason_text"]


def _pairs(facts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(str(f["fact"]), str(f.get("value", ""))) for f in facts]


def not_recorded(facts: list[dict[str, Any]]) -> str | None:
    """The note naming the facts the reference data do not record, if the reason names any."""
    return not_recorded_note(_pairs(facts))


def reason_text(reason: dict[str, Any]) -> str:
    """A route reason (docs/route-json.md) as a sentence that carries its certainty."""
    known = reason.get("certainty") != "unknown"
    return qualify(str(reason["message"]), known=known, facts=_pairs(list(reason.get("facts", []))))
