"""Plain-sentence explanation of an assessment: every rule, its citation, the facts it
used, and which exception displaced which rule."""

from __future__ import annotations

from cyberspex.law.engine import Finding, RouteOutcome
from cyberspex.law.facts import FactUse
from cyberspex.law.report import Renderer
from cyberspex.law.rules import Kind
from cyberspex.law.scenario import EmergencyKind

INDENT = "    "


def _fact_line(use: FactUse) -> str:
    if use.provenance is None:
        return f"{INDENT}  fact: {use.label} = {use.value}"
    prov = use.provenance
    trust = "verified" if prov.verified else ("secondary source, unverified" if prov.secondary else "unverified")
    return f"{INDENT}  fact: {use.label} = {use.value} [{prov.source}, as of {prov.as_of.isoformat()}, {trust}]"


def _finding_lines(r: Renderer, finding: Finding) -> list[str]:
    rule = finding.rule
    head = f"{rule.citation} ({rule.id})"
    unverified = "" if rule.citation.verified else " [text of the provision not yet verified]"
    if finding.displaced_by:
        return [f"{INDENT}- {head}: displaced by the exception {finding.displaced_by}."]
    if finding.value is False:
        sentence = r.text(rule.passed) if rule.passed else "does not apply."
        return [f"{INDENT}- {head}: {sentence}"]
    label = "depends on an unknown fact" if finding.value is None else "applies"
    lines = [f"{INDENT}- {head} {label}: {r.message(finding)}{unverified}"]
    return lines + [_fact_line(use) for use in r.facts(finding)]


def _route_lines(r: Renderer, outcome: RouteOutcome) -> list[str]:
    body = r.route_json(outcome)
    lines = [f"[{outcome.status.upper()}] {outcome.route.id}: {outcome.route.title}"]
    for finding in outcome.findings:
        if finding.rule.kind is Kind.AVAILABILITY:
            lines += _finding_lines(r, finding)
    if body["channel"]:
        via = f" ({body['channel']['via']})" if body["channel"].get("via") else ""
        lines.append(f"{INDENT}Channel: {body['channel']['from']} -> {body['channel']['to']}{via}.")
    for d in body["deadlines"]:
        amount = f"{d['days']} days" if "days" in d else (f"{d['hours']} hours" if "hours" in d else d["standard"])
        cond = " (if it applies)" if d["applies"] == "conditional" else ""
        lines.append(f"{INDENT}Deadline{cond}: {d['event']}: {amount} from {d['from']} [{d['citation']}].")
    for n in body["notifications"]:
        required = {True: "required", False: "not required", "conditional": "may be required"}[n["required"]]
        lines.append(f"{INDENT}Notification to {n['to']}: {required} [{n['citation']}].")
    for q in body["requirements"]:
        cond = " (if the underlying fact holds)" if q["applies"] == "conditional" else ""
        lines.append(f"{INDENT}Requirement{cond}: {q['message']} [{q['citation']}]")
    return lines


EMERGENCY_TEXT = {
    None: "no emergency",
    EmergencyKind.LIFE: "emergency (threat to the life, physical integrity or safety of a person)",
    EmergencyKind.INFRASTRUCTURE: "emergency (threat to a critical infrastructure)",
}


def first_step_lines(r: Renderer) -> list[str]:
    """The fast channels to use first in an emergency, numbered, with their citations."""
    steps = r.first_steps()
    if not steps:
        return []
    lines = ["First steps in an emergency (fast channels that exist whatever the route):"]
    for number, (step, (rule_step, value)) in enumerate(zip(steps, r.a.first_steps, strict=True), start=1):
        cond = " (if it applies)" if step["applies"] == "conditional" else ""
        unverified = "" if rule_step.rule.citation.verified else " [text of the provision not yet verified]"
        lines.append(f"{INDENT}{number}. {step['channel']}{cond}: {step['message']} [{step['citation']}]{unverified}")
        lines += [_fact_line(use) for use in r.facts(Finding(rule_step.rule, value))]
    return lines


def explain(r: Renderer) -> list[str]:
    """Return the explanation as lines of text."""
    s = r.a.scenario
    lines = [
        f"{r.values['issuing']} -> {r.values['provider']}: {s.data} data, {s.measure}, "
        f"{EMERGENCY_TEXT[s.emergency]}, {s.entity.replace('_', ' ')}, as of {s.as_of.isoformat()}.",
        f"What-if: {r.values['assumptions']}.",
    ]
    lines += [f"Warning: {w}" for w in r.warnings()]
    if r.a.recommended:
        order = r.data.ranking.emergency if s.emergency else r.data.ranking.normal
        why = next(e.reason for e in order if e.route == r.a.recommended)
        lines.append(f"Recommended: {r.a.recommended} ({r.a.recommended_status}): {why}.")
    else:
        lines.append("Recommended: none; no route is open or conditional.")
    lines += first_step_lines(r)
    for outcome in r.a.outcomes:
        lines.append("")
        lines += _route_lines(r, outcome)
    return lines
