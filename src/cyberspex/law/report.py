"""Render an assessment: the stable JSON contract (docs/route-json.md) and --explain text."""

from __future__ import annotations

from datetime import date
from typing import Any

from cyberspex.law.advisor import Assessment
from cyberspex.law.certainty import qualify
from cyberspex.law.engine import Finding, RouteOutcome
from cyberspex.law.errors import LawError
from cyberspex.law.facts import FactUse, resolve
from cyberspex.law.model import ReferenceData, Relation, Treaty, TreatyParticipation
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
        self._facts: dict[tuple[str, ...], list[FactUse]] = {}  # fact keys -> resolved facts

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

    def _transition(self, iso: str) -> tuple[date | None, date | None]:
        """A former Member State's withdrawal date and the last day Union law applied to it."""
        withdrawal = self.data.eu.withdrawals.get(iso)
        if withdrawal is None:
            return None, None
        until = withdrawal.union_law_until.when if withdrawal.union_law_until else None
        return withdrawal.left.when, until

    def _eu_text(self, iso: str, instrument: str, bound: Tri) -> str:
        if bound is None:
            return "EU membership on this date is not recorded"
        left, until = self._transition(iso)
        if left is not None and self.a.scenario.as_of >= left:
            if bound:
                end = f" until {until.isoformat()}" if until else ""
                return f"a former Member State to which Union law still applies during the transition period{end}"
            if until is not None and self.a.scenario.as_of > until:
                starts = self.data.instruments[instrument].dates.get("applicable_from")
                included = ", this instrument included," if starts and starts.when and starts.when <= until else ""
                return (
                    f"Union law{included} ceased to apply to it at the end of the transition period on "
                    f"{until.isoformat()}; it left the Union on {left.isoformat()}"
                )
            return f"not an EU Member State since its withdrawal on {left.isoformat()}"
        if iso in self.data.instruments[instrument].not_bound:
            return "a Member State that does not take part in it"
        return "bound" if bound else "not an EU Member State"

    def _eu_passed(self, iso: str, instrument: str) -> str:
        """Why an EU instrument's participation rule does not fire for ``iso``, in the words of
        the date: a Member State, or a former one during the transition period, and whether the
        instrument applies yet."""
        record = self.data.instruments[instrument]
        short = "the Regulation" if instrument == "reg-2023-1543" else "the EIO Directive"
        key = "applicable_from"
        starts = record.dates[key].when if key in record.dates else None
        as_of = self.a.scenario.as_of
        pending = f"; {short} itself applies only from {starts.isoformat()}" if starts and as_of < starts else ""
        left, until = self._transition(iso)
        if left is not None and as_of >= left:
            end = until.isoformat() if until else "the end of the transition period"
            if starts is not None and until is not None and starts > until:
                # The instrument applies only after the transition period: it never bound the State.
                return (
                    f"{self._label(iso)} is no longer a Member State (it withdrew on {left.isoformat()}); Union "
                    f"law applied to it during the transition period until {end}, and {short} applies only "
                    f"from {starts.isoformat()}, after that period ended."
                )
            return (
                f"{self._label(iso)} is no longer a Member State (it withdrew on {left.isoformat()}), but Union "
                f"law, {short} included, applied to it during the transition period until {end}{pending}."
            )
        if pending:
            return f"{self._label(iso)} is a Member State on {as_of.isoformat()}, not one that {short} leaves out{pending}."
        return f"{self._label(iso)} is a Member State bound by {short}."

    def _threshold_passed(self) -> str:
        """Why the Art 5(4) threshold rule does not fire, matching the facts."""
        scenario = self.a.scenario
        if scenario.data.value not in ("traffic", "content"):
            return (
                f"The Art 5(4) threshold concerns traffic and content data only: it does not matter "
                f"for {scenario.data.value.replace('_', ' ')} data."
            )
        if scenario.offence_threshold is True:
            return "The offence meets the Art 5(4) threshold, as stated."
        return "Whether the offence meets the Art 5(4) threshold is not stated."

    def _treaty_text(self, iso: str, treaty: Treaty, status: TreatyStatus) -> str:
        """The State's relation to the treaty on ``as_of``, never today's relation read back."""
        record = self.data.states.get(iso)
        part = record.participation(treaty) if record else None
        as_of = self.a.scenario.as_of
        if status.assumed:
            return "treated as a Party by the what-if switch"
        if status.relation is None:
            return "its relation to the treaty on this date is not recorded (signature or consent date unknown)"
        if part is None or part.relation is Relation.NONE:
            return "not a signatory"
        if status.relation is Relation.NONE:
            return self._before_signature(treaty, part, as_of)
        if status.consented is not True:
            later_party = status.relation is Relation.SIGNATORY and part.relation is Relation.PARTY
            return (
                "a signatory that had not yet consented to be bound on this date"
                if later_party
                else "a signatory that has not ratified"
            )
        bound = {None: "a Party whose date of entry into force is not recorded", False: "a Party, but not yet bound on this date"}
        return bound.get(status.bound, "a Party")

    def _before_signature(self, treaty: Treaty, part: TreatyParticipation, as_of: date) -> str:
        """No relation on ``as_of``: the treaty was not yet open for signature, or the State
        had not yet signed (or acceded)."""
        instrument = self.data.instruments.get("ets-185" if treaty is Treaty.ETS_185 else "cets-224")
        opened = instrument.dates.get("opened_for_signature") if instrument else None
        if opened is not None and opened.when is not None and as_of < opened.when:
            return f"not a signatory: the treaty was opened for signature only on {opened.when.isoformat()}"
        later = part.signature if part.signature is not None else part.consent
        verb = "signed" if part.signature is not None else "consented to be bound"
        if later is not None and later.when is not None:
            return f"not a signatory on this date (it {verb} on {later.when.isoformat()})"
        return "not a signatory on this date"

    def _recorded_ets_position(self, iso: str, code: str) -> str:
        """A sentence naming the State's recorded ETS 185 position ``code``, or ""."""
        record = self.data.states.get(iso)
        part = record.participation(Treaty.ETS_185) if record else None
        position = part.positions.get(code) if part else None
        if position is None:
            return ""
        return (
            f" Recorded: {self._label(iso)} has declared under ETS 185 Art 27(9)(e) that urgent "
            f"requests must go to its central authority ({position.summary})."
        )

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
            "provider_ets185_27_9_e": self._recorded_ets_position(self.provider, "D-27-9-e"),
            "issuing_reg_passed": self._eu_passed(self.issuing, "reg-2023-1543"),
            "provider_reg_passed": self._eu_passed(self.provider, "reg-2023-1543"),
            "issuing_eio_passed": self._eu_passed(self.issuing, "dir-2014-41"),
            "provider_eio_passed": self._eu_passed(self.provider, "dir-2014-41"),
            "offence_threshold_passed": self._threshold_passed(),
            "offence_threshold": {
                None: ": whether this offence qualifies is not stated",
                True: "",
                False: ": the offence was stated not to qualify",
            }[self.a.scenario.offence_threshold],
        }

    def text(self, template: str) -> str:
        return template.format_map(self.values)

    def message(self, finding: Finding, template: str | None = None) -> str:
        """The finding's message naming the States, carrying its certainty: where the rule
        depends on a fact the data do not record, a possibility naming that fact."""
        text = self.text(finding.rule.message if template is None else template)
        facts = [(use.label, use.value) for use in self.facts(finding)]
        hedged = self.text(finding.rule.hedged) if finding.rule.hedged and template is None else None
        return qualify(text, known=finding.value is not None, facts=facts, hedged=hedged)

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
        out: dict[str, Any] = {"code": str(rule.code), "citation": str(rule.citation), "message": self.message(finding)}
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
            "message": self.message(finding),
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
        template = message if finding.rule.kind is Kind.CHANNEL else None
        out = {"code": code, "message": self.message(finding, template), "applies": _tri(finding.value)}
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
            item: dict[str, Any] = {"channel": step.channel, "message": self.message(finding), "applies": _tri(value)}
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
            condition = f", {step.condition}" if step.condition else ""
            channels.setdefault(step.channel, f"the {step.channel} ({step.rule.citation}{condition})")
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
