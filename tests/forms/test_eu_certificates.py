"""The EPOC and EPOC-PR hold what Regulation (EU) 2023/1543 requires of an order and say
which of their sections could not be checked against the official text."""

from __future__ import annotations

from typing import Any

from cyberspex.forms.issues import Severity
from cyberspex.forms.package import build_document, package_data
from cyberspex.forms.schema import json_schema
from cyberspex.forms.validate import validate
from tests.forms.helpers import context, example

REG = "Regulation (EU) 2023/1543"
PARIS_JUDGE = {
    "name": "Tribunal judiciaire de Paris, juge des libertés et de la détention",
    "address": "Parvis du Tribunal de Paris, 75017 Paris",
    "country": "FR",
    "contact": {"email": "jld@tj-paris.example"},
}
ENFORCING = {
    "name": "High Court of Ireland",
    "address": "Four Courts, Dublin 7",
    "country": "IE",
    "contact": {"email": "e-evidence@courts.example"},
}


def epoc(category: str = "subscriber", **changes: Any) -> dict[str, Any]:
    data = example("eu-epoc")
    data["data_sought"]["category"] = category
    return data | changes


def traffic_epoc(**changes: Any) -> dict[str, Any]:
    """An EPOC for traffic data as the Regulation wants it: a judge, a ground, the notification."""
    return (
        epoc(
            "traffic",
            issuing_authority_type="judge_court",
            art5_4_ground="max_penalty_3_years",
            enforcing_notified=True,
            enforcing_authority=ENFORCING,
        )
        | changes
    )


def found(form_id: str, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(i.path, i.code, i.severity.value) for i in validate(form_id, data, context()) if i.rule != "Q-ROUTE"]


def test_the_examples_are_valid() -> None:
    assert found("eu-epoc", example("eu-epoc")) == []
    assert found("eu-epoc-pr", example("eu-epoc-pr")) == []
    assert found("eu-epoc", traffic_epoc()) == []


# -- Art 5(5)(g): the reasons for an emergency --------------------------------------------


def test_an_epoc_issued_in_an_emergency_gives_the_reasons_for_the_emergency() -> None:
    data = epoc(emergency="life", deadline={"hours": 8, "manner": "Through the decentralised IT system"})
    assert ("$.emergency_reasons", "emergency_reasons", "error") in found("eu-epoc", data)
    reasons = (
        "The account holder announced on 27 November a bomb attack on a school in Lyon for the next morning; "
        "the subscriber data identify the author."
    )
    assert found("eu-epoc", data | {"emergency_reasons": reasons}) == []


def test_the_addressee_reads_the_reasons_for_the_emergency() -> None:
    data = epoc(emergency="life", emergency_reasons="An imminent threat to the life of a child held by the account holder.")
    assert package_data("eu-epoc", data, "provider")["emergency_reasons"].startswith("An imminent threat")


# -- Art 5(4): the ground relied on for traffic and content data ----------------------------


def test_an_epoc_for_traffic_or_content_data_states_the_art_5_4_ground() -> None:
    for category in ("traffic", "content"):
        data = traffic_epoc(data_sought=epoc(category)["data_sought"])
        del data["art5_4_ground"]
        assert ("$.art5_4_ground", "ground_missing", "error") in found("eu-epoc", data)


def test_subscriber_and_identification_data_need_no_art_5_4_ground() -> None:
    assert found("eu-epoc", epoc("subscriber")) == []
    assert found("eu-epoc", epoc("identification")) == []


def test_a_three_year_ground_needs_an_offence_punishable_by_at_least_three_years() -> None:
    data = traffic_epoc()
    data["offences"][0]["max_penalty_years"] = 2
    assert found("eu-epoc", data) == [("$.offences[0].max_penalty_years", "ground_not_met", "error")]


