"""The scenario library cannot drift from the law: for every exercise the route advisor
recommends the expected route, the model answer is the data of that route's form and passes
the form validator, and the library covers CETS 224 Arts 6, 7, 8, 9 and the EPOC."""

from __future__ import annotations

from collections import Counter

import pytest

from cyberspex.forms.definitions import forms
from cyberspex.forms.exercises import Exercise, engine_route, exercises, form_for_route, grade
from cyberspex.forms.issues import Severity
from cyberspex.forms.quality import QualityContext
from cyberspex.forms.validate import validate
from cyberspex.law.model import ReferenceData

LIBRARY = exercises()


@pytest.mark.parametrize("exercise", LIBRARY.values(), ids=list(LIBRARY))
def test_the_engine_recommends_the_expected_route_for_the_facts_of(data: ReferenceData, exercise: Exercise) -> None:
    assert engine_route(data, exercise) == exercise.expected_route


@pytest.mark.parametrize("exercise", LIBRARY.values(), ids=list(LIBRARY))
def test_the_model_answer_passes_the_validator_of_the_expected_routes_form(data: ReferenceData, exercise: Exercise) -> None:
    context = QualityContext(data, exercise.facts.as_of, what_if=exercise.scenario.what_if)
    issues = validate(exercise.form_id, {**exercise.model_answer, "form": exercise.form_id}, context)
    assert [i for i in issues if i.severity is Severity.ERROR] == []
    assert forms()[exercise.form_id].route == exercise.expected_route


@pytest.mark.parametrize("exercise", LIBRARY.values(), ids=list(LIBRARY))
def test_the_model_answer_scores_full_marks(data: ReferenceData, exercise: Exercise) -> None:
    assert grade(data, exercise, exercise.expected_route, exercise.model_answer).score == 100


def test_the_library_has_at_least_two_exercises_per_instrument() -> None:
    routes = Counter(e.expected_route for e in LIBRARY.values())
    assert all(routes[route] >= 2 for route in ("2ap-6", "2ap-7", "2ap-8", "2ap-9", "eu-epoc"))
    assert len(LIBRARY) >= 10


def test_every_teaching_point_has_a_citation() -> None:
    assert all(point.citation for e in LIBRARY.values() for point in e.teaching_points)


def test_routes_without_a_form_have_none() -> None:
    assert form_for_route("mla") is None
    assert form_for_route("2ap-7") is not None
