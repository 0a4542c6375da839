"""The route advice as the pages show it, answer first: a verdict (the recommended route, why,
its main deadline and what must happen first), the other open routes side by side, the closed
ones with a one-line reason, and the full reasoning.

Everything here is read from the advisor's JSON (docs/route-json.md) and the ranking in the
reference data; nothing legal is decided or worded here. Where the JSON says a finding rests on
an unrecorded fact (``applies``/``required`` ``"conditional"``, ``certainty`` ``"unknown"``) the
item is marked conditional, and its message is already hedged by ``law/certainty.py``.
Used by the case's route advice page and by the public advisor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cyberspex.forms.definitions import forms
from cyberspex.law.messages import Messages
from cyberspex.law.model import ReferenceData
from cyberspex.web.language import active_messages

# Requirement codes (docs/route-json.md §8) that must be done before or when the order is sent.
FIRST_STEP_CODES = (
    "validation",
    "supervision",
    "seek_art7_first",
    "additional_information",
    "emergency_facts",
    "urgency",
    "channel",
    "formal_follow_up",
)
# Short names of the requirement codes (docs/route-json.md §8) for the comparison table; the
# sentence, with its citation, is in the full reasoning.
NEED_LABELS = {
    "validation": gettext_lazy("Issuing or validating authority"),
    "necessity": gettext_lazy("Necessary and proportionate"),
    "user_information": gettext_lazy("Inform the person whose data are sought"),
    "follow_up": gettext_lazy("Follow-up"),
    "content": gettext_lazy("Mandatory content"),
    "supervision": gettext_lazy("Supervision of orders"),
    "seek_art7_first": gettext_lazy("Seek subscriber information under Article 7 first"),
    "additional_information": gettext_lazy("Additional supporting information"),
    "emergency_facts": gettext_lazy("Show the emergency"),
    "formal_follow_up": gettext_lazy("Formal request afterwards"),
    "channel": gettext_lazy("Channel"),
    "dual_criminality": gettext_lazy("Dual criminality"),
    "procedure": gettext_lazy("Only where no mutual assistance treaty applies"),
    "urgency": gettext_lazy("State the urgency"),
}


@dataclass(frozen=True)
class Item:
    """One finding of the JSON in a sentence, with its citation, verification and certainty."""

    kind: str  # a requirement code, "notification", "channel" or "emergency"
    text: str
    citation: str
    verified: bool
    conditional: bool
    label: str = ""  # a short name, for the comparison table


@dataclass(frozen=True)
class Deadline:
    event: str
    days: int | None
    hours: int | None
    standard: str | None
    start: str
    citation: str
    verified: bool
    conditional: bool


@dataclass(frozen=True)
class RouteRow:
    route: dict[str, Any]
    recommended: bool
    form_id: str | None  # the form to draft with, when the route has one that carries the data
    deadline: Deadline | None
    needs: list[Item]
    categories: list[str]  # names of the data categories the route's forms carry
    unverified: int  # findings resting on unverified text or data
    blocked_by: str  # for an unavailable route: its first reason


@dataclass(frozen=True)
class Verdict:
    row: RouteRow
    why: str  # the ranking's reason for this route
    depends_on: list[str]  # for a conditional route: the findings it depends on
    first_steps: list[Item]


@dataclass(frozen=True)
class Advice:
    body: dict[str, Any]
    verdict: Verdict | None
    emergency_steps: list[Item]
    compared: list[RouteRow]  # available and conditional routes, in the ranking's order
    unavailable: list[RouteRow]
    rows: list[RouteRow] = field(default_factory=list)  # every route, for the full reasoning


def _conditional(value: object) -> bool:
    return value == "conditional"


def _deadline(raw: dict[str, Any]) -> Deadline:
    return Deadline(
        event=str(raw["event"]),
        days=raw.get("days"),
        hours=raw.get("hours"),
        standard=raw.get("standard"),
        start=str(raw["from"]),
        citation=str(raw["citation"]),
        verified=bool(raw["verified"]),
        conditional=_conditional(raw["applies"]),
    )


def main_deadline(route: dict[str, Any]) -> Deadline | None:
    """The deadline that answers "how long": the first that applies and counts days or hours;
    failing that, the first that counts them at all; failing that, the first."""
    deadlines = route.get("deadlines") or []
    counted = [d for d in deadlines if d.get("days") or d.get("hours")]
    for candidates in ([d for d in counted if d["applies"] is True], counted, deadlines):
        if candidates:
            return _deadline(candidates[0])
    return None


def _label(kind: str, raw: dict[str, Any]) -> str:
    if kind == "notification":
        return _("Notify %(recipient)s") % {"recipient": raw["to"]}
    return str(NEED_LABELS.get(kind, kind.replace("_", " ").capitalize()))


def _item(kind: str, raw: dict[str, Any], text: str, flag: object) -> Item:
    return Item(kind, text, str(raw["citation"]), bool(raw["verified"]), _conditional(flag), _label(kind, raw))


def first_steps(route: dict[str, Any]) -> list[Item]:
    """What must happen before or when the order goes out: validation and the other first-step
    requirements, the notifications that are (or may be) required, and where it is sent."""
    steps = [
        _item(r["code"], r, r["message"], r["applies"]) for r in route.get("requirements", []) if r["code"] in FIRST_STEP_CODES
    ]
    steps.sort(key=lambda item: FIRST_STEP_CODES.index(item.kind))
    steps += [
        _item("notification", n, n["message"], n["required"])
        for n in route.get("notifications", [])
        if n["required"] is not False
    ]
    channel = route.get("channel")
    if channel:
        via = f" ({channel['via']})" if channel.get("via") else ""
        steps.append(_item("channel", channel, f"{channel['from']} → {channel['to']}{via}", True))
    return steps


def needs(route: dict[str, Any]) -> list[Item]:
    """Every requirement and required notification of the route, for the comparison table."""
    out = [_item(r["code"], r, r["message"], r["applies"]) for r in route.get("requirements", [])]
    out += [_item("notification", n, n["message"], n["required"]) for n in route.get("notifications", []) if n["required"]]
    return out


def _unverified(route: dict[str, Any]) -> int:
    found = [*route.get("reasons", []), *route.get("deadlines", []), *route.get("requirements", [])]
    found += route.get("notifications", [])
    return sum(1 for f in found if not f["verified"])


def _forms_by_route(data: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The form to draft each route with for ``data``, and the data categories of each route's forms."""
    from cyberspex.web.cases.forms import DATA_CATEGORIES  # noqa: PLC0415  # forms.py imports the selectors

    names = {code: str(label) for code, label in DATA_CATEGORIES}
    drafting: dict[str, str] = {}
    categories: dict[str, list[str]] = {}
    for definition in forms().values():
        if data in definition.data_categories:
            drafting.setdefault(definition.route, definition.id)
        known = categories.setdefault(definition.route, [])
        known += [names.get(c, c) for c in definition.data_categories if names.get(c, c) not in known]
    return drafting, categories


