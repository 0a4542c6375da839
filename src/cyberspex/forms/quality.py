"""Pre-submission quality checks aimed at the reasons orders and requests are refused:
wrong or badly formatted identifiers, over-broad time ranges, the wrong data category for
the instrument, the wrong legal entity or State, missing emergency facts, a language the
recipient does not accept, a deadline shorter than the law allows, and a route that the
law does not open. Each check is a small rule with an id; they read only the values that
are present (missing elements are reported by the schema layer).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from cyberspex.forms.certainty import reason_text
from cyberspex.forms.definitions import forms
from cyberspex.forms.issues import Issue, Severity, json_path
from cyberspex.forms.model import FormDef
from cyberspex.law.advisor import assess
from cyberspex.law.certainty import qualify
from cyberspex.law.errors import InvalidScenario
from cyberspex.law.model import ReferenceData
from cyberspex.law.report import Renderer
from cyberspex.law.routes import ROUTES
from cyberspex.law.rules import Kind
from cyberspex.law.scenario import DataCategory, EmergencyKind, Measure, Scenario, WhatIf, default_entity

E164 = re.compile(r"^\+[1-9]\d{1,14}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
ZONE = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class QualityContext:
    data: ReferenceData
    as_of: date  # "today" for the future-date checks; the core never reads the clock
    max_span_days: int = 92
    what_if: WhatIf = field(default_factory=WhatIf)
    # The languages the addressed provider or registrar states it accepts (its published policy
    # profile), when the caller knows them; they take the place of the form's own list.
    accepted_languages: tuple[str, ...] = ()


Check = Callable[[FormDef, dict[str, Any], QualityContext], Iterator[Issue]]
CHECKS: list[tuple[str, Check]] = []


def check(rule_id: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        CHECKS.append((rule_id, function))
        return function

    return register


def run_quality(form_id: str, data: dict[str, Any], context: QualityContext) -> list[Issue]:
    form = forms()[form_id]
    return [issue for _, rule in CHECKS for issue in rule(form, data, context)]


def _issue(
    rule: str, path: list[str | int], citation: str, code: str, message: str, *, severity: Severity = Severity.ERROR
) -> Issue:
    return Issue(json_path(path), citation, code, severity, message, rule)


def _cite(form: FormDef, name: str) -> str:
    try:
        return form.field(name).citation
    except KeyError:
        return form.statement.citation


def _sought(data: dict[str, Any], key: str) -> Any:
    """``data_sought[key]``, or None when either is absent or malformed."""
    sought = data.get("data_sought")
    return sought.get(key) if isinstance(sought, dict) else None


def _identifiers(data: dict[str, Any]) -> Iterator[tuple[list[str | int], dict[str, Any]]]:
    identifiers = _sought(data, "identifiers")
    if isinstance(identifiers, list):
        for index, item in enumerate(identifiers):
            if isinstance(item, dict):
                yield ["data_sought", "identifiers", index], item


def _parse_datetime(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


# -- identifiers ------------------------------------------------------------------------


def _domain_ok(value: str) -> bool:
    try:
        ascii_name = value.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_name.split(".")
    return len(labels) >= 2 and all(LABEL.match(label) for label in labels) and not labels[-1].isdigit()


def _format_problem(kind: str, value: str) -> str | None:
    if kind == "ip_address":
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return f"{value!r} is not an IPv4 or IPv6 address (give one address, without prefix length or port)"
    elif kind == "email" and not EMAIL.match(value):
        return f"{value!r} is not an e-mail address"
    elif kind == "phone" and not E164.match(value):
        return f"{value!r} is not a telephone number in E.164 form (+ country code and number, digits only)"
    elif kind == "domain" and not _domain_ok(value):
        return f"{value!r} is not a domain name"
    elif kind == "url":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return f"{value!r} is not an http(s) URL"
    return None


@check("Q-IDENTIFIER-FORMAT")
def _identifier_format(form: FormDef, data: dict[str, Any], _: QualityContext) -> Iterator[Issue]:
    for path, item in _identifiers(data):
        kind, value = item.get("kind"), item.get("value")
        if isinstance(kind, str) and isinstance(value, str) and (problem := _format_problem(kind, value)):
            yield _issue("Q-IDENTIFIER-FORMAT", [*path, "value"], _cite(form, "data_sought"), "bad_identifier", problem)
    if isinstance(data.get("domain_name"), str) and not _domain_ok(data["domain_name"]):
        yield _issue(
            "Q-IDENTIFIER-FORMAT",
            ["domain_name"],
            _cite(form, "domain_name"),
            "bad_identifier",
            f"{data['domain_name']!r} is not a domain name",
        )


@check("Q-IP-TIME")
def _ip_time(form: FormDef, data: dict[str, Any], _: QualityContext) -> Iterator[Issue]:
    citation = _cite(form, "data_sought")
    for path, item in _identifiers(data):
        if item.get("kind") != "ip_address":
            continue
        if "time" not in item:
            yield _issue(
                "Q-IP-TIME",
                [*path, "time"],
                citation,
                "ambiguous_identifier",
                "an IP address identifies a user only together with the exact time of use, with its UTC offset",
            )
        if "port" not in item:
            yield _issue(
                "Q-IP-TIME",
                [*path, "port"],
                citation,
                "ambiguous_identifier",
                "no source port: where the address is shared by many users the provider may not be able to single one out",
                severity=Severity.WARNING,
            )


# -- dates and time ranges --------------------------------------------------------------


def _datetimes(data: dict[str, Any]) -> Iterator[tuple[list[str | int], str]]:
    for path, item in _identifiers(data):
        if isinstance(item.get("time"), str):
            yield [*path, "time"], item["time"]
    span = _sought(data, "time_range")
    if isinstance(span, dict):
        for end in ("start", "end"):
            if isinstance(span.get(end), str):
                yield ["data_sought", "time_range", end], span[end]


@check("Q-TIME")
def _times(form: FormDef, data: dict[str, Any], context: QualityContext) -> Iterator[Issue]:
    citation = _cite(form, "data_sought")
    end_of_day = datetime.combine(context.as_of, time.max, tzinfo=UTC)
    for path, value in _datetimes(data):
        parsed = _parse_datetime(value)
        if parsed is None:
            yield _issue("Q-TIME", path, citation, "bad_time", f"{value!r} is not a date and time")
        elif not ZONE.search(value):
            yield _issue(
                "Q-TIME",
                path,
                citation,
                "ambiguous_time",
                f"{value!r} has no UTC offset: the time is ambiguous (write e.g. 2027-03-02T21:14:09+01:00)",
            )
        elif parsed > end_of_day:
            yield _issue("Q-TIME", path, citation, "future_time", f"{value!r} is in the future: only stored data can be ordered")
    issued = data.get("date_of_issue")
    if isinstance(issued, str) and issued > context.as_of.isoformat():
        yield _issue(
            "Q-TIME",
            ["date_of_issue"],
            _cite(form, "date_of_issue"),
            "future_date",
            f"the date of issue {issued} is in the future",
        )


@check("Q-TIME-RANGE")
def _time_range(form: FormDef, data: dict[str, Any], context: QualityContext) -> Iterator[Issue]:
    span = _sought(data, "time_range")
    if not isinstance(span, dict):
        return
    start, end = _parse_datetime(span.get("start")), _parse_datetime(span.get("end"))
    if start is None or end is None or start.tzinfo is None or end.tzinfo is None:
        return
    citation = _cite(form, "data_sought")
    path: list[str | int] = ["data_sought", "time_range"]
    if start >= end:
        yield _issue("Q-TIME-RANGE", path, citation, "bad_time_range", "the time range starts after it ends")
    elif end - start > timedelta(days=context.max_span_days):
        yield _issue(
            "Q-TIME-RANGE",
            path,
            citation,
            "broad_time_range",
            f"the time range covers {(end - start).days} days, more than {context.max_span_days}: "
            "over-broad requests are a common reason for refusal",
            severity=Severity.WARNING,
        )


# -- the law: data category, States, route, deadlines -----------------------------------


@check("Q-DATA-CATEGORY")
def _category(form: FormDef, data: dict[str, Any], _: QualityContext) -> Iterator[Issue]:
    category = _sought(data, "category")
    if not isinstance(category, str):
        return
    citation = _cite(form, "data_sought")
    if category not in form.data_categories:
        allowed = ", ".join(form.data_categories)
        yield _issue(
            "Q-DATA-CATEGORY",
            ["data_sought", "category"],
            citation,
            "data_not_covered",
            f"{category} data cannot be sought with this form (allowed: {allowed})",
        )
    elif category == "identification" and form.id == "2ap-7-order":
        yield _issue(
            "Q-DATA-CATEGORY",
            ["data_sought", "category"],
            citation,
            "data_not_covered",
            "Article 7 covers subscriber information only: seek the identity behind an IP address, "
            "not connection logs (traffic data)",
            severity=Severity.WARNING,
        )


@check("Q-STATES")
def _states(form: FormDef, data: dict[str, Any], context: QualityContext) -> Iterator[Issue]:
    issuing, recipient = data.get("issuing_state"), data.get("recipient_state")
    citation = form.statement.citation
    for name, code in (("issuing_state", issuing), ("recipient_state", recipient)):
        if isinstance(code, str) and not context.data.knows_state(code):
            yield _issue("Q-STATES", [name], citation, "unknown_state", f"{code!r} is not an ISO 3166-1 alpha-2 State code")
    if isinstance(issuing, str) and issuing == recipient:
        yield _issue(
            "Q-STATES",
            ["recipient_state"],
            citation,
            "same_state",
            "the recipient State is the issuing State: national law applies",
        )
    for name in ("provider", "addressee"):
        entity = data.get(name)
        if isinstance(entity, dict) and isinstance(recipient, str) and entity.get("country") not in (None, recipient):
            yield _issue(
                "Q-STATES",
                [name, "country"],
                _cite(form, name),
                "wrong_entity",
                f"the {name} named is in {entity.get('country')}, not in the recipient State {recipient}: "
                "send the order to the entity in the State it is addressed to",
            )
    provider = data.get("provider")
    if isinstance(provider, dict) and "legal_entity" not in provider:
        yield _issue(
            "Q-STATES",
            ["provider", "legal_entity"],
            _cite(form, "provider"),
            "legal_entity",
            "name the provider's legal entity that holds the data: orders to the wrong entity are refused",
            severity=Severity.WARNING,
        )


def emergency_of(form: FormDef, data: dict[str, Any]) -> EmergencyKind | None:
    """The kind of emergency a filled form states; an emergency-only form without the
    element is read as the first kind its instrument serves."""
    value = data.get("emergency")
    if value in set(EmergencyKind):
        return EmergencyKind(value)
    if value is None and form.emergency:
        return form.emergency[0]
    return None


def route_scenario(
    form: FormDef, data: dict[str, Any], *, issuing: str, category: DataCategory, as_of: date, what_if: WhatIf
) -> Scenario:
    """The route question a filled form asks: its States, data, measure and urgency."""
    return Scenario(
        issuing=issuing,
        provider_state=str(data.get("recipient_state", "")),
        data=category,
        as_of=as_of,
        measure=Measure.PRESERVATION if form.route in ("eu-epoc-pr", "bc-29") else Measure.PRODUCTION,
        emergency=emergency_of(form, data),
        entity=default_entity(category),
        what_if=what_if,
        # Reg 2023/1543 Art 5(4): the form states the ground relied on (Q-CONDITIONS checks it).
        offence_threshold=True if data.get("art5_4_ground") else None,
    )


def _scenario(form: FormDef, data: dict[str, Any], context: QualityContext) -> Scenario | None:
    category = "domain_registration" if form.id == "2ap-6-request" else _sought(data, "category")
    issuing, recipient = data.get("issuing_state"), data.get("recipient_state")
    if not (isinstance(issuing, str) and isinstance(recipient, str) and isinstance(category, str)):
        return None
    if category not in set(DataCategory):
        return None
    return route_scenario(
        form, data, issuing=issuing, category=DataCategory(str(category)), as_of=context.as_of, what_if=context.what_if
    )


@check("Q-ROUTE")
def _route(form: FormDef, data: dict[str, Any], context: QualityContext) -> Iterator[Issue]:
    scenario = _scenario(form, data, context)
    if scenario is None:
        return
    try:
        assessment = assess(context.data, scenario)
    except InvalidScenario:
        return  # unknown States and impossible combinations are reported by other checks
    outcome = next(o for o in assessment.outcomes if o.route.id == form.route)
    renderer = Renderer(context.data, assessment)
    route = renderer.route_json(outcome)
    if outcome.status.value != "available":
        # Each reason keeps its certainty: a position that is not recorded is not a fact.
        reasons = "; ".join(reason_text(r).rstrip(".") for r in route["reasons"] if r["code"] != "assumption")
        yield _issue(
            "Q-ROUTE",
            ["recipient_state"],
            form.statement.citation,
            f"route_{outcome.status.value}",
            f"the route advisor finds route {form.route} {outcome.status.value} on {context.as_of.isoformat()}: {reasons}",
            severity=Severity.WARNING,
        )
    if form.id == "2ap-7-order":
        required = next((n["required"] for n in route["notifications"] if n["rule"] == "cets224.art7.5.a.notification"), False)
        yield from notification_issues(form, data, renderer.values["provider"], None if required == "conditional" else required)


ART8_11_RULE = "cets224.art8.11.central_authority"


@check("Q-ART8-11")
def _art8_11_channel(form: FormDef, data: dict[str, Any], context: QualityContext) -> Iterator[Issue]:
    """CETS 224 Art 8(11): a Party may declare that orders under Article 8 must be submitted
    to it by the requesting Party's central authority (or another authority agreed with it).
    The form has no element for the sending channel, so the declaration is named as a
    warning: a fact where it is recorded (Japan, D-8-11), a possibility where the requested
    Party's positions are not recorded; nothing where it is known not to be made."""
    if form.id != "2ap-8-order":
        return
    scenario = _scenario(form, data, context)
    if scenario is None:
        return
    try:
        assessment = assess(context.data, scenario)
    except InvalidScenario:
        return
    outcome = next(o for o in assessment.outcomes if o.route.id == form.route)
    finding = next(f for f in outcome.findings if f.rule.id == ART8_11_RULE)
    if finding.value is False or finding.displaced_by:
        return
    renderer = Renderer(context.data, assessment)
    facts = renderer.facts(finding)
    recorded = "; ".join(f"recorded: {use.value}" for use in facts if finding.value is True)
    provider, issuing = renderer.values["provider"], renderer.values["issuing"]
    declaration = (
        "under Art 8(11) that orders under Article 8 must be submitted to it by the central authority of the "
        "requesting Party or another authority agreed with it"
    )
    submit = f"submit this order through the central authority of {issuing} or an authority agreed with {provider}"
    message = qualify(
        f"{provider} has declared {declaration}{f' ({recorded})' if recorded else ''}: {submit}.",
        known=finding.value is True,
        facts=[(use.label, use.value) for use in facts],
        hedged=f"{provider} may have declared {declaration}: if it has, {submit}.",
    )
    yield _issue(
        "Q-ART8-11",
        ["issuing_authority"],
        str(finding.rule.citation),
        "central_authority_channel",
        message,
        severity=Severity.WARNING,
    )


