"""Render an assessment: the stable JSON contract (docs/route-json.md) and --explain text."""

from __future__ import annotations

from datetime import date
from typing import Any

from cyberspex.law.advisor import Assessment
from cyberspex.law.engine import Finding, RouteOutcome
from cyberspex.law.errors import LawError
from cyberspex.law.facts import FactUse, resolve
from cyberspex.law.model import ReferenceData, Relation, Treaty
from cyberspex.law.rules import Kind
from cyberspex.law.status import TreatyStatus, Tri

SCHEMA = "cyberspex.route/1"


def _tri(value: Tri) -> bool | str:
    return "conditional" if value is None else value


class Renderer:
    """Binds an assessment to the reference data so messages and facts name real States."""

    def __init__(self, data: ReferenceData, assessment: Assessment) -> None:
        self.data = data
        self.a = assessment
        scenario = assessment.scenario
        self.issuing = scenario.issuing
        self.provider = scenario.provider_state
        self.consents = self._consents()
        self.values = self._format_values()

    # -- message values ---------------------------------------------------------------
    def _label(self, iso: str) -> str:
        return f"{self.data.state_name(iso)} ({iso})"

    def _consents(self) -> list[date]:
        as_of = self.a.scenario.as_of
        dates = []
        for record in self.data.states.values():
            part = record.participation(Treaty.CETS_224)
            if part and part.consent and part.consent.when and part.consent.when <= as_of:
                dates.append(part.consent.when)
        return dates + [as_of] * len(self.a.snapshot.assumed_consents)

    def _eu_text(self, iso: str, instrument: str, bound: Tri) -> str:
        if bound is None:
            return "EU membership on this date is not recorded"
        withdrawal = self.data.eu.withdrawals.get(iso)
        left = withdrawal.left.when if withdrawal else None
        if left is not None and self.a.scenario.as_of >= left:
            if bound:
                return "a former Member State to which Union law still applies during the transition period"
            return f"not an EU Member State since its withdrawal on {left.isoformat()}"
        if iso in self.data.instruments[instrument].not_bound:
            return "a Member State that does not take part in it"
        return "bound" if bound else "not an EU Member State"

    def _treaty_text(self, iso: str, treaty: Treaty, status: TreatyStatus) -> str:
        record = self.data.states.get(iso)
        part = record.participation(treaty) if record else None
        if status.assumed:
            return "treated as a Party by the what-if switch"
        if part is None or part.relation is Relation.NONE:
            return "not a signatory"
        if status.consented is not True:
            return "a signatory that has not ratified" if part.relation is Relation.SIGNATORY else "not yet a Party on this date"
        if status.bound is None:
            return "a Party whose date of entry into force is not recorded"
        return "a Party, but not yet bound on this date" if status.bound is False else "a Party"

    def _format_values(self) -> dict[str, str]:
        snap = self.a.snapshot
        i, p = snap.profile(self.issuing), snap.profile(self.provider)
        eif = snap.clock.cets224_entry_into_force
        what_if = self.a.scenario.what_if
        assumptions = []
        if what_if.assume_in_force:
            assumptions.append("the Protocol is treated as in force")
        if snap.assumed_consents:
            assumptions.append("treated as having ratified: " + ", ".join(sorted(snap.assumed_consents)))
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
            "cets224_eif": f"; on these consents it enters into force on {eif.isoformat()}" if eif else "",
            "reg_applicable_from": _iso(dates["reg-2023-1543"]["applicable_from"].when),
            "eio_applicable_from": _iso(dates["dir-2014-41"]["applicable_from"].when),
            "ets185_entry_into_force": _iso(dates["ets-185"]["entry_into_force"].when),
            "assumptions": "; ".join(assumptions) or "none",
            "offence_threshold": {
                None: ": whether this offence qualifies is not stated (--offence-threshold)",
                True: "",
                False: ": the offence was stated not to qualify",
            }[self.a.scenario.offence_threshold],
        }

    def text(self, template: str) -> str:
        return template.format_map(self.values)

    # -- facts ------------------------------------------------------------------------
    def facts(self, finding: Finding) -> list[FactUse]:
        uses: list[FactUse] = []
        for key in finding.rule.facts:
            uses += resolve(
                self.data, key, issuing=self.issuing, provider=self.provider, consents=self.consents, as_of=self.a.scenario.as_of
            )
        return uses

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
            "citation": str(finding.rule.citation),
            "verified": self._verified(finding),
            "rule": finding.rule.id,
        }
        facts = self.facts(finding)
        if facts:
            out["facts"] = [self._fact_json(f) for f in facts]
        return out

    def _reason(self, finding: Finding) -> dict[str, Any]:
        rule = finding.rule
        out: dict[str, Any] = {"code": str(rule.code), "citation": str(rule.citation), "message": self.text(rule.message)}
        if rule.side:
            out["side"] = str(rule.side)
        out["certainty"] = "unknown" if finding.value is None else "established"
        return out | self._base(finding)

    def _deadline(self, finding: Finding) -> dict[str, Any]:
        spec = finding.rule.deadline
        if spec is None:
            raise LawError(f"deadline rule {finding.rule.id} has no deadline")
        out: dict[str, Any] = {"event": spec.event}
        for key in ("days", "hours", "standard"):
            if getattr(spec, key) is not None:
                out[key] = getattr(spec, key)
        return out | {"from": spec.start, "applies": _tri(finding.value)} | self._base(finding)

    def _notification(self, finding: Finding) -> dict[str, Any]:
        if finding.rule.channel is None:
            raise LawError(f"notification rule {finding.rule.id} names no recipient")
        out: dict[str, Any] = {
            "to": self.text(finding.rule.channel.recipient),
            "required": _tri(finding.value),
            "message": self.text(finding.rule.message),
        }
        return out | self._base(finding)

    def _channel(self, outcome: RouteOutcome) -> dict[str, Any] | None:
        chosen = [f for f in outcome.active(Kind.CHANNEL) if f.value is True]
        if not chosen:
            return None
        spec = chosen[-1].rule.channel
        if spec is None:
            raise LawError(f"channel rule {chosen[-1].rule.id} has no channel")
        out: dict[str, Any] = {"from": self.text(spec.sender), "to": self.text(spec.recipient)}
        if spec.via:
            out["via"] = self.text(spec.via)
        return out | self._base(chosen[-1])

    def _requirement(self, finding: Finding) -> dict[str, Any]:
        code = "channel" if finding.rule.kind is Kind.CHANNEL else finding.rule.code
        message = finding.rule.message
        if finding.rule.kind is Kind.CHANNEL and finding.rule.channel is not None:
            spec = finding.rule.channel
            message = f"If this applies, send from {spec.sender} to {spec.recipient}."
        out = {"code": code, "message": self.text(message), "applies": _tri(finding.value)}
        return out | self._base(finding)

    def route_json(self, outcome: RouteOutcome) -> dict[str, Any]:
        route = outcome.route
        languages = outcome.active(Kind.LANGUAGE)
        channel_notes = [f for f in outcome.active(Kind.CHANNEL) if f.value is None]
        return {
            "id": route.id,
            "title": route.title,
            "instrument": str(route.instrument) if route.instrument else None,
            "status": str(outcome.status),
            "reasons": [self._reason(f) for f in outcome.reasons],
            "channel": self._channel(outcome),
            "deadlines": [self._deadline(f) for f in outcome.active(Kind.DEADLINE)],
            "notifications": [
                self._notification(f) for f in outcome.findings if f.rule.kind is Kind.NOTIFICATION and f.displaced_by is None
            ],
            "language": {"text": self.text(languages[0].rule.message)} | self._base(languages[0]) if languages else None,
            "requirements": [self._requirement(f) for f in outcome.active(Kind.REQUIREMENT)]
            + [self._requirement(f) for f in channel_notes],
        }

    def first_steps(self) -> list[dict[str, Any]]:
        """The fast channels to use first in an emergency (law/emergency.py), in order."""
        out = []
        for step, value in self.a.first_steps:
            finding = Finding(step.rule, value)
            spec = step.rule.channel
            item: dict[str, Any] = {"channel": step.channel, "message": self.text(step.rule.message), "applies": _tri(value)}
            if spec is not None:
                item |= {"from": self.text(spec.sender), "to": self.text(spec.recipient)}
                if spec.via:
                    item["via"] = self.text(spec.via)
            out.append(item | self._base(finding))
        return out

    def emergency_warning(self) -> str | None:
        """In an emergency, a recommended route without an emergency procedure is named
        together with the faster channels to use first."""
        if self.a.recommended_emergency_procedure is not False:
            return None
        channels: dict[str, str] = {}
        for step, _ in self.a.first_steps:
            channels.setdefault(step.channel, f"the {step.channel} ({step.rule.citation})")
        first = "; ".join(channels.values()) or "no faster channel is recorded between these States"
        return f"Emergency: the recommended route {self.a.recommended} has no emergency procedure; use first: {first}."

    def warnings(self) -> list[str]:
        scenario = self.a.scenario
        out = []
        emergency = self.emergency_warning()
        if emergency:
            out.append(emergency)
        if scenario.what_if.active:
            out.append(
                f"What-if switches are on ({self.values['assumptions']}): the answer is for planning "
                f"and training, not the law on {scenario.as_of.isoformat()}."
            )
        if scenario.as_of > self.data.status_date:
            out.append(
                f"Treaty status is recorded up to {self.data.status_date.isoformat()}; signatures, "
                "ratifications and declarations after that date are not reflected."
            )
        return out

    def as_json(self) -> dict[str, Any]:
        scenario = self.a.scenario
        what_if = scenario.what_if
        assumed = sorted(what_if.assume_ratified) if not what_if.assume_all_signatories else ["all-signatories"]
        return {
            "schema": SCHEMA,
            "as_of": scenario.as_of.isoformat(),
            "scenario": {
                "issuing": {"code": self.issuing, "name": self.data.state_name(self.issuing)},
                "provider_state": {"code": self.provider, "name": self.data.state_name(self.provider)},
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


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "an unrecorded date"


def to_json(data: ReferenceData, assessment: Assessment) -> dict[str, Any]:
    return Renderer(data, assessment).as_json()
