"""Pre-fill a form from a route analysis: the States, the data category, the channel, the
deadlines and the notification statement come from the route advisor."""

from __future__ import annotations

from typing import Any

from cyberspex.forms.certainty import reason_text
from cyberspex.forms.definitions import forms
from cyberspex.law.advisor import Assessment
from cyberspex.law.model import ReferenceData
from cyberspex.law.report import Renderer


class PrefillError(Exception):
    """The route analysis does not fit the form."""


def _deadline_text(deadline: dict[str, Any]) -> str:
    amount = (
        f"{deadline['days']} days"
        if "days" in deadline
        else (f"{deadline['hours']} hours" if "hours" in deadline else deadline["standard"])
    )
    suffix = " (if it applies)" if deadline["applies"] == "conditional" else ""
    return f"{deadline['event']}: {amount} from {deadline['from']}{suffix} [{deadline['citation']}]"


def prefill(data: ReferenceData, form_id: str, assessment: Assessment) -> dict[str, Any]:
    """A form skeleton for ``form_id`` from ``assessment``; the user completes the rest."""
    form = forms()[form_id]
    scenario = assessment.scenario
    route = next(r for r in Renderer(data, assessment).as_json()["routes"] if r["id"] == form.route)
    if str(scenario.data) not in form.data_categories:
        raise PrefillError(f"form {form_id} cannot carry {scenario.data} data (it takes: {', '.join(form.data_categories)})")
    out: dict[str, Any] = {
        "form": form_id,
        "issuing_state": scenario.issuing,
        "recipient_state": scenario.provider_state,
        "emergency": str(scenario.emergency) if scenario.emergency else False,
        "route_advice": {
            "route": form.route,
            "status": route["status"],
            "as_of": scenario.as_of.isoformat(),
            "citation": route["reasons"][0]["citation"] if route["reasons"] else form.statement.citation,
            "reasons": [reason_text(r) for r in route["reasons"]],
            "channel": route["channel"],
            "deadlines": [{"text": _deadline_text(d), "citation": d["citation"]} for d in route["deadlines"]],
            "notifications": route["notifications"],
            "language": route["language"],
        },
    }
    if form_id != "2ap-6-request":
        out["data_sought"] = {"category": str(scenario.data)}
    _route_specific(form_id, route, out)
    return out


def _route_specific(form_id: str, route: dict[str, Any], out: dict[str, Any]) -> None:
    deadlines = [d for d in route["deadlines"] if d["applies"] is True]
    if form_id == "2ap-7-order":
        required = [n["required"] for n in route["notifications"] if n["rule"] == "cets224.art7.5.a.notification"]
        out["notification_made"] = bool(required and required[0] is not False)
        out["return_time_frame"] = {"days": 30}
    elif form_id == "eu-epoc":
        numeric = next((d for d in deadlines if "days" in d or "hours" in d), None)
        if numeric:
            out["deadline"] = {k: numeric[k] for k in ("days", "hours") if k in numeric}
    elif form_id == "bc-29-request":
        out["preservation_days"] = next((d["days"] for d in deadlines if "days" in d), 60)
        out["mla_to_follow"] = True