def notification_issues(form: FormDef, data: dict[str, Any], provider: str, required: bool | None) -> Iterator[Issue]:
    """What an Art 7 order lacks when the provider's Party requires (True) or may require
    (None: its Art 7(5)(a) notification is not recorded) simultaneous notification."""
    if required is False:
        return
    severity = Severity.ERROR if required is True else Severity.WARNING
    who = (
        f"{provider} requires simultaneous notification under Art 7(5)(a)"
        if required is True
        else f"{provider} may require simultaneous notification under Art 7(5)(a) "
        "(not recorded: whether it made an Art 7(5)(a) notification)"
    )
    if not data.get("summary_of_facts"):
        yield _issue(
            "Q-ROUTE",
            ["summary_of_facts"],
            _cite(form, "summary_of_facts"),
            "notification_required",
            f"{who}: add a summary of the facts for the notified authority",
            severity=severity,
        )
    if data.get("notification_made") is False:
        yield _issue(
            "Q-ROUTE",
            ["notification_made"],
            _cite(form, "notification_made"),
            "notification_required",
            f"{who}: make it and state that it has been made",
            severity=severity,
        )


@check("Q-DEADLINE")
def _deadline(form: FormDef, data: dict[str, Any], _: QualityContext) -> Iterator[Issue]:
    if form.id == "eu-epoc" and isinstance(data.get("deadline"), dict):
        deadline, emergency = data["deadline"], bool(data.get("emergency"))
        hours = deadline.get("hours") if emergency else None
        days = deadline.get("days")
        if emergency and isinstance(hours, int) and hours < 8:
            yield _issue(
                "Q-DEADLINE",
                ["deadline", "hours"],
                "Regulation (EU) 2023/1543 Art 10(4)",
                "deadline_too_short",
                "in an emergency the addressee has up to 8 hours",
            )
        if not emergency and isinstance(days, int) and days < 10:
            yield _issue(
                "Q-DEADLINE",
                ["deadline", "days"],
                "Regulation (EU) 2023/1543 Art 10(3)",
                "deadline_too_short",
                "the addressee has up to 10 days; ask for less only in an emergency (8 hours)",
            )
    for name in ("return_time_frame", "deadline"):
        frame = data.get(name)
        if isinstance(frame, dict) and "days" not in frame and "hours" not in frame:
            yield _issue("Q-DEADLINE", [name], _cite(form, name), "no_time_frame", "give the time frame in days or hours")
    if form.id == "bc-29-request" and isinstance(data.get("preservation_days"), int) and data["preservation_days"] < 60:
        yield _issue(
            "Q-DEADLINE",
            ["preservation_days"],
            "ETS 185 Art 29(7)",
            "deadline_too_short",
            "preservation lasts at least 60 days",
            severity=Severity.WARNING,
        )
    if form.id == "bc-29-request" and data.get("mla_to_follow") is False:
        yield _issue(
            "Q-DEADLINE",
            ["mla_to_follow"],
            "ETS 185 Art 29(2)(f)",
            "mla_required",
            "a preservation request states that a request for mutual assistance will follow",
        )


