"""Grading an answer with the same engine and validator as real drafting: the right route and
the model answer get full marks; a wrong route loses its points with the difference explained
and the advisor's reasons for the right one; a missing mandatory element is reported by the form
validator; a quality problem by the quality checks; bad answers are refused naming the field."""

from __future__ import annotations

import copy

import pytest

from cyberspex.forms.exercises import COMPLETENESS_POINTS, QUALITY_POINTS, ROUTE_POINTS, InvalidAnswer, exercises, grade
from cyberspex.law.model import ReferenceData

ART7 = exercises()["art7-phishing-subscriber-fr-us"]
JAPAN = exercises()["art8-japan-reservation-jp-us"]


def test_the_right_route_and_the_model_answer_get_full_marks(data: ReferenceData) -> None:
    result = grade(data, ART7, "2ap-7", ART7.model_answer)
    assert (result.route_correct, result.score, result.differences) == (True, 100, ())
    assert result.reasons  # why Art 7 is the route, in the advisor's words, with citations
    assert all(reason.citation for reason in result.reasons)


def test_a_wrong_route_loses_the_route_points_and_the_difference_explains_the_expected_one(data: ReferenceData) -> None:
    # Japan reserved Article 7: an Art 7 order drafted in full is still the wrong route.
    answer = copy.deepcopy(ART7.model_answer)
    result = grade(data, JAPAN, "2ap-7", answer)
    assert not result.route_correct
    assert result.points["route"] == 0
    assert result.points["agreement"] == 0  # drafted on another route's form
    route = next(d for d in result.differences if d.kind == "route")
    assert "2ap-8" in route.explanation
    assert "2ap-7" in route.explanation
    assert "Japan (JP) has reserved the right not to apply Article 7" in route.explanation
    assert route.citation == "CETS 224 Art 7(9)(a)"
    assert result.score <= 100 - ROUTE_POINTS


def test_a_missing_mandatory_element_is_reported_by_the_validator(data: ReferenceData) -> None:
    answer = copy.deepcopy(ART7.model_answer)
    del answer["legal_grounds"]
    result = grade(data, ART7, "2ap-7", answer)
    schema = [d for d in result.differences if d.kind == "schema"]
    assert [d.path for d in schema] == ["$.legal_grounds"]
    assert "mandatory element 'legal_grounds' is missing" in schema[0].explanation
    assert schema[0].citation == "CETS 224 Art 7(4)(a)"
    assert result.points["completeness"] == COMPLETENESS_POINTS - 10


def test_a_quality_problem_is_reported_by_the_quality_checks(data: ReferenceData) -> None:
    answer = copy.deepcopy(ART7.model_answer)
    answer["data_sought"]["identifiers"] = [{"kind": "email", "value": "not-an-address"}]
    result = grade(data, ART7, "2ap-7", answer)
    quality = [d for d in result.differences if d.kind == "quality"]
    assert quality
    assert quality[0].path.startswith("$.data_sought.identifiers[0]")
    assert result.points["quality"] < QUALITY_POINTS


def test_a_decisive_value_unlike_the_model_answer_is_explained(data: ReferenceData) -> None:
    answer = copy.deepcopy(ART7.model_answer)
    answer["notification_made"] = False
    result = grade(data, ART7, "2ap-7", answer)
    value = next(d for d in result.differences if d.kind == "value")
    assert value.path == "$.notification_made"
    assert "The model answer gives yes" in value.explanation
    assert "your answer gives no" in value.explanation
    assert result.points["agreement"] < 15


def test_an_element_the_model_answer_fills_in_and_the_answer_leaves_out_is_a_difference(data: ReferenceData) -> None:
    answer = copy.deepcopy(ART7.model_answer)
    del answer["instructions"]  # optional: no schema error, but the model answer gives it
    result = grade(data, ART7, "2ap-7", answer)
    missing = [d for d in result.differences if d.kind == "missing"]
    assert [(d.path, d.severity) for d in missing] == [("$.instructions", "warning")]


@pytest.mark.parametrize(
    ("route", "form", "field"),
    [("2ap-99", {}, "route"), (7, {}, "route"), ("2ap-7", ["not", "an", "object"], "form"), ("2ap-7", None, "form")],
)
def test_an_answer_that_cannot_be_graded_names_the_field(data: ReferenceData, route: object, form: object, field: str) -> None:
    with pytest.raises(InvalidAnswer) as raised:
        grade(data, ART7, route, form)
    assert raised.value.field == field


def test_a_route_without_a_form_gets_no_form_points(data: ReferenceData) -> None:
    result = grade(data, ART7, "mla", {})
    assert (result.points["completeness"], result.points["quality"], result.form_id) == (0, 0, None)


def test_an_empty_form_earns_no_quality_points(data: ReferenceData) -> None:
    result = grade(data, ART7, "2ap-7", {})
    assert (result.points["completeness"], result.points["quality"]) == (0, 0)


def test_the_result_says_where_the_advisor_ranks_the_expected_route(data: ReferenceData) -> None:
    assert "CETS 224 Art 7(7)" in grade(data, ART7, "2ap-7", {}).ranking
