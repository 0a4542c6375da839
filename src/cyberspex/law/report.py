"""Render an assessment: the stable JSON contract (docs/route-json.md) and --explain text."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from cyberspex.law.advisor import Assessment
from cyberspex.law.certainty import qualify
from cyberspex.law.citations import Citation, format_citation
from cyberspex.law.engine import Finding, RouteOutcome
from cyberspex.law.errors import LawError
from cyberspex.law.facts import FactUse, resolve
from cyberspex.law.messages import ENGLISH_MESSAGES, Messages
from cyberspex.law.model import ReferenceData, Relation, Treaty, TreatyParticipation
from cyberspex.law.rules import Kind, Rule
from cyberspex.law.status import TreatyStatus, Tri

SCHEMA = "cyberspex.route/1"
_STATE_LABEL = re.compile(r"^(?P<name>[^:()]+) \((?P<code>[A-Z]{2})\)(?=:)")


def _tri(value: Tri) -> bool | str:
    return "conditional" if value is None else value


class Renderer:
    """Binds an assessment to the reference data so messages and facts name real States.

    ``messages``: the catalogue of the language to render in (law/messages.py); English by
    default. Only human texts change with the language, never codes or ids."""

    def __init__(self, data: ReferenceData, assessment: Assessment, messages: Messages = ENGLISH_MESSAGES) -> None:
        self.data = data
        self.a = assessment
        self.m = messages
        scenario = assessment.scenario
        self.issuing = scenario.issuing
        self.provider = scenario.provider_state
        self.consents = self._consents()
        self.values = self._format_values()
        self._facts: dict[tuple[str, ...], list[FactUse]] = {}  # fact keys -> resolved facts
        # id(outcome) -> (the outcome, kept alive so its id is not reused; its findings)
        self._findings: dict[int, tuple[RouteOutcome, tuple[Finding, ...]]] = {}

    # -- message values ---------------------------------------------------------------
    def state_name(self, iso: str) -> str:
        return self.m.state_names.get(iso) or self.data.state_name(iso)

    def _label(self, iso: str) -> str:
        return f"{self.state_name(iso)} ({iso})"

    def _named(self, label: str) -> str:
        """A fact's label ("Japan (JP): CETS 224 D-8-4") naming its State in the language."""
        found = _STATE_LABEL.match(label)
        if found is None or self.m.english:
            return label
        return f"{self._label(found['code'])}{label[found.end() :]}"

    def cite(self, citation: Citation) -> str:
        """The citation in the language's convention (``str(citation)`` in English)."""
        return format_citation(citation, self.m.language)

    def rule_text(self, rule: Rule, part: str, english: str) -> str:
        return self.m.rule(rule.id, part, english)

    def _consents(self) -> list[date]:
        as_of = self.a.scenario.as_of
        dates = []
        for record in self.data.states.values():
            part = record.participation(Treaty.CETS_224)
            if part and part.consent and part.consent.when and part.consent.when <= as_of:
                dates.append(part.consent.when)
        return dates + [as_of] * len(self.a.snapshot.assumed_consents)

    def _transition(self, iso: str) -> tuple[date | None, date | None]:
        """A former Member State's withdrawal date and the last day Union law applied to it."""
        withdrawal = self.data.eu.withdrawals.get(iso)
        if withdrawal is None:
            return None, None
        until = withdrawal.union_law_until.when if withdrawal.union_law_until else None
        return withdrawal.left.when, until

    def _eu_text(self, iso: str, instrument: str, bound: Tri) -> str:
        m = self.m
        if bound is None:
            return m("report.eu.not_recorded")
        left, until = self._transition(iso)
        if left is not None and self.a.scenario.as_of >= left:
            if bound:
                return m("report.eu.transition_until", until=until.isoformat()) if until else m("report.eu.transition")
            if until is not None and self.a.scenario.as_of > until:
                starts = self.data.instruments[instrument].dates.get("applicable_from")
                included = bool(starts and starts.when and starts.when <= until)
                key = "report.eu.ceased_included" if included else "report.eu.ceased"
                return m(key, until=until.isoformat(), left=left.isoformat())
            return m("report.eu.withdrawn", left=left.isoformat())
        if iso in self.data.instruments[instrument].not_bound:
            return m("report.eu.opted_out")
        return m("report.eu.bound") if bound else m("report.eu.not_member")

    def _eu_passed(self, iso: str, instrument: str) -> str:
        """Why an EU instrument's participation rule does not fire for ``iso``, in the words of
        the date: a Member State, or a former one during the transition period, and whether the
        instrument applies yet."""
        m = self.m
        record = self.data.instruments[instrument]
        short = m("report.eu.short.regulation") if instrument == "reg-2023-1543" else m("report.eu.short.directive")
        key = "applicable_from"
        starts = record.dates[key].when if key in record.dates else None
        as_of = self.a.scenario.as_of
        pending = m("report.eu.pending", instrument=short, date=starts.isoformat()) if starts and as_of < starts else ""
        left, until = self._transition(iso)
        state = self._label(iso)
        if left is not None and as_of >= left:
            end = until.isoformat() if until else m("report.eu.end_of_transition")
            if starts is not None and until is not None and starts > until:
                # The instrument applies only after the transition period: it never bound the State.
                return m(
                    "report.eu.passed.withdrawn_before",
                    state=state,
                    left=left.isoformat(),
                    until=end,
                    instrument=short,
                    date=starts.isoformat(),
                )
            return m(
                "report.eu.passed.withdrawn", state=state, left=left.isoformat(), until=end, instrument=short, pending=pending
            )
        if pending:
            return m("report.eu.passed.pending", state=state, as_of=as_of.isoformat(), instrument=short, pending=pending)
        return m("report.eu.passed.bound", state=state, instrument=short)

    def _threshold_passed(self) -> str:
        """Why the Art 5(4) threshold rule does not fire, matching the facts."""
        scenario = self.a.scenario
        if scenario.data.value not in ("traffic", "content"):
            return self.m("report.threshold.other_data", data=self.m(f"word.data.{scenario.data.value}"))
        if scenario.offence_threshold is True:
            return self.m("report.threshold.met")
        return self.m("report.threshold.not_stated")

    def _treaty_text(self, iso: str, treaty: Treaty, status: TreatyStatus) -> str:
        """The State's relation to the treaty on ``as_of``, never today's relation read back."""
        record = self.data.states.get(iso)
        part = record.participation(treaty) if record else None
        as_of = self.a.scenario.as_of
        m = self.m
        if status.assumed:
            return m("report.treaty.assumed")
        if status.relation is None:
            return m("report.treaty.not_recorded")
        if part is None or part.relation is Relation.NONE:
            return m("report.treaty.not_signatory")
        if status.relation is Relation.NONE:
            return self._before_signature(treaty, part, as_of)
        if status.consented is not True:
            later_party = status.relation is Relation.SIGNATORY and part.relation is Relation.PARTY
            return m("report.treaty.not_yet_consented") if later_party else m("report.treaty.not_ratified")
        bound = {None: "report.treaty.eif_not_recorded", False: "report.treaty.not_yet_bound"}
        return m(bound.get(status.bound, "report.treaty.party"))

    def _before_signature(self, treaty: Treaty, part: TreatyParticipation, as_of: date) -> str:
        """No relation on ``as_of``: the treaty was not yet open for signature, or the State
        had not yet signed (or acceded)."""
        instrument = self.data.instruments.get("ets-185" if treaty is Treaty.ETS_185 else "cets-224")
        opened = instrument.dates.get("opened_for_signature") if instrument else None
        if opened is not None and opened.when is not None and as_of < opened.when:
            return self.m("report.treaty.not_open", date=opened.when.isoformat())
        later = part.signature if part.signature is not None else part.consent
        key = "report.treaty.signed_later" if part.signature is not None else "report.treaty.consented_later"
        if later is not None and later.when is not None:
            return self.m(key, date=later.when.isoformat())
        return self.m("report.treaty.not_signatory_on_date")

    def _recorded_ets_position(self, iso: str, code: str) -> str:
        """A sentence naming the State's recorded ETS 185 position ``code``, or ""."""
        record = self.data.states.get(iso)
        part = record.participation(Treaty.ETS_185) if record else None
        position = part.positions.get(code) if part else None
        if position is None:
            return ""
        return self.m("report.ets_27_9_e", state=self._label(iso), summary=position.summary)

    def _format_values(self) -> dict[str, str]:
        snap = self.a.snapshot
        i, p = snap.profile(self.issuing), snap.profile(self.provider)
        eif = snap.clock.cets224_entry_into_force
        what_if = self.a.scenario.what_if
        m = self.m
        assumptions = []
        if what_if.assume_in_force:
            assumptions.append(m("report.assume_in_force"))
        if snap.assumed_consents:
            assumptions.append(m("report.assume_ratified", states=", ".join(sorted(snap.assumed_consents))))
        dates = {k: v.dates for k, v in self.data.instruments.items()}
        return {
            "issuing": self._label(self.issuing),
            "provider": self._label(self.provider),
            "as_of": self.a.scenario.as_of.isoformat(),
            "issuing_reg": self._eu_text(self.issuing, "reg-2023-1543", i.reg_bound),
            "provider_reg": self._eu_text(self.provider, "reg-2023-1543", p.reg_bound),
            "issuing_eio": self._eu_text(self.issuing, "dir-2014-41", i.eio_bound),
            "provider_eio": self._eu_text(self.provider, "dir-2014-41", p.eio_bound),
            "issuing_ets185": self._treaty_text(self.issuing, Treaty.ETS_185, i.ets185),
            "provider_ets185": self._treaty_text(self.provider, Treaty.ETS_185, p.ets185),
            "issuing_cets224": self._treaty_text(self.issuing, Treaty.CETS_224, i.cets224),
            "provider_cets224": self._treaty_text(self.provider, Treaty.CETS_224, p.cets224),
            "cets224_consents": str(snap.clock.cets224_consents),
            "cets224_eif": m("report.cets224_eif", date=eif.isoformat()) if eif else "",
            "reg_applicable_from": _iso(dates["reg-2023-1543"]["applicable_from"].when, m),
            "eio_applicable_from": _iso(dates["dir-2014-41"]["applicable_from"].when, m),
            "ets185_entry_into_force": _iso(dates["ets-185"]["entry_into_force"].when, m),
            "assumptions": "; ".join(assumptions) or m("report.assumptions_none"),
            "provider_ets185_27_9_e": self._recorded_ets_position(self.provider, "D-27-9-e"),
            "issuing_reg_passed": self._eu_passed(self.issuing, "reg-2023-1543"),
            "provider_reg_passed": self._eu_passed(self.provider, "reg-2023-1543"),
            "issuing_eio_passed": self._eu_passed(self.issuing, "dir-2014-41"),
            "provider_eio_passed": self._eu_passed(self.provider, "dir-2014-41"),
            "offence_threshold_passed": self._threshold_passed(),
            "offence_threshold": {
                None: m("report.threshold.suffix.not_stated"),
                True: "",
                False: m("report.threshold.suffix.not_met"),
            }[self.a.scenario.offence_threshold],
        }

    def text(self, template: str) -> str:
        return self.m.polish(template.format_map(self.values))

    def message(self, finding: Finding, template: str | None = None) -> str:
        """The finding's message naming the States, carrying its certainty: where the rule
        depends on a fact the data do not record, a possibility naming that fact."""
        rule = finding.rule
        text = self.text(self.rule_text(rule, "message", rule.message) if template is None else template)
        facts = [(self._named(use.label), use.value) for use in self.facts(finding)]
        hedged = self.text(self.rule_text(rule, "hedged", rule.hedged)) if rule.hedged and template is None else None
        return qualify(text, known=finding.value is not None, facts=facts, hedged=hedged, messages=self.m)

    # -- findings ---------------------------------------------------------------------
    def findings(self, outcome: RouteOutcome) -> tuple[Finding, ...]:
        """The outcome's findings, built once per outcome (``RouteOutcome.findings`` builds them
        on every read: the route matrix needs only statuses)."""
        kept = self._findings.get(id(outcome))
        if kept is None or kept[0] is not outcome:
            kept = (outcome, outcome.findings)
            self._findings[id(outcome)] = kept
        return kept[1]

    def active(self, outcome: RouteOutcome, kind: Kind) -> tuple[Finding, ...]:
        """The outcome's findings of ``kind`` that count (``RouteOutcome.active``, memoised)."""
        return tuple(f for f in self.findings(outcome) if f.rule.kind is kind and f.active)

    # -- facts ------------------------------------------------------------------------
    def facts(self, finding: Finding) -> list[FactUse]:
        """The recorded facts behind the finding's rule (resolved once per set of keys)."""
        keys = finding.rule.facts
        if keys not in self._facts:
            uses: list[FactUse] = []
            for key in keys:
                uses += resolve(
                    self.data,
                    key,
                    issuing=self.issuing,
                    provider=self.provider,
                    consents=self.consents,
                    as_of=self.a.scenario.as_of,
                )
            self._facts[keys] = uses
        return list(self._facts[keys])

    def _verified(self, finding: Finding) -> bool:
        return finding.rule.citation.verified and all(f.verified for f in self.facts(finding))

    def _fact_json(self, use: FactUse) -> dict[str, Any]:
        out: dict[str, Any] = {"fact": use.label, "value": use.value, "verified": use.verified}
        if use.provenance is not None:
            prov = use.provenance
            out |= {"source": prov.url, "source_id": prov.source, "as_of": prov.as_of.isoformat()}
            out |= {k: True for k in ("secondary", "derived") if getattr(prov, k)}
            if prov.note:
                out["note"] = prov.note
        return out

    # -- JSON -------------------------------------------------------------------------
    def _base(self, finding: Finding) -> dict[str, Any]:
        out: dict[str, Any] = {
            "citation": self.cite(finding.rule.citation),
            "verified": self._verified(finding),
            "rule": finding.rule.id,
        }
        facts = self.facts(finding)
        if facts:
            out["facts"] = [self._fact_json(f) for f in facts]
        return out

    def _reason(self, finding: Finding) -> dict[str, Any]:
        rule = finding.rule
        out: dict[str, Any] = {"code": str(rule.code), "citation": self.cite(rule.citation), "message": self.message(finding)}
        if rule.side:
            out["side"] = str(rule.side)
        out["certainty"] = "unknown" if finding.value is None else "established"
        return out | self._base(finding)

    def _deadline(self, finding: Finding) -> dict[str, Any]:
        spec = finding.rule.deadline
        if spec is None:
            raise LawError(f"deadline rule {finding.rule.id} has no deadline")
        rule = finding.rule
        out: dict[str, Any] = {"event": self.rule_text(rule, "event", spec.event)}
        for key in ("days", "hours"):
            if getattr(spec, key) is not None:
                out[key] = getattr(spec, key)
        if spec.standard is not None:
            out["standard"] = self.rule_text(rule, "standard", spec.standard)
        start = self.rule_text(rule, "start", spec.start)
        return out | {"from": start, "applies": _tri(finding.value)} | self._base(finding)

    def _notification(self, finding: Finding) -> dict[str, Any]:
        if finding.rule.channel is None:
            raise LawError(f"notification rule {finding.rule.id} names no recipient")
        out: dict[str, Any] = {
            "to": self.text(self.rule_text(finding.rule, "recipient", finding.rule.channel.recipient)),
            "required": _tri(finding.value),
            "message": self.message(finding),
        }
        return out | self._base(finding)

    def _channel(self, outcome: RouteOutcome) -> dict[str, Any] | None:
        chosen = [f for f in self.active(outcome, Kind.CHANNEL) if f.value is True]
        if not chosen:
            return None
        rule = chosen[-1].rule
        if rule.channel is None:
            raise LawError(f"channel rule {rule.id} has no channel")
        return self._channel_ends(rule) | self._base(chosen[-1])

    def _channel_ends(self, rule: Rule) -> dict[str, str]:
        """``from``, ``to`` and ``via`` of a channel rule, in the language."""
        spec = rule.channel
        if spec is None:
            raise LawError(f"channel rule {rule.id} has no channel")
        out = {
            "from": self.text(self.rule_text(rule, "sender", spec.sender)),
            "to": self.text(self.rule_text(rule, "recipient", spec.recipient)),
        }
        if spec.via:
            out["via"] = self.text(self.rule_text(rule, "via", spec.via))
        return out

    def _requirement(self, finding: Finding) -> dict[str, Any]:
        rule = finding.rule
        code = "channel" if rule.kind is Kind.CHANNEL else rule.code
        message = rule.message
        if rule.kind is Kind.CHANNEL and rule.channel is not None:
            spec = rule.channel
            sender = self.rule_text(rule, "sender", spec.sender)
            recipient = self.rule_text(rule, "recipient", spec.recipient)
            # The ends keep their own {issuing}/{provider} fields, filled with the others.
            message = self.m("report.channel_requirement").replace("{sender}", sender).replace("{recipient}", recipient)
        template = message if rule.kind is Kind.CHANNEL else None
        out = {"code": code, "message": self.message(finding, template), "applies": _tri(finding.value)}
        return out | self._base(finding)

    def route_json(self, outcome: RouteOutcome) -> dict[str, Any]:
        route = outcome.route
        languages = self.active(outcome, Kind.LANGUAGE)
        channel_notes = [f for f in self.active(outcome, Kind.CHANNEL) if f.value is None]
        return {
            "id": route.id,
            "title": self.m.get(f"route.{route.id}.title", route.title),
            "instrument": str(route.instrument) if route.instrument else None,
            "status": str(outcome.status),
            "reasons": [self._reason(f) for f in self.active(outcome, Kind.AVAILABILITY)],
            "channel": self._channel(outcome),
            "deadlines": [self._deadline(f) for f in self.active(outcome, Kind.DEADLINE)],
            "notifications": [
                self._notification(f)
                for f in self.findings(outcome)
                if f.rule.kind is Kind.NOTIFICATION and f.displaced_by is None
            ],
            "language": {"text": self.text(self.rule_text(languages[0].rule, "message", languages[0].rule.message))}
            | self._base(languages[0])
            if languages
            else None,
            "requirements": [self._requirement(f) for f in self.active(outcome, Kind.REQUIREMENT)]
            + [self._requirement(f) for f in channel_notes],
        }

    def first_steps(self) -> list[dict[str, Any]]:
        """The fast channels to use first in an emergency (law/emergency.py), in order."""
        out = []
        for step, value in self.a.first_steps:
            finding = Finding(step.rule, value)
            item: dict[str, Any] = {"channel": step.channel, "message": self.message(finding), "applies": _tri(value)}
            if step.rule.channel is not None:
                item |= self._channel_ends(step.rule)
            out.append(item | self._base(finding))
        return out

    def emergency_warning(self) -> str | None:
        """In an emergency, a recommended route without an emergency procedure is named
        together with the faster channels to use first."""
        if self.a.recommended_emergency_procedure is not False:
            return None
        m = self.m
        channels: dict[str, str] = {}
        for step, _ in self.a.first_steps:
            condition = f", {self.rule_text(step.rule, 'condition', step.condition)}" if step.condition else ""
            name = self.channel_name(step.channel)
            text = m("report.emergency.channel", channel=name, citation=self.cite(step.rule.citation), condition=condition)
            channels.setdefault(step.channel, text)
        first = "; ".join(channels.values()) or m("report.emergency.no_channel")
        return m("report.emergency.warning", route=self.a.recommended, channels=first)

    def channel_name(self, channel: str) -> str:
        """The short name of a fast channel in an emergency, in the language."""
        return self.m.get(f"channel.{channel}", channel)

    def warnings(self) -> list[str]:
        scenario = self.a.scenario
        out = []
        emergency = self.emergency_warning()
        if emergency:
            out.append(emergency)
        if scenario.what_if.active:
            out.append(self.m("report.warning.what_if", assumptions=self.values["assumptions"], as_of=scenario.as_of.isoformat()))
        if scenario.as_of > self.data.status_date:
            out.append(self.m("report.warning.status_date", date=self.data.status_date.isoformat()))
        return out

    def as_json(self) -> dict[str, Any]:
        scenario = self.a.scenario
        what_if = scenario.what_if
        assumed = sorted(what_if.assume_ratified) if not what_if.assume_all_signatories else ["all-signatories"]
        return {
            "schema": SCHEMA,
            "as_of": scenario.as_of.isoformat(),
            "scenario": {
                "issuing": {"code": self.issuing, "name": self.state_name(self.issuing)},
                "provider_state": {"code": self.provider, "name": self.state_name(self.provider)},
                "data": str(scenario.data),
                "measure": str(scenario.measure),
                "emergency": scenario.emergency is not None,
                "emergency_kind": str(scenario.emergency) if scenario.emergency else None,
                "entity": str(scenario.entity),
                "offence_threshold": {None: "not_stated", True: "met", False: "not_met"}[scenario.offence_threshold],
                "what_if": {
                    "active": what_if.active,
                    "assume_in_force": what_if.assume_in_force,
                    "assume_ratified": assumed,
                    "treated_as_ratified": sorted(self.a.snapshot.assumed_consents),
                },
            },
            "routes": [self.route_json(o) for o in self.a.outcomes],
            "recommended": self.a.recommended,
            "recommended_status": str(self.a.recommended_status) if self.a.recommended_status else None,
            "recommended_emergency_procedure": self.a.recommended_emergency_procedure,
            "emergency_first_steps": self.first_steps(),
            "warnings": self.warnings(),
            "data": {"status_date": self.data.status_date.isoformat()},
        }


def _iso(value: date | None, messages: Messages) -> str:
    return value.isoformat() if value else messages("report.unrecorded_date")


def to_json(data: ReferenceData, assessment: Assessment, messages: Messages = ENGLISH_MESSAGES) -> dict[str, Any]:
    return Renderer(data, assessment, messages).as_json()