@check("Q-EMERGENCY")
def _emergency(form: FormDef, data: dict[str, Any], _: QualityContext) -> Iterator[Issue]:
    if form.emergency and data.get("emergency") is False:
        yield _issue(
            "Q-EMERGENCY", ["emergency"], form.statement.citation, "emergency_only", "this instrument is for emergencies only"
        )
    if data.get("emergency_other_addressee") is True and not data.get("emergency"):
        yield _issue(
            "Q-EMERGENCY",
            ["emergency_other_addressee"],
            _cite(form, "emergency_other_addressee"),
            "emergency_only",
            "an order goes to another addressee of the provider only in an emergency; state the kind of emergency",
        )
    kind = data.get("emergency")
    if form.emergency and kind in set(EmergencyKind) and EmergencyKind(kind) not in form.emergency:
        yield _issue(
            "Q-EMERGENCY",
            ["emergency"],
            "CETS 224 Art 3(2)(c)",
            "emergency_kind",
            "this instrument serves only an emergency in the Protocol's sense, a significant and imminent risk "
            "to the life or safety of a natural person; a threat to critical infrastructure alone is not one",
        )
    facts = data.get("emergency_facts")
    if isinstance(facts, str) and len(facts.split()) < 12:
        yield _issue(
            "Q-EMERGENCY",
            ["emergency_facts"],
            _cite(form, "emergency_facts"),
            "emergency_facts",
            "describe the significant and imminent risk to life or safety and how the data relate to it (a few sentences)",
        )
    if form.id == "eu-epoc" and in_emergency(data):
        reasons = data.get("emergency_reasons")
        if not isinstance(reasons, str) or len(reasons.split()) < 12:
            yield _issue(
                "Q-EMERGENCY",
                ["emergency_reasons"],
                _cite(form, "emergency_reasons"),
                "emergency_reasons",
                "an order issued in an emergency gives the reasons for the emergency, on which the 8-hour deadline rests: "
                "describe the imminent threat and how the data relate to it (a few sentences)",
            )


