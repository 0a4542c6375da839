"""The training pages: a trainee reads an exercise, chooses the route among plain-language
names, drafts the form in the same editor as real drafting and sees the graded result; a trainee
cannot reach real cases; a trainer sees the cohort's results and records training sessions."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from cyberspex.forms.exercises import exercises
from cyberspex.web.accounts.access import Action, can, role_fits
from cyberspex.web.accounts.lifecycle import role_change
from cyberspex.web.accounts.models import Role
from cyberspex.web.errors import ApplicationError
from cyberspex.web.training.models import Attempt, TrainingSession
from tests.web.conftest import Org
from tests.web.helpers import NOW, make_case, verified_session
from tests.web.training.conftest import Centre

ART7 = exercises()["art7-phishing-subscriber-fr-us"]
PAGE = f"/training/exercises/{ART7.id}/"


def _client(user: object) -> Client:
    client = Client()
    verified_session(client, user)  # type: ignore[arg-type]
    return client


def test_the_exercise_page_offers_the_routes_by_their_plain_names_not_their_ids(centre: Centre) -> None:
    page = _client(centre.trainee).get(PAGE).content.decode()
    assert ART7.narrative[:60] in page
    assert "Order for subscriber information to a provider (Art 7)" in page
    assert 'value="2ap-7"' in page  # the id is the radio's value, the name its label


def test_choosing_a_route_opens_its_form_in_the_drafting_editor(centre: Centre) -> None:
    page = _client(centre.trainee).get(PAGE, {"route": "2ap-7"}).content.decode()
    assert 'name="legal_grounds"' in page  # a field of the 2ap-7-order definition
    assert 'name="data_sought.description"' in page


def test_submitting_an_answer_grades_it_and_shows_the_result(centre: Centre) -> None:
    client = _client(centre.trainee)
    response = client.post(PAGE, {"route": "2ap-8"})
    attempt = Attempt.objects.get(user=centre.trainee)
    assert response["Location"] == f"/training/attempts/{attempt.pk}/"
    assert not attempt.route_correct
    result = client.get(response["Location"]).content.decode()
    assert f"Score: {attempt.score}/100" in result
    assert "the advisor recommends" in result
    assert ART7.teaching_points[0].text in result


def test_a_posted_form_is_read_as_the_editor_reads_it(centre: Centre) -> None:
    _client(centre.trainee).post(PAGE, {"route": "2ap-7", "legal_grounds": "Code de procédure pénale, art. 60-1"})
    attempt = Attempt.objects.get(user=centre.trainee)
    assert attempt.form["legal_grounds"] == "Code de procédure pénale, art. 60-1"
    assert not any(d["path"] == "$.legal_grounds" for d in attempt.result["differences"] if d["kind"] == "schema")


def test_an_answer_without_a_route_is_refused_and_nothing_is_recorded(centre: Centre) -> None:
    response = _client(centre.trainee).post(PAGE, {})
    assert response.status_code == 422
    assert not Attempt.objects.exists()


def test_another_trainees_attempt_is_not_found(centre: Centre) -> None:
    _client(centre.trainee).post(PAGE, {"route": "2ap-7"})
    attempt = Attempt.objects.get()
    assert _client(centre.trainee2).get(f"/training/attempts/{attempt.pk}/").status_code == 404
    assert _client(centre.trainer).get(f"/training/attempts/{attempt.pk}/").status_code == 200


def test_a_trainee_cannot_reach_real_cases(centre: Centre, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    client = _client(centre.trainee)
    assert client.get(f"/cases/{case.pk}/").status_code in (403, 404)
    assert client.get("/cases/new/").status_code == 403
    assert client.get("/inbox/").status_code == 403
    assert client.get("/")["Location"] == "/training/"  # the dashboard sends a trainee to training
    assert not any(can(centre.trainee, action) for action in Action if action not in (Action.ATTEMPT_EXERCISE,))


def test_no_role_of_an_exercise_organisation_touches_cases_even_an_issuing_one(centre: Centre) -> None:
    membership = centre.trainer.membership
    membership.role = Role.PROSECUTOR
    membership.save()
    assert not can(centre.trainer, Action.VIEW_CASE)
    assert not can(centre.trainer, Action.ISSUE)


def test_a_trainee_is_not_a_trainer(centre: Centre) -> None:
    client = _client(centre.trainee)
    assert client.get("/training/cohorts/").status_code == 403
    assert client.get("/training/sessions/").status_code == 403


def test_the_trainer_sees_each_trainees_best_score_per_exercise(centre: Centre) -> None:
    trainee = _client(centre.trainee)
    trainee.post(PAGE, {"route": "2ap-8"})
    trainee.post(PAGE, {"route": "2ap-7"})
    best = max(Attempt.objects.values_list("score", flat=True))
    page = _client(centre.trainer).get("/training/cohorts/").content.decode()
    assert "Cohort A" in page
    assert "t-trainee" in page
    assert f"{best}/100" in page
    assert "2 attempts" in page


def test_a_trainer_makes_a_cohort_and_adds_a_trainee(centre: Centre) -> None:
    trainer = _client(centre.trainer)
    assert trainer.post("/training/cohorts/", {"name": "Cohort B"}).status_code == 302
    cohort = centre.organisation.cohorts.get(name="Cohort B")
    assert trainer.post("/training/cohorts/", {"cohort": cohort.pk, "username": "t-trainee2"}).status_code == 302
    assert list(cohort.trainees.values_list("username", flat=True)) == ["t-trainee2"]
    refused = trainer.post("/training/cohorts/", {"cohort": cohort.pk, "username": "t-trainer"})
    assert refused.status_code == 422
    assert "is not a trainee of your organisation" in refused.content.decode()


def test_a_trainer_records_a_training_session(centre: Centre) -> None:
    trainer = _client(centre.trainer)
    posted = {"held_on": "2026-11-20", "title": "Art 7 orders", "delivery": "online", "place": "", "participants": "24"}
    assert trainer.post("/training/sessions/", posted).status_code == 302
    session = TrainingSession.objects.get()
    assert (session.held_on, session.participants, session.organisation) == (date(2026, 11, 20), 24, centre.organisation)


def test_a_session_held_in_person_needs_its_place(centre: Centre) -> None:
    trainer = _client(centre.trainer)
    posted = {"held_on": "2026-11-20", "title": "Art 7 orders", "delivery": "in_person", "place": "", "participants": "24"}
    response = trainer.post("/training/sessions/", posted)
    assert response.status_code == 422
    assert "say where a session held in person took place" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_the_administrator_of_an_exercise_organisation_manages_its_members_but_no_case(centre: Centre) -> None:
    membership = centre.trainer.membership
    membership.role = Role.ADMINISTRATOR
    membership.save()
    assert can(centre.trainer, Action.MANAGE_ACCOUNTS)
    assert not can(centre.trainer, Action.EDIT_CASE)
    assert not can(centre.trainer, Action.ATTEMPT_EXERCISE)  # an administrator, not a trainee


def test_trainee_and_trainer_are_roles_of_an_exercise_organisation_only(centre: Centre, fr: Org) -> None:
    with pytest.raises(ApplicationError) as refused:
        role_change(actor=fr[Role.ADMINISTRATOR], user_id=fr[Role.PROSECUTOR].pk, role=Role.TRAINEE, now=NOW)
    assert (refused.value.status, refused.value.field) == (422, "role")
    assert fr[Role.PROSECUTOR].membership.role == Role.PROSECUTOR
    assert not role_fits(Role.TRAINER, fr.organisation)
    assert role_fits(Role.TRAINER, centre.organisation)