def test_a_stated_ground_answers_the_route_advisor_s_question_on_the_offence() -> None:
    without = [i.message for i in validate("eu-epoc", epoc("traffic"), context()) if i.rule == "Q-ROUTE"]
    assert any("may be ordered only for offences punishable" in m for m in without)
    assert [i for i in validate("eu-epoc", traffic_epoc(), context()) if i.rule == "Q-ROUTE"] == []


# -- Art 8: the enforcing authority ------------------------------------------------------


def test_an_epoc_for_traffic_or_content_data_is_notified_to_the_enforcing_authority() -> None:
    data = traffic_epoc()
    del data["enforcing_notified"], data["enforcing_authority"]
    found_issues = [i for i in validate("eu-epoc", data, context()) if i.code == "notification_required"]
    assert [(i.path, i.citation) for i in found_issues] == [("$.enforcing_notified", f"{REG} Art 8(1)")]


def test_no_notification_is_needed_where_art_8_2_applies() -> None:
    data = traffic_epoc(notification_exception=True)
    del data["enforcing_notified"], data["enforcing_authority"]
    assert found("eu-epoc", data) == []


def test_the_enforcing_authority_notified_is_named_and_the_addressee_sees_it() -> None:
    data = traffic_epoc()
    del data["enforcing_authority"]
    assert found("eu-epoc", data) == [("$.enforcing_authority", "notification_required", "error")]
    provider = package_data("eu-epoc", traffic_epoc(), "provider")
    assert (provider["enforcing_notified"], provider["enforcing_authority"]["name"]) == (True, "High Court of Ireland")


def test_the_additional_information_for_the_enforcing_authority_stays_with_it() -> None:
    data = traffic_epoc(additional_information="The suspect is a journalist; no press-freedom rule is engaged.")
    assert "additional_information" not in package_data("eu-epoc", data, "provider")
    assert "additional_information" in package_data("eu-epoc", data, "authority")


# -- Art 5(6) and 5(5)(h): an order to a processor -------------------------------------------


def test_an_order_to_a_processor_confirms_that_art_5_6_allows_it() -> None:
    data = epoc(data_role="processor")
    assert found("eu-epoc", data) == [("$.processor_confirmation", "processor_confirmation", "error")]
    assert found("eu-epoc", data | {"processor_confirmation": True}) == []


# -- Art 4: who issues and who validates --------------------------------------------------


def test_an_order_of_another_competent_authority_must_be_validated() -> None:
    police = {"issuing_authority_type": "other_authority"}
    assert found("eu-epoc", epoc(**police)) == [("$.validating_authority", "validation_required", "error")]
    assert [i.citation for i in validate("eu-epoc", epoc(**police), context()) if i.code == "validation_required"] == [
        f"{REG} Art 4(1)(b)"
    ]
    traffic = traffic_epoc(**police)
    assert [i.citation for i in validate("eu-epoc", traffic, context()) if i.code == "validation_required"] == [
        f"{REG} Art 4(2)(b)"
    ]
    preservation = example("eu-epoc-pr") | police
    assert [i.citation for i in validate("eu-epoc-pr", preservation, context()) if i.code == "validation_required"] == [
        f"{REG} Art 4(3)"
    ]
    validated = police | {"validating_authority": PARIS_JUDGE, "validating_authority_type": "judge_court"}
    assert found("eu-epoc", epoc(**validated)) == []
    assert found("eu-epoc", traffic_epoc(**validated)) == []


def test_in_an_emergency_validation_may_follow_if_it_is_sought_within_48_hours() -> None:
    reasons = "An imminent threat to the life of a child: the account holder announced he would harm her tonight."
    urgent = {"issuing_authority_type": "other_authority", "emergency": "life", "emergency_reasons": reasons}
    urgent |= {"deadline": {"hours": 8, "manner": "Through the decentralised IT system"}}
    assert found("eu-epoc", epoc(**urgent)) == [("$.ex_post_validation", "validation_required", "error")]
    assert found("eu-epoc", epoc(**urgent, ex_post_validation=True)) == []
    preservation = example("eu-epoc-pr") | {"issuing_authority_type": "other_authority", "emergency": "life"}
    assert found("eu-epoc-pr", preservation | {"ex_post_validation": True}) == []


