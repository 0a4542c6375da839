"""Plain-sentence explanation of an assessment: every rule, its citation, the facts it
used, and which exception displaced which rule. In the renderer's language (law/messages.py)."""

from __future__ import annotations

from typing import Any

from cyberspex.law.engine import Finding, RouteOutcome
from cyberspex.law.facts import FactUse
from cyberspex.law.messages import Messages
from cyberspex.law.report import Renderer
from cyberspex.law.rules import Kind
from cyberspex.law.scenario import EmergencyKind

INDENT = "    "


def _fact_line(m: Messages, use: FactUse) -> str:
    if use.provenance is None:
        return f"{INDENT}  " + m("explain.fact", label=use.label, value=use.value)
    prov = use.provenance
    trust = m("explain.trust." + ("verified" if prov.verified else ("secondary" if prov.secondary else "unverified")))
    line = m(
        "explain.fact_sourced", label=use.label, value=use.value, source=prov.source, as_of=prov.as_of.isoformat(), trust=trust
    )
    return f"{INDENT}  {line}"


def _finding_lines(r: Renderer, finding: Finding) -> list[str]:
    rule, m = finding.rule, r.m
    head = f"{r.cite(rule.citation)} ({rule.id})"
    unverified = "" if rule.citation.verified else m("explain.unverified")
    if finding.displaced_by:
        return [f"{INDENT}- " + m("explain.displaced", head=head, rule=finding.displaced_by)]
    if finding.value is False:
        sentence = r.text(r.rule_text(rule, "passed", rule.passed)) if rule.passed else m("explain.does_not_apply")
        return [f"{INDENT}- {head}: {sentence}"]
    key = "explain.unknown" if finding.value is None else "explain.applies"
    lines = [f"{INDENT}- " + m(key, head=head, message=r.message(finding)) + unverified]
    return lines + [_fact_line(m, use) for use in r.facts(finding)]


def amount(m: Messages, deadline: dict[str, Any]) -> str:
    """ "10 days", "8 hours" or the words-only standard of a deadline in the JSON."""
    if "days" in deadline:
        return m("explain.days", n=deadline["days"])
    if "hours" in deadline:
        return m("explain.hours", n=deadline["hours"])
    return str(deadline["standard"])


def _route_lines(r: Renderer, outcome: RouteOutcome) -> list[str]:
    m = r.m
    body = r.route_json(outcome)
    lines = [f"[{m(f'word.status.{outcome.status}').upper()}] {outcome.route.id}: {body['title']}"]
    for finding in r.findings(outcome):
        if finding.rule.kind is Kind.AVAILABILITY:
            lines += _finding_lines(r, finding)
    if body["channel"]:
        channel = body["channel"]
        via = f" ({channel['via']})" if channel.get("via") else ""
        lines.append(INDENT + m("explain.channel", sender=channel["from"], recipient=channel["to"], via=via))
    for d in body["deadlines"]:
        key = "explain.deadline_conditional" if d["applies"] == "conditional" else "explain.deadline"
        lines.append(INDENT + m(key, event=d["event"], amount=amount(m, d), start=d["from"], citation=d["citation"]))
    for n in body["notifications"]:
        key = {True: "required", False: "not_required", "conditional": "conditional"}[n["required"]]
        lines.append(INDENT + m(f"explain.notification.{key}", recipient=n["to"], citation=n["citation"]))
    for q in body["requirements"]:
        key = "explain.requirement_conditional" if q["applies"] == "conditional" else "explain.requirement"
        lines.append(INDENT + m(key, message=q["message"], citation=q["citation"]))
    return lines


EMERGENCY_TEXT = {
    None: "explain.emergency.none",
    EmergencyKind.LIFE: "explain.emergency.life",
    EmergencyKind.INFRASTRUCTURE: "explain.emergency.infrastructure",
}


def first_step_lines(r: Renderer) -> list[str]:
    """The fast channels to use first in an emergency, numbered, with their citations."""
    m = r.m
    steps = r.first_steps()
    if not steps:
        return []
    lines = [m("explain.first_steps")]
    for number, (step, (rule_step, value)) in enumerate(zip(steps, r.a.first_steps, strict=True), start=1):
        key = "explain.first_step_conditional" if step["applies"] == "conditional" else "explain.first_step"
        unverified = "" if rule_step.rule.citation.verified else m("explain.unverified")
        text = m(
            key,
            number=number,
            channel=r.channel_name(step["channel"]),
            message=step["message"],
            citation=step["citation"],
            unverified=unverified,
        )
        lines.append(INDENT + text)
        lines += [_fact_line(m, use) for use in r.facts(Finding(rule_step.rule, value))]
    return lines


def explain(r: Renderer) -> list[str]:
    """Return the explanation as lines of text."""
    s, m = r.a.scenario, r.m
    lines = [
        m(
            "explain.scenario",
            issuing=r.values["issuing"],
            provider=r.values["provider"],
            data=str(s.data) if m.english else m(f"word.data.{s.data.value}"),  # English: the code, as before
            measure=m(f"word.measure.{s.measure.value}"),
            emergency=m(EMERGENCY_TEXT[s.emergency]),
            entity=m(f"word.entity.{s.entity.value}"),
            as_of=s.as_of.isoformat(),
        ),
        m("explain.what_if", assumptions=r.values["assumptions"]),
    ]
    lines += [m("explain.warning", warning=w) for w in r.warnings()]
    if r.a.recommended:
        order, name = (r.data.ranking.emergency, "emergency") if s.emergency else (r.data.ranking.normal, "normal")
        why = next(e.reason for e in order if e.route == r.a.recommended)
        why = m.get(f"ranking.{name}.{r.a.recommended}", why)
        status = m(f"word.status.{r.a.recommended_status}")
        lines.append(m("explain.recommended", route=r.a.recommended, status=status, why=why))
    else:
        lines.append(m("explain.recommended_none"))
    lines += first_step_lines(r)
    for outcome in r.a.outcomes:
        lines.append("")
        lines += _route_lines(r, outcome)
    return lines