def _why(reference: ReferenceData, body: dict[str, Any], route_id: str) -> str:
    """The ranking's reason for the route, in the page's language (catalogue ``ranking.<order>.<route>``)."""
    emergency = bool(body["scenario"]["emergency"])
    order = reference.ranking.emergency if emergency else reference.ranking.normal
    reason = next((entry.reason for entry in order if entry.route == route_id), "")
    return active_messages().get(f"ranking.{'emergency' if emergency else 'normal'}.{route_id}", reason) if reason else ""


def _rank(reference: ReferenceData, body: dict[str, Any]) -> dict[str, int]:
    order = reference.ranking.emergency if body["scenario"]["emergency"] else reference.ranking.normal
    return {entry.route: index for index, entry in enumerate(order)}


def _row(route: dict[str, Any], body: dict[str, Any], drafting: dict[str, str], categories: dict[str, list[str]]) -> RouteRow:
    open_ = route["status"] != "unavailable"
    reasons = route.get("reasons") or []
    return RouteRow(
        route=route,
        recommended=route["id"] == body["recommended"],
        form_id=drafting.get(route["id"]) if open_ else None,
        deadline=main_deadline(route),
        needs=needs(route),
        categories=categories.get(route["id"], []),
        unverified=_unverified(route),
        blocked_by="" if open_ or not reasons else str(reasons[0]["message"]),
    )


def _channel(names: Messages, channel: str) -> str:
    """The short name of a fast channel in an emergency, in the page's language."""
    return names.get(f"channel.{channel}", channel)


def present(reference: ReferenceData, body: dict[str, Any]) -> Advice:
    """The page's view of the advisor's answer ``body`` (docs/route-json.md)."""
    drafting, categories = _forms_by_route(str(body["scenario"]["data"]))
    rank = _rank(reference, body)
    rows = [_row(route, body, drafting, categories) for route in body["routes"]]
    ordered = sorted(rows, key=lambda row: rank.get(row.route["id"], len(rank)))
    verdict = None
    chosen = next((row for row in rows if row.recommended), None)
    if chosen is not None:
        reasons = chosen.route.get("reasons", [])
        depends = [r["message"] for r in reasons if r.get("certainty") == "unknown"]
        if not depends and chosen.route["status"] == "conditional":  # what the route rests on, recorded or not
            depends = [r["message"] for r in reasons]
        verdict = Verdict(chosen, _why(reference, body, chosen.route["id"]), depends, first_steps(chosen.route))
    names = active_messages()
    emergency = [
        _item("emergency", step, f"{_channel(names, step['channel'])}: {step['message']}", step["applies"])
        for step in body.get("emergency_first_steps", [])
    ]
    return Advice(
        body=body,
        verdict=verdict,
        emergency_steps=emergency,
        compared=[row for row in ordered if row.route["status"] != "unavailable"],
        unavailable=[row for row in ordered if row.route["status"] == "unavailable"],
        rows=rows,
    )
