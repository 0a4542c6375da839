"""Training's writes: grading and recording an attempt, recording a training session, making a
cohort and adding a trainee to it. Each is one transaction; each asks accounts/access.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from cyberspex.forms.exercises import Exercise, InvalidAnswer, exercises, grade
from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.accounts.models import Membership, Organisation, Role
from cyberspex.web.errors import ApplicationError, NotFound
from cyberspex.web.knowledge.reference import current_reference
from cyberspex.web.training.models import Attempt, Cohort, Delivery, TrainingSession

MAX_TITLE = 200
MAX_PARTICIPANTS = 100_000


def member_for(user: User, action: Action) -> Membership:
    """The user's membership when they may perform ``action`` (training actions: only in an
    exercise organisation), else 403 naming who may."""
    found = membership(user)
    if found is None or not can(user, action):
        who = "trainers" if action is Action.TRAIN else "trainees and trainers"
        raise ApplicationError(f"only {who} of an exercise organisation may do this", status=403)
    return found


def exercise_get(exercise_id: str) -> Exercise:
    found = exercises().get(exercise_id)
    if found is None:
        raise NotFound("exercise")
    return found


def attempt_submit(*, user: User, exercise_id: str, route: Any, form: Any, now: datetime) -> Attempt:
    """Grade an answer to an exercise and record it. 403 for anyone but a trainee or trainer of an
    exercise organisation; 404 for an unknown exercise; 400 naming the route or form at fault."""
    found = member_for(user, Action.ATTEMPT_EXERCISE)
    exercise = exercise_get(exercise_id)
    try:
        result = grade(current_reference(), exercise, route, form)
    except InvalidAnswer as error:
        raise ApplicationError(error.message, field=error.field, status=400) from error
    with transaction.atomic():
        return Attempt.objects.create(
            user=user,
            organisation=found.organisation,
            exercise_id=exercise.id,
            route=result.route,
            form=form,
            score=result.score,
            route_correct=result.route_correct,
            result=result.as_json(),
            submitted_at=now,
        )


def session_record(
    *, user: User, held_on: date, title: str, delivery: str, place: str, participants: int, now: datetime
) -> TrainingSession:
    """Record a training session (trainers only): it counts in the project indicators."""
    found = member_for(user, Action.TRAIN)
    title, place = title.strip(), place.strip()
    if not title or len(title) > MAX_TITLE:
        raise ApplicationError(f"give the session a title of 1 to {MAX_TITLE} characters", field="title")
    if delivery not in Delivery.values:
        raise ApplicationError(f"delivery must be one of: {', '.join(Delivery.values)}", field="delivery")
    if delivery != Delivery.ONLINE and not place:
        raise ApplicationError("say where a session held in person took place", field="place")
    if not 1 <= participants <= MAX_PARTICIPANTS:
        raise ApplicationError(f"the number of participants must be between 1 and {MAX_PARTICIPANTS}", field="participants")
    if held_on > now.date():
        raise ApplicationError("a session is recorded once held: its date cannot be in the future", field="held_on")
    with transaction.atomic():
        return TrainingSession.objects.create(
            organisation=found.organisation,
            held_on=held_on,
            title=title,
            delivery=delivery,
            place=place[:MAX_TITLE],
            participants=participants,
            recorded_by=user,
            recorded_at=now,
        )


def cohort_create(*, user: User, name: str, now: datetime) -> Cohort:
    found = member_for(user, Action.TRAIN)
    name = name.strip()
    if not name or len(name) > MAX_TITLE:
        raise ApplicationError(f"give the cohort a name of 1 to {MAX_TITLE} characters", field="name")
    with transaction.atomic():
        if Cohort.objects.filter(organisation=found.organisation, name=name).exists():
            raise ApplicationError(f"your organisation already has a cohort named {name!r}", field="name", status=409)
        return Cohort.objects.create(organisation=found.organisation, name=name, created_at=now)


def cohort_add_trainee(*, user: User, cohort_id: int, username: str) -> Cohort:
    """Add a trainee of the trainer's own exercise organisation to one of its cohorts."""
    found = member_for(user, Action.TRAIN)
    cohort = Cohort.objects.filter(pk=cohort_id, organisation=found.organisation).first()
    if cohort is None:
        raise NotFound("cohort")
    trainee = Membership.objects.select_related("user").filter(
        user__username=username.strip(), organisation=found.organisation, role=Role.TRAINEE
    )
    member = trainee.first()
    if member is None:
        raise ApplicationError(f"{username.strip()!r} is not a trainee of your organisation", field="username")
    with transaction.atomic():
        cohort.trainees.add(member.user)
    return cohort


def exercise_organisation(user: User) -> Organisation:
    return member_for(user, Action.ATTEMPT_EXERCISE).organisation
