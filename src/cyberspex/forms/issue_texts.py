"""The validation problems of the forms, by a stable id, for pages in other languages.

Each issue keeps its English message (with the values it names) for the JSON, the CLI and
English pages. In another language the page shows the catalogue's text for the issue's
``rule`` and ``code`` (``issue.<rule>.<code>``), whose only parameter is the element at fault
(``{field}``), from ``src/cyberspex/data/messages/<lang>.yaml``; the path and the legal basis
stay beside it. Issues that quote the route advisor (``Q-ROUTE`` ``route_*``) add the
advisor's reasons, rendered in the language by the web layer.
"""

from __future__ import annotations

from collections.abc import Mapping

ENGLISH: dict[str, str] = {
    "issue.schema.missing_element": "the mandatory element {field} is missing",
    "issue.schema.unknown_field": "{field} is not an element of this form",
    "issue.schema.invalid_type": "{field}: the value is not of the expected kind",
    "issue.schema.invalid_value": "{field}: the value is not one this form allows",
    "issue.Q-ART8-11.central_authority_channel": (
        "the requested Party has declared, or may have declared, under Art 8(11) that orders under Article 8 must be "
        "submitted by the central authority of the requesting Party or another authority agreed with it"
    ),
    "issue.Q-IDENTIFIER-FORMAT.bad_identifier": "{field}: the identifier is not well formed for its kind",
    "issue.Q-IP-TIME.ambiguous_identifier": (
        "{field}: an IP address identifies a user only with the exact time of use (with its UTC offset) and, where the "
        "address is shared, the source port"
    ),
    "issue.Q-TIME.bad_time": "{field}: not a date and time",
    "issue.Q-TIME.ambiguous_time": (
        "{field}: the time has no UTC offset and is ambiguous (write e.g. 2027-03-02T21:14:09+01:00)"
    ),
    "issue.Q-TIME.future_time": "{field}: the time is in the future; only stored data can be ordered",
    "issue.Q-TIME.future_date": "the date of issue is in the future",
    "issue.Q-TIME-RANGE.bad_time_range": "the time range starts after it ends",
    "issue.Q-TIME-RANGE.broad_time_range": "the time range is very long: over-broad requests are refused",
    "issue.Q-DATA-CATEGORY.data_not_covered": "this category of data cannot be sought with this form",
    "issue.Q-STATES.unknown_state": "{field}: not an ISO 3166-1 alpha-2 State code",
    "issue.Q-STATES.same_state": "the recipient State is the issuing State: national law applies",
    "issue.Q-STATES.legal_entity": "name the provider's legal entity that holds the data: orders to the wrong entity are refused",
    "issue.Q-STATES.wrong_entity": (
        "the entity named is not in the recipient State: send the order to the recipient State's entity"
    ),
    "issue.Q-ROUTE.route_conditional": "the route advisor finds this form's route conditional on the day",
    "issue.Q-ROUTE.route_unavailable": "the route advisor finds this form's route unavailable on the day",
    "issue.Q-ROUTE.notification_required": (
        "the provider's Party requires, or may require, simultaneous notification under Art 7(5)(a): make it, state "
        "that it has been made and add a summary of the facts"
    ),
    "issue.Q-DEADLINE.deadline_too_short": "the time frame asked for is shorter than the one the law gives",
    "issue.Q-DEADLINE.mla_required": "a preservation request states that a request for mutual assistance will follow",
    "issue.Q-DEADLINE.no_time_frame": "give the time frame in days or hours",
    "issue.Q-EMERGENCY.emergency_only": "this is possible only in an emergency: state the kind of emergency",
    "issue.Q-EMERGENCY.emergency_kind": (
        "this instrument serves only a significant and imminent risk to the life or safety of a natural person; a "
        "threat to critical infrastructure alone is not enough"
    ),
    "issue.Q-EMERGENCY.emergency_facts": "describe the risk and how the data relate to it (a few sentences)",
    "issue.Q-EMERGENCY.emergency_reasons": "give the reasons for the emergency, on which the short deadline rests",
    "issue.Q-AUTHORITY.authority_not_competent": (
        "traffic or content data: the order is issued or validated by a judge, a court or an investigating judge, not by "
        "a public prosecutor"
    ),
    "issue.Q-AUTHORITY.validation_required": "the order must be validated before it is sent (in an emergency: within 48 hours)",
    "issue.Q-AUTHORITY.validation_type_missing": "state the type of the validating authority",
    "issue.Q-CONDITIONS.ground_missing": "traffic or content data: state the ground of Art 5(4) relied on",
    "issue.Q-CONDITIONS.ground_not_met": "the offence's maximum penalty does not meet the ground relied on",
    "issue.Q-CONDITIONS.processor_confirmation": (
        "an order to a provider that processes the data for the controller confirms that it is made in accordance with Art 5(6)"
    ),
    "issue.Q-ENFORCING.notification_required": (
        "traffic or content data: notify the enforcing authority at the same time as the addressee, and name it"
    ),
    "issue.Q-LANGUAGE.languages_unknown": "state the languages the recipient accepts",
    "issue.Q-LANGUAGE.translation_needed": "the free-text fields are not in a language the recipient accepts: translate them",
}


def issue_key(issue: Mapping[str, str]) -> str:
    return f"issue.{issue.get('rule', 'schema')}.{issue.get('code', '')}"


def field_of(issue: Mapping[str, str]) -> str:
    """The element at fault, from the issue's JSON path: ``$.offences[0].provisions`` -> ``provisions``."""
    path = issue.get("path", "$")
    last = path.rsplit(".", 1)[-1] if "." in path else path
    return last.split("[", 1)[0].strip("$") or path


def issue_text(issue: Mapping[str, str], texts: Mapping[str, str]) -> str | None:
    """The issue in the language of ``texts`` (a catalogue), or None where it has no entry."""
    template = texts.get(issue_key(issue))
    return template.format(field=field_of(issue)) if template is not None else None
