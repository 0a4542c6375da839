"""Message catalogues of the legal core: every human text the advisor renders, by a stable id.

The core neither reads files nor knows a framework: a :class:`Messages` is a plain mapping
from message id to text in one language, handed to the renderer. English is the source: the
texts of the rules stay beside the article they implement (``law/instruments/*.py``,
``law/emergency.py``) and are addressed by the rule's id; the renderer's own sentences are in
:data:`ENGLISH` below. The translations live in ``src/cyberspex/data/messages/<lang>.yaml``
(read by ``cyberspex.refdata.messages``), keyed by the same ids with the same named
parameters (``{issuing}``, ``{date}`` ...). Machine codes (rule ids, reason codes, statuses)
never translate.

Ids:

- ``rule.<rule id>.<part>``: a rule's texts; parts are ``message``, ``passed``, ``hedged``,
  ``event``, ``start``, ``standard``, ``sender``, ``recipient``, ``via``, ``condition``;
- ``route.<route id>.title``: a route's title;
- ``channel.<name>``: the short name of a fast channel in an emergency;
- ``ranking.<order>.<route id>``: why the ranking puts the route where it stands
  (``src/cyberspex/data/ranking.yaml``);
- everything else (``report.*``, ``explain.*``, ``summary.*``, ``certainty.*``, ``word.*``): below.

``cyberspex.law.message_ids.english_catalogue`` lists every id with its English text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cyberspex.law.record import Record, field

LANGUAGES = ("en", "fr", "de")
DEFAULT_LANGUAGE = "en"

RULE_PARTS = ("message", "passed", "hedged", "event", "start", "standard", "sender", "recipient", "via", "condition")

# The renderer's own sentences, in English (the source language).
ENGLISH: dict[str, str] = {
    # law/report.py: a State's relation to an EU instrument on the date
    "report.eu.not_recorded": "EU membership on this date is not recorded",
    "report.eu.transition": "a former Member State to which Union law still applies during the transition period",
    "report.eu.transition_until": (
        "a former Member State to which Union law still applies during the transition period until {until}"
    ),
    "report.eu.ceased": (
        "Union law ceased to apply to it at the end of the transition period on {until}; it left the Union on {left}"
    ),
    "report.eu.ceased_included": (
        "Union law, this instrument included, ceased to apply to it at the end of the transition period on {until}; "
        "it left the Union on {left}"
    ),
    "report.eu.withdrawn": "not an EU Member State since its withdrawal on {left}",
    "report.eu.opted_out": "a Member State that does not take part in it",
    "report.eu.bound": "bound",
    "report.eu.not_member": "not an EU Member State",
    "report.eu.short.regulation": "the Regulation",
    "report.eu.short.directive": "the EIO Directive",
    "report.eu.end_of_transition": "the end of the transition period",
    "report.eu.pending": "; {instrument} itself applies only from {date}",
    "report.eu.passed.withdrawn_before": (
        "{state} is no longer a Member State (it withdrew on {left}); Union law applied to it during the transition "
        "period until {until}, and {instrument} applies only from {date}, after that period ended."
    ),
    "report.eu.passed.withdrawn": (
        "{state} is no longer a Member State (it withdrew on {left}), but Union law, {instrument} included, applied "
        "to it during the transition period until {until}{pending}."
    ),
    "report.eu.passed.pending": "{state} is a Member State on {as_of}, not one that {instrument} leaves out{pending}.",
    "report.eu.passed.bound": "{state} is a Member State bound by {instrument}.",
    # the offence threshold of Art 5(4)
    "report.threshold.other_data": (
        "The Art 5(4) threshold concerns traffic and content data only: it does not matter for {data} data."
    ),
    "report.threshold.met": "The offence meets the Art 5(4) threshold, as stated.",
    "report.threshold.not_stated": "Whether the offence meets the Art 5(4) threshold is not stated.",
    "report.threshold.suffix.not_stated": ": whether this offence qualifies is not stated",
    "report.threshold.suffix.not_met": ": the offence was stated not to qualify",
    # a State's relation to a treaty on the date
    "report.treaty.assumed": "treated as a Party by the what-if switch",
    "report.treaty.not_recorded": "its relation to the treaty on this date is not recorded (signature or consent date unknown)",
    "report.treaty.not_signatory": "not a signatory",
    "report.treaty.not_yet_consented": "a signatory that had not yet consented to be bound on this date",
    "report.treaty.not_ratified": "a signatory that has not ratified",
    "report.treaty.eif_not_recorded": "a Party whose date of entry into force is not recorded",
    "report.treaty.not_yet_bound": "a Party, but not yet bound on this date",
    "report.treaty.party": "a Party",
    "report.treaty.not_open": "not a signatory: the treaty was opened for signature only on {date}",
    "report.treaty.signed_later": "not a signatory on this date (it signed on {date})",
    "report.treaty.consented_later": "not a signatory on this date (it consented to be bound on {date})",
    "report.treaty.not_signatory_on_date": "not a signatory on this date",
    "report.ets_27_9_e": (
        " Recorded: {state} has declared under ETS 185 Art 27(9)(e) that urgent requests must go to its central "
        "authority ({summary})."
    ),
    # what-if and dates
    "report.assume_in_force": "the Protocol is treated as in force",
    "report.assume_ratified": "treated as having ratified: {states}",
    "report.assumptions_none": "none",
    "report.cets224_eif": "; on these consents it enters into force on {date}",
    "report.unrecorded_date": "an unrecorded date",
    "report.channel_requirement": "If this applies, send from {sender} to {recipient}.",
    "report.emergency.channel": "the {channel} ({citation}{condition})",
    "report.emergency.no_channel": "no faster channel is recorded between these States",
    "report.emergency.warning": ("Emergency: the recommended route {route} has no emergency procedure; use first: {channels}."),
    "report.warning.what_if": (
        "What-if switches are on ({assumptions}): the answer is for planning and training, not the law on {as_of}."
    ),
    "report.warning.status_date": (
        "Treaty status is recorded up to {date}; signatures, ratifications and declarations after that date are not reflected."
    ),
    # law/certainty.py: a finding that rests on an unrecorded fact
    "certainty.possibly": "Possibly: {message}",
    "certainty.not_recorded": "not recorded: {facts}",
    "certainty.not_established": "not established",
    # law/explain.py
    "explain.unverified": " [text of the provision not yet verified]",
    "explain.displaced": "{head}: displaced by the exception {rule}.",
    "explain.does_not_apply": "does not apply.",
    "explain.unknown": "{head} depends on an unknown fact: {message}",
    "explain.applies": "{head} applies: {message}",
    "explain.fact": "fact: {label} = {value}",
    "explain.fact_sourced": "fact: {label} = {value} [{source}, as of {as_of}, {trust}]",
    "explain.trust.verified": "verified",
    "explain.trust.secondary": "secondary source, unverified",
    "explain.trust.unverified": "unverified",
    "explain.channel": "Channel: {sender} -> {recipient}{via}.",
    "explain.days": "{n} days",
    "explain.hours": "{n} hours",
    "explain.deadline": "Deadline: {event}: {amount} from {start} [{citation}].",
    "explain.deadline_conditional": "Deadline (if it applies): {event}: {amount} from {start} [{citation}].",
    "explain.notification.required": "Notification to {recipient}: required [{citation}].",
    "explain.notification.not_required": "Notification to {recipient}: not required [{citation}].",
    "explain.notification.conditional": "Notification to {recipient}: may be required [{citation}].",
    "explain.requirement": "Requirement: {message} [{citation}]",
    "explain.requirement_conditional": "Requirement (if the underlying fact holds): {message} [{citation}]",
    "explain.emergency.none": "no emergency",
    "explain.emergency.life": "emergency (threat to the life, physical integrity or safety of a person)",
    "explain.emergency.infrastructure": "emergency (threat to a critical infrastructure)",
    "explain.first_steps": "First steps in an emergency (fast channels that exist whatever the route):",
    "explain.first_step": "{number}. {channel}: {message} [{citation}]{unverified}",
    "explain.first_step_conditional": "{number}. {channel} (if it applies): {message} [{citation}]{unverified}",
    "explain.scenario": "{issuing} -> {provider}: {data} data, {measure}, {emergency}, {entity}, as of {as_of}.",
    "explain.what_if": "What-if: {assumptions}.",
    "explain.warning": "Warning: {warning}",
    "explain.recommended": "Recommended: {route} ({status}): {why}.",
    "explain.recommended_none": "Recommended: none; no route is open or conditional.",
    # cli/route.py: the table
    "summary.head": "{issuing} -> {provider}, {data} data, as of {as_of}",
    "summary.warning": "warning: {warning}",
    "summary.deadline": "{event}: {amount} [{citation}]{mark}",
    "summary.recommended": "recommended: {route} ({status})",
    "summary.recommended_none": "recommended: none",
    "summary.first_steps": "first steps in an emergency (fast channels that exist whatever the route):",
    "summary.first_step": "  {number}. {channel}: {sender} -> {recipient} [{citation}]{mark}",
    "summary.first_step_conditional": "  {number}. {channel} (if it applies): {sender} -> {recipient} [{citation}]{mark}",
    "summary.legend": "(*) rests on legal text or data not yet verified against the official source; see --explain",
    # words used inside the sentences above
    "word.data.subscriber": "subscriber",
    "word.data.identification": "identification",
    "word.data.traffic": "traffic",
    "word.data.content": "content",
    "word.data.domain_registration": "domain registration",
    "word.measure.production": "production",
    "word.measure.preservation": "preservation",
    "word.entity.service_provider": "service provider",
    "word.entity.registrar": "registrar",
    "word.status.available": "available",
    "word.status.conditional": "conditional",
    "word.status.unavailable": "unavailable",
    "word.if_it_applies": "if it applies",
}

_ELIDED = re.compile(r"\bde (?=[AEIOUYÉÈÊÂÎÔ][^\s()]*(?: [^\s()]+)* \([A-Z]{2}\))")
_FIELD = re.compile(r"(?<!\{)\{([a-z_0-9]+)\}(?!\})")


def parameters(text: str) -> frozenset[str]:
    """The named parameters of a text: ``{issuing}`` -> ``"issuing"``."""
    return frozenset(_FIELD.findall(text))


class Messages(Record):
    """The texts of one language, by message id; a missing id falls back to English.

    ``state_names`` gives the States' names in the language (ISO code -> name), where known.
    """

    language: str = DEFAULT_LANGUAGE
    texts: Mapping[str, str] = field(default_factory=dict)
    state_names: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, key: str, **params: object) -> str:
        text = self.texts.get(key, ENGLISH[key])
        return text.format(**params) if params else text

    def get(self, key: str, english: str) -> str:
        """The text of ``key``, or ``english`` (the source text kept in the code)."""
        return self.texts.get(key, english)

    def rule(self, rule_id: str, part: str, english: str) -> str:
        return self.get(f"rule.{rule_id}.{part}", english)

    @property
    def english(self) -> bool:
        return self.language == DEFAULT_LANGUAGE

    def polish(self, text: str) -> str:
        """A filled text with the language's contractions: French elides "de" before a State
        name that starts with a vowel ("d'Allemagne (DE)")."""
        return _ELIDED.sub("d'", text) if self.language == "fr" else text


ENGLISH_MESSAGES = Messages()
