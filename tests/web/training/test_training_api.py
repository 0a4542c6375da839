"""The training API: trainees and trainers list the exercises and submit attempts graded by the
engine; a wrong route or a malformed form is refused with 400 naming the field, an unknown
exercise is 404, and anyone outside an exercise organisation is refused with 403."""

from __future__ import annotations

import copy

from cyberspex.forms.exercises import exercises
from cyberspex.web.accounts.models import Role
from cyberspex.web.training.models import Attempt
from tests.web.conftest import Api, Org
from tests.web.training.conftest import Centre

ART7 = exercises()["art7-phishing-subscriber-fr-us"]
URL = f"/exercises/{ART7.id}/attempts"


def test_a_trainee_lists_the_library_without_its_answers(api: Api, centre: Centre) -> None:
    response = api.get("/exercises", centre.trainee)
    assert response.status_code == 200
    listed = response.json()
    assert [e["id"] for e in listed] == list(exercises())
    assert "expected_route" not in listed[0]
    assert "model_answer" not in listed[0]
    assert listed[0]["facts"]["issuing"]


def test_a_trainer_lists_the_library_too(api: Api, centre: Centre) -> None:
    assert api.get("/exercises", centre.trainer).status_code == 200


def test_the_model_answer_on_the_right_route_scores_100(api: Api, centre: Centre) -> None:
    response = api.post(URL, {"route": "2ap-7", "form": ART7.model_answer}, centre.trainee)
    assert response.status_code == 201
    body = response.json()
    assert (body["score"], body["route_correct"], body["differences"]) == (100, True, [])
    assert Attempt.objects.get(user=centre.trainee).score == 100


def test_a_wrong_route_is_graded_with_an_explained_difference(api: Api, centre: Centre) -> None:
    response = api.post(URL, {"route": "2ap-8", "form": {}}, centre.trainee)
    assert response.status_code == 201
    body = response.json()
    assert body["route_correct"] is False
    route = [d for d in body["differences"] if d["kind"] == "route"]
    assert len(route) == 1
    assert "2ap-7" in route[0]["explanation"]
    assert body["score"] < 60


def test_a_missing_mandatory_field_is_reported(api: Api, centre: Centre) -> None:
    form = copy.deepcopy(ART7.model_answer)
    del form["provider"]
    body = api.post(URL, {"route": "2ap-7", "form": form}, centre.trainee).json()
    assert any(d["path"] == "$.provider" and d["kind"] == "schema" for d in body["differences"])


def test_an_unknown_route_is_refused_naming_it(api: Api, centre: Centre) -> None:
    response = api.post(URL, {"route": "art-7", "form": {}}, centre.trainee)
    assert response.status_code == 400
    assert response.json()["field"] == "route"
    assert "art-7" in response.json()["message"]
    assert not Attempt.objects.exists()


def test_a_form_that_is_not_an_object_is_refused_naming_it(api: Api, centre: Centre) -> None:
    response = api.post(URL, {"route": "2ap-7", "form": "everything"}, centre.trainee)
    assert (response.status_code, response.json()["field"]) == (400, "form")
    assert not Attempt.objects.exists()


def test_an_unknown_exercise_is_not_found(api: Api, centre: Centre) -> None:
    response = api.post("/exercises/no-such-exercise/attempts", {"route": "2ap-7", "form": {}}, centre.trainee)
    assert response.status_code == 404


def test_someone_outside_an_exercise_organisation_is_refused(api: Api, centre: Centre, fr: Org) -> None:  # noqa: ARG001
    for user in (fr[Role.PROSECUTOR], fr[Role.TRAINEE]):  # a trainee role outside an exercise organisation too
        assert api.get("/exercises", user).status_code == 403
        assert api.post(URL, {"route": "2ap-7", "form": {}}, user).status_code == 403
    assert not Attempt.objects.exists()


def test_without_a_token_the_api_asks_for_one(api: Api) -> None:
    assert api.get("/exercises").status_code == 401