# -- the EU certificates: who issues and validates, on what ground, who is notified ----------

REG = "Regulation (EU) 2023/1543"
HIGH_REGIME = ("traffic", "content")  # Art 4(2), 5(4), 8(1): traffic (not identification) and content data


def in_emergency(data: dict[str, Any]) -> bool:
    """Whether the form says it is used in an emergency."""
    return bool(data.get("emergency"))


def _high_regime(form: FormDef, data: dict[str, Any]) -> bool:
    return form.id == "eu-epoc" and _sought(data, "category") in HIGH_REGIME


@check("Q-AUTHORITY")
def _authority(form: FormDef, data: dict[str, Any], _: QualityContext) -> Iterator[Issue]:
    if form.id not in ("eu-epoc", "eu-epoc-pr"):
        return
    high, issuer = _high_regime(form, data), data.get("issuing_authority_type")
    basis = f"{REG} Art 4(3)" if form.id == "eu-epoc-pr" else f"{REG} Art 4(2)" if high else f"{REG} Art 4(1)"
    if high and issuer == "public_prosecutor":
        yield _issue(
            "Q-AUTHORITY",
            ["issuing_authority_type"],
            f"{REG} Art 4(2)(a)",
            "authority_not_competent",
            "a European Production Order for traffic or content data is issued by a judge, a court or an investigating "
            "judge, not by a public prosecutor (who may issue one for subscriber or identification data, Art 4(1)(a))",
        )
    validated = isinstance(data.get("validating_authority"), dict)
    if issuer == "other_authority" and not validated:
        # Art 4(5): in an emergency, an order for subscriber or identification data, or a
        # preservation order, may be issued without prior validation; it is sought ex post.
        may_wait = in_emergency(data) and not high
        if not may_wait:
            yield _issue(
                "Q-AUTHORITY",
                ["validating_authority"],
                basis if form.id == "eu-epoc-pr" else f"{basis}(b)",  # Art 4(3) is not split in the reference
                "validation_required",
                "an order issued by another competent authority must be validated before it is sent"
                + (
                    " (in an emergency only an order for subscriber or identification data, or a preservation order, "
                    "may be issued without prior validation: Art 4(5))"
                    if in_emergency(data)
                    else ""
                ),
            )
        elif data.get("ex_post_validation") is not True:
            yield _issue(
                "Q-AUTHORITY",
                ["ex_post_validation"],
                f"{REG} Art 4(5)",
                "validation_required",
                "issued in an emergency without prior validation: validation must be sought within 48 hours; state that it is",
            )
    if validated and "validating_authority_type" not in data:
        yield _issue(
            "Q-AUTHORITY",
            ["validating_authority_type"],
            basis,
            "validation_type_missing",
            "state the type of the validating authority",
            severity=Severity.WARNING,
        )
    if high and data.get("validating_authority_type") == "public_prosecutor":
        yield _issue(
            "Q-AUTHORITY",
            ["validating_authority_type"],
            f"{REG} Art 4(2)(b)",
            "authority_not_competent",
            "for traffic or content data the order is validated by a judge, a court or an investigating judge, "
            "not by a public prosecutor (the list in Art 4(2)(b) is not yet verified against the official text)",
            severity=Severity.WARNING,
        )


