"""The forms state the kind of emergency: false, "life" or "infrastructure"."""

from __future__ import annotations

import pytest

from cyberspex.forms.issues import Issue
from cyberspex.forms.package import build_document
from cyberspex.forms.prefill import prefill
from cyberspex.forms.render_text import render_text
from cyberspex.forms.validate import validate
from cyberspex.law.advisor import assess
from cyberspex.law.model import ReferenceData
from cyberspex.law.scenario import DataCategory, EmergencyKind, Scenario
from tests.forms.helpers import AS_OF, context, example


def found(form_id: str, data: dict[str, object]) -> list[Issue]:
    return validate(form_id, data, context())


@pytest.mark.parametrize("form_id", ["2ap-9-request", "2ap-10-request"])
def test_a_protocol_emergency_request_for_a_threat_to_critical_infrastructure_alone_is_refused(form_id: str) -> None:
    issues = [i for i in found(form_id, example(form_id) | {"emergency": "infrastructure"}) if i.code == "emergency_kind"]
    assert [(i.path, i.severity.value, i.citation) for i in issues] == [("$.emergency", "error", "CETS 224 Art 3(2)(c)")]


@pytest.mark.parametrize("form_id", ["2ap-9-request", "2ap-10-request"])
def test_a_protocol_emergency_request_for_a_threat_to_life_passes(form_id: str) -> None:
    assert [i for i in found(form_id, example(form_id)) if i.path == "$.emergency"] == []


@pytest.mark.parametrize("kind", ["life", "infrastructure"])
def test_an_epoc_may_state_either_kind_and_then_allows_8_hours(kind: str) -> None:
    data = example("eu-epoc") | {"emergency": kind, "deadline": {"hours": 8, "manner": "Through the decentralised IT system"}}
    issues = found("eu-epoc", data)
    assert [i for i in issues if i.path == "$.emergency"] == []
    assert [i for i in issues if i.code == "deadline_too_short"] == []


def test_the_old_yes_or_no_flag_must_now_say_which_kind_of_emergency() -> None:
    issues = found("2ap-9-request", example("2ap-9-request") | {"emergency": True})
    assert any(i.path == "$.emergency" and i.rule == "schema" for i in issues)


def test_the_pre_filled_epoc_carries_the_kind_and_the_8_hour_deadline(data: ReferenceData) -> None:
    scenario = Scenario("FR", "DE", DataCategory.SUBSCRIBER, AS_OF, emergency=EmergencyKind.INFRASTRUCTURE)
    skeleton = prefill(data, "eu-epoc", assess(data, scenario))
    assert (skeleton["emergency"], skeleton["deadline"]) == ("infrastructure", {"hours": 8})


def test_without_an_emergency_the_pre_filled_form_says_false(data: ReferenceData) -> None:
    scenario = Scenario("FR", "DE", DataCategory.SUBSCRIBER, AS_OF)
    assert prefill(data, "eu-epoc", assess(data, scenario))["emergency"] is False


@pytest.mark.parametrize(
    ("language", "line"),
    [("en", "Emergency: threat to a critical infrastructure"), ("fr", "Urgence: menace pour une infrastructure critique")],
)
def test_the_package_names_the_kind_of_emergency(language: str, line: str) -> None:
    data = example("eu-epoc") | {"emergency": "infrastructure"}
    text = render_text(build_document("eu-epoc", data, package="full", language=language))
    assert line in text


def test_an_epoc_sent_to_another_addressee_must_state_the_emergency() -> None:
    data = example("eu-epoc") | {"emergency_other_addressee": True}
    issues = [i for i in found("eu-epoc", data) if i.path == "$.emergency_other_addressee"]
    assert [(i.code, i.severity.value, i.citation) for i in issues] == [
        ("emergency_only", "error", "Regulation (EU) 2023/1543 Annex I")
    ]
    assert [i for i in found("eu-epoc", data | {"emergency": "infrastructure"}) if i.path == "$.emergency_other_addressee"] == []
