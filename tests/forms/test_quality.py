"""Layer (b): the pre-submission checks aimed at the known causes of refusal."""

from __future__ import annotations

from typing import Any

import pytest

from cyberspex.forms.issues import Issue, Severity
from cyberspex.forms.quality import QualityContext
from cyberspex.forms.validate import validate
from cyberspex.law.scenario import WhatIf
from cyberspex.refdata.loader import load_reference_data
from tests.forms.helpers import AS_OF, context, example


def issues(form_id: str, data: dict[str, Any], ctx: QualityContext | None = None) -> list[Issue]:
    return validate(form_id, data, ctx or context())


def codes(found: list[Issue]) -> list[tuple[str, str, str]]:
    return [(i.path, i.code, i.severity.value) for i in found if i.rule != "schema"]


def with_identifier(identifier: dict[str, Any]) -> dict[str, Any]:
    data = example("bc-29-request")
    data["data_sought"]["identifiers"] = [identifier]
    return data


@pytest.mark.parametrize(
    ("identifier", "fragment"),
    [
        (
            {"kind": "ip_address", "value": "300.1.2.3", "port": 1, "time": "2026-10-01T10:00:00+00:00"},
            "not an IPv4 or IPv6 address",
        ),
        (
            {"kind": "ip_address", "value": "192.0.2.0/24", "port": 1, "time": "2026-10-01T10:00:00+00:00"},
            "without prefix length",
        ),
        ({"kind": "email", "value": "john.doe.example.com"}, "not an e-mail address"),
        ({"kind": "phone", "value": "06 12 34 56 78"}, "E.164"),
        ({"kind": "domain", "value": "bad_domain..com"}, "not a domain name"),
        ({"kind": "url", "value": "ftp://example.com/x"}, "not an http(s) URL"),
    ],
)
def test_it_refuses_a_badly_formatted_identifier(identifier: dict[str, Any], fragment: str) -> None:
    found = [i for i in issues("bc-29-request", with_identifier(identifier)) if i.code == "bad_identifier"]
    assert len(found) == 1
    assert found[0].path == "$.data_sought.identifiers[0].value"
    assert fragment in found[0].message
    assert found[0].citation == "ETS 185 Art 29(2)(c)"


@pytest.mark.parametrize(
    "identifier",
    [
        {"kind": "ip_address", "value": "2001:db8::1", "port": 443, "time": "2026-10-01T10:00:00+02:00"},
        {"kind": "ip_address", "value": "192.0.2.7", "port": 51000, "time": "2026-10-01T10:00:00Z"},
        {"kind": "email", "value": "someone@example.org"},
        {"kind": "phone", "value": "+33612345678"},
        {"kind": "domain", "value": "bücher.example"},
        {"kind": "url", "value": "https://example.com/profile/123"},
    ],
)
def test_it_accepts_well_formed_identifiers(identifier: dict[str, Any]) -> None:
    assert codes(issues("bc-29-request", with_identifier(identifier))) == []


def test_an_ip_address_needs_a_time_and_should_have_a_port() -> None:
    found = codes(issues("bc-29-request", with_identifier({"kind": "ip_address", "value": "192.0.2.7"})))
    assert ("$.data_sought.identifiers[0].time", "ambiguous_identifier", "error") in found
    assert ("$.data_sought.identifiers[0].port", "ambiguous_identifier", "warning") in found


def test_a_time_without_utc_offset_is_ambiguous() -> None:
    found = codes(
        issues(
            "bc-29-request",
            with_identifier({"kind": "ip_address", "value": "192.0.2.7", "port": 1, "time": "2026-10-01T10:00:00"}),
        )
    )
    assert found == [("$.data_sought.identifiers[0].time", "ambiguous_time", "error")]


def test_a_time_in_the_future_is_refused() -> None:
    found = codes(
        issues(
            "bc-29-request",
            with_identifier({"kind": "ip_address", "value": "192.0.2.7", "port": 1, "time": "2027-01-01T10:00:00+00:00"}),
        )
    )
    assert found == [("$.data_sought.identifiers[0].time", "future_time", "error")]


def test_a_date_of_issue_in_the_future_is_refused() -> None:
    found = codes(issues("eu-epoc", example("eu-epoc") | {"date_of_issue": "2026-12-01"}))
    assert found == [("$.date_of_issue", "future_date", "error")]


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    data = example("bc-29-request")
    data["data_sought"]["time_range"] = {"start": "2026-10-31T00:00:00+00:00", "end": "2026-10-01T00:00:00+00:00"}
    assert codes(issues("bc-29-request", data)) == [("$.data_sought.time_range", "bad_time_range", "error")]