def test_an_order_for_traffic_data_is_never_issued_without_prior_validation() -> None:
    reasons = "An imminent threat to the life of a child: the account holder announced he would harm her tonight."
    urgent = traffic_epoc(issuing_authority_type="other_authority", emergency="life", emergency_reasons=reasons)
    urgent |= {"ex_post_validation": True, "deadline": {"hours": 8, "manner": "Through the decentralised IT system"}}
    issues = [i for i in validate("eu-epoc", urgent, context()) if i.code == "validation_required"]
    assert [(i.path, i.severity) for i in issues] == [("$.validating_authority", Severity.ERROR)]
    assert "Art 4(5)" in issues[0].message


def test_a_public_prosecutor_issues_no_epoc_for_traffic_or_content_data() -> None:
    data = traffic_epoc(issuing_authority_type="public_prosecutor")
    assert found("eu-epoc", data) == [("$.issuing_authority_type", "authority_not_competent", "error")]
    assert found("eu-epoc", epoc(issuing_authority_type="public_prosecutor")) == []


def test_a_public_prosecutor_validating_an_epoc_for_traffic_data_is_flagged() -> None:
    data = traffic_epoc(
        issuing_authority_type="other_authority", validating_authority=PARIS_JUDGE, validating_authority_type="public_prosecutor"
    )
    assert found("eu-epoc", data) == [("$.validating_authority_type", "authority_not_competent", "warning")]


def test_the_issuing_authority_type_is_a_mandatory_element() -> None:
    for form_id in ("eu-epoc", "eu-epoc-pr"):
        data = example(form_id)
        del data["issuing_authority_type"]
        assert ("$.issuing_authority_type", "missing_element", "error") in [
            (i.path, i.code, i.severity.value) for i in validate(form_id, data, context())
        ]


# -- what is verified ----------------------------------------------------------------------


def test_the_new_elements_say_whether_their_text_is_verified() -> None:
    epoc_schema = json_schema("eu-epoc")["properties"]
    unverified = ("emergency_reasons", "art5_4_ground", "data_role", "processor_confirmation", "issuing_authority_type")
    for name in unverified:
        assert epoc_schema[name]["x-verified"] is False, name
    for name in ("enforcing_notified", "enforcing_authority", "notification_exception"):
        assert epoc_schema[name]["x-verified"] is True, name  # Art 8(1)-(2), eu-e-evidence.md NOTIF-1, NOTIF-3
    assert epoc_schema["emergency_reasons"]["x-citation"] == f"{REG} Art 5(5)(g)"
    assert epoc_schema["processor_confirmation"]["x-citation"] == f"{REG} Art 5(5)(h)"
    assert json_schema("eu-epoc-pr")["properties"]["ex_post_validation"]["x-citation"] == f"{REG} Art 4(5)"


def test_the_file_copy_names_every_section_not_checked_against_the_official_text() -> None:
    reasons = "An imminent threat to the life of a child: the account holder announced he would harm her tonight."
    data = traffic_epoc(emergency="life", emergency_reasons=reasons, deadline={"hours": 8, "manner": "IT system"})
    document = build_document("eu-epoc", data, package="full", language="en")
    assert document.footer[0] == (
        "Not yet verified against the official text: Section C: Deadlines; Sections D–H: Data requested and underlying "
        "conditions; Notification of the enforcing authority; Sections I–J: Details of the issuing and validating authority."
    )
    preservation = build_document("eu-epoc-pr", example("eu-epoc-pr"), package="full", language="fr")
    assert "Coordonnées de l'autorité d'émission et de l'autorité de validation" in preservation.footer[0]
