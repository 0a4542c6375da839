"""Every message id of the legal core with its English text: the reference that each
translation (src/cyberspex/data/messages/<lang>.yaml) must match, id for id and parameter
for parameter (tests/law/test_messages.py)."""

from __future__ import annotations

from collections.abc import Iterator

from cyberspex.law.emergency import STEPS
from cyberspex.law.messages import ENGLISH
from cyberspex.law.model import ReferenceData
from cyberspex.law.routes import ROUTES
from cyberspex.law.rules import Kind, Rule


def _rule_texts(rule: Rule) -> Iterator[tuple[str, str]]:
    base = f"rule.{rule.id}"
    automatic = rule.kind in (Kind.DEADLINE, Kind.CHANNEL)  # message made from the deadline or channel
    if not automatic:
        yield f"{base}.message", rule.message
    for part in ("passed", "hedged"):
        if getattr(rule, part):
            yield f"{base}.{part}", getattr(rule, part)
    if rule.deadline is not None:
        yield f"{base}.event", rule.deadline.event
        yield f"{base}.start", rule.deadline.start
        if rule.deadline.standard:
            yield f"{base}.standard", rule.deadline.standard
    if rule.channel is not None:
        for part in ("sender", "recipient", "via"):
            if getattr(rule.channel, part):
                yield f"{base}.{part}", getattr(rule.channel, part)


def english_catalogue(data: ReferenceData | None = None) -> dict[str, str]:
    """Every message id with its English text: the reference every translation must match.

    With ``data``, the ranking's reasons are included."""
    out = dict(ENGLISH)
    for route in ROUTES:
        out[f"route.{route.id}.title"] = route.title
        for rule in route.rules:
            out.update(_rule_texts(rule))
    for step in STEPS:
        out.update(_rule_texts(step.rule))
        out[f"rule.{step.rule.id}.message"] = step.rule.message
        out[f"channel.{step.channel}"] = step.channel
        if step.condition:
            out[f"rule.{step.rule.id}.condition"] = step.condition
    if data is not None:
        for order, entries in (("normal", data.ranking.normal), ("emergency", data.ranking.emergency)):
            for entry in entries:
                out[f"ranking.{order}.{entry.route}"] = entry.reason
    return out