@check("Q-CONDITIONS")
def _conditions(form: FormDef, data: dict[str, Any], _: QualityContext) -> Iterator[Issue]:
    if form.id != "eu-epoc":
        return
    ground = data.get("art5_4_ground")
    if _high_regime(form, data) and ground is None:
        yield _issue(
            "Q-CONDITIONS",
            ["art5_4_ground"],
            f"{REG} Art 5(4)",
            "ground_missing",
            "traffic data (other than data requested only to identify the user) and content data may be ordered only "
            "on a ground of Art 5(4): state the ground relied on",
        )
    offences = data.get("offences")
    if ground == "max_penalty_3_years" and isinstance(offences, list):
        for index, offence in enumerate(offences):
            years = offence.get("max_penalty_years") if isinstance(offence, dict) else None
            if isinstance(years, int) and years < 3:
                yield _issue(
                    "Q-CONDITIONS",
                    ["offences", index, "max_penalty_years"],
                    f"{REG} Art 5(4)(a)",
                    "ground_not_met",
                    f"the ground relied on is an offence punishable by a maximum of at least 3 years; "
                    f"this offence's maximum is {years} years",
                )
    if data.get("data_role") == "processor" and data.get("processor_confirmation") is not True:
        yield _issue(
            "Q-CONDITIONS",
            ["processor_confirmation"],
            f"{REG} Art 5(5)(h)",
            "processor_confirmation",
            "an order addressed to a service provider that processes the data on behalf of the controller confirms "
            "that it is made in accordance with Art 5(6)",
        )