def test_an_over_broad_range_is_a_warning_with_a_configurable_span() -> None:
    data = example("bc-29-request")
    data["data_sought"]["time_range"] = {"start": "2026-01-01T00:00:00+00:00", "end": "2026-10-01T00:00:00+00:00"}
    assert codes(issues("bc-29-request", data)) == [("$.data_sought.time_range", "broad_time_range", "warning")]
    wide = QualityContext(load_reference_data(), AS_OF, max_span_days=365)
    assert codes(issues("bc-29-request", data, wide)) == []


def test_traffic_data_cannot_be_sought_with_an_article_7_order() -> None:
    data = example("2ap-7-order")
    data["data_sought"]["category"] = "traffic"
    found = [i for i in issues("2ap-7-order", data) if i.code == "data_not_covered"]
    assert [(i.severity, i.citation) for i in found] == [(Severity.ERROR, "CETS 224 Art 7(3)(f)")]


def test_content_data_cannot_be_sought_under_article_8() -> None:
    data = example("2ap-8-order")
    data["data_sought"]["category"] = "content"
    assert [i.code for i in issues("2ap-8-order", data) if i.severity is Severity.ERROR] == ["data_not_covered"]


def test_a_provider_in_another_state_than_the_recipient_is_the_wrong_entity() -> None:
    data = example("2ap-8-order")
    data["provider"]["country"] = "US"
    assert ("$.provider.country", "wrong_entity", "error") in codes(issues("2ap-8-order", data))


def test_a_provider_without_its_legal_entity_is_a_warning() -> None:
    data = example("2ap-8-order")
    del data["provider"]["legal_entity"]
    assert ("$.provider.legal_entity", "legal_entity", "warning") in codes(issues("2ap-8-order", data))


def test_the_same_state_on_both_sides_is_refused() -> None:
    data = example("eu-epoc") | {"recipient_state": "FR"}
    data["addressee"]["country"] = "FR"
    assert ("$.recipient_state", "same_state", "error") in codes(issues("eu-epoc", data))


def test_an_emergency_request_needs_the_facts_of_the_emergency() -> None:
    data = example("2ap-9-request") | {"emergency_facts": "Urgent, please help."}
    assert ("$.emergency_facts", "emergency_facts", "error") in codes(issues("2ap-9-request", data))


def test_an_emergency_instrument_cannot_be_used_outside_an_emergency() -> None:
    data = example("2ap-10-request") | {"emergency": False}
    assert ("$.emergency", "emergency_only", "error") in codes(issues("2ap-10-request", data))


def test_a_language_the_recipient_does_not_accept_is_flagged() -> None:
    found = [i for i in issues("2ap-7-order", example("2ap-7-order")) if i.code == "translation_needed"]
    assert [(i.path, i.severity, i.citation) for i in found] == [("$.language", Severity.WARNING, "CETS 224 Art 4(2)")]


def test_an_epoc_deadline_shorter_than_the_law_allows_is_refused() -> None:
    data = example("eu-epoc")
    data["deadline"] = {"days": 5, "manner": "Through the decentralised IT system"}
    found = [i for i in issues("eu-epoc", data) if i.code == "deadline_too_short"]
    assert [(i.path, i.citation) for i in found] == [("$.deadline.days", "Regulation (EU) 2023/1543 Art 10(3)")]
    data |= {"emergency": "life", "deadline": {"hours": 4, "manner": "Through the decentralised IT system"}}
    assert [i.citation for i in issues("eu-epoc", data) if i.code == "deadline_too_short"] == [
        "Regulation (EU) 2023/1543 Art 10(4)"
    ]


def test_a_preservation_request_must_announce_the_mutual_assistance_request() -> None:
    found = [i for i in issues("bc-29-request", example("bc-29-request") | {"mla_to_follow": False}) if i.code == "mla_required"]
    assert [i.severity for i in found] == [Severity.ERROR]


def test_the_route_advisor_flags_a_route_that_is_not_open() -> None:
    found = [i for i in issues("2ap-7-order", example("2ap-7-order")) if i.rule == "Q-ROUTE"]
    assert [(i.code, i.severity) for i in found] == [("route_unavailable", Severity.WARNING)]
    assert "The Protocol is not in force on 2026-11-28" in found[0].message


def test_the_notification_the_provider_state_requires_needs_a_summary_of_facts() -> None:
    data = example("2ap-7-order") | {"issuing_state": "US", "recipient_state": "FR"}
    data["provider"]["country"] = "FR"
    del data["summary_of_facts"]
    what_if = QualityContext(
        load_reference_data(), AS_OF, what_if=WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"}))
    )
    found = [i for i in issues("2ap-7-order", data, what_if) if i.code == "notification_required"]
    assert [(i.path, i.severity) for i in found] == [("$.summary_of_facts", Severity.WARNING)]