@check("Q-ENFORCING")
def _enforcing(form: FormDef, data: dict[str, Any], _: QualityContext) -> Iterator[Issue]:
    if form.id != "eu-epoc":
        return
    notified = data.get("enforcing_notified")
    if _high_regime(form, data) and notified is not True and data.get("notification_exception") is not True:
        yield _issue(
            "Q-ENFORCING",
            ["enforcing_notified"],
            f"{REG} Art 8(1)",
            "notification_required",
            "for traffic or content data the EPOC is sent to the enforcing authority at the same time as to the "
            "addressee, unless there are reasonable grounds to believe that the offence was, is being or is likely to "
            "be committed in the issuing State and that the person whose data are sought resides there (Art 8(2))",
        )
    if notified is True and not isinstance(data.get("enforcing_authority"), dict):
        yield _issue(
            "Q-ENFORCING",
            ["enforcing_authority"],
            f"{REG} Art 8(1)",
            "notification_required",
            "name the enforcing authority notified: the addressee sends it any Annex III form",
        )


def language_citation(form: FormDef) -> str:
    """The citation of the language rule of the form's route."""
    route = next(r for r in ROUTES if r.id == form.route)
    return next(str(rule.citation) for rule in route.rules if rule.kind is Kind.LANGUAGE)


@check("Q-LANGUAGE")
def _language(form: FormDef, data: dict[str, Any], context: QualityContext) -> Iterator[Issue]:
    accepted, written = data.get("recipient_languages"), data.get("language")
    if not isinstance(written, str):
        return
    citation = language_citation(form)
    if context.accepted_languages:
        if written not in context.accepted_languages:
            yield _issue(
                "Q-LANGUAGE",
                ["language"],
                citation,
                "translation_needed",
                f"the free-text fields are in {written!r}, which is not among the languages the addressee states it "
                f"accepts in its policy profile ({', '.join(context.accepted_languages)}): translate them",
                severity=Severity.WARNING,
            )
        return
    if not isinstance(accepted, list):
        yield _issue(
            "Q-LANGUAGE",
            ["recipient_languages"],
            citation,
            "languages_unknown",
            "state the languages the recipient accepts (Art 4 of the Protocol; the provider's declaration under the Regulation)",
            severity=Severity.WARNING,
        )
    elif written not in accepted:
        yield _issue(
            "Q-LANGUAGE",
            ["language"],
            citation,
            "translation_needed",
            f"the free-text fields are in {written!r}, which is not among the languages this form states the "
            f"recipient accepts ({', '.join(map(str, accepted))}): translate them",
            severity=Severity.WARNING,
        )
