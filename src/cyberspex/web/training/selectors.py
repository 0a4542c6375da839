"""Training's reads: the library with the trainee's own results, one attempt, and a trainer's
cohorts with the results of each trainee on each exercise."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Avg, Count, Max

from cyberspex.forms.exercises import Exercise, exercises
from cyberspex.web.accounts.access import Action, can
from cyberspex.web.errors import NotFound
from cyberspex.web.training.models import Attempt, Cohort, TrainingSession
from cyberspex.web.training.services import member_for


@dataclass(frozen=True)
class ExerciseRow:
    exercise: Exercise
    attempts: int
    best: int | None


def exercise_rows(user: User) -> list[ExerciseRow]:
    member_for(user, Action.ATTEMPT_EXERCISE)
    mine = {
        row["exercise_id"]: row
        for row in Attempt.objects.filter(user=user).values("exercise_id").annotate(n=Count("id"), best=Max("score"))
    }
    return [ExerciseRow(e, mine.get(e.id, {}).get("n", 0), mine.get(e.id, {}).get("best")) for e in exercises().values()]


def attempts_of(user: User, exercise_id: str) -> list[Attempt]:
    member_for(user, Action.ATTEMPT_EXERCISE)
    return list(Attempt.objects.filter(user=user, exercise_id=exercise_id).order_by("-submitted_at", "-pk"))


def attempt_get(user: User, attempt_id: int) -> Attempt:
    """One's own attempt, or (trainers) an attempt made in one's organisation; else 404."""
    found = member_for(user, Action.ATTEMPT_EXERCISE)
    attempt = Attempt.objects.select_related("user").filter(pk=attempt_id, organisation=found.organisation).first()
    if attempt is None or (attempt.user_id != user.pk and not can(user, Action.TRAIN)):
        raise NotFound("attempt")
    return attempt


@dataclass(frozen=True)
class Cell:
    attempts: int
    best: int | None
    average: float | None


@dataclass(frozen=True)
class TraineeRow:
    username: str
    name: str
    cells: list[Cell]  # one per exercise, in the library's order


@dataclass(frozen=True)
class CohortResults:
    cohort: Cohort
    exercises: list[Exercise]
    rows: list[TraineeRow]


def cohort_results(user: User) -> list[CohortResults]:
    """Every cohort of the trainer's organisation, with each trainee's attempts, best and average
    score per exercise."""
    found = member_for(user, Action.TRAIN)
    library = list(exercises().values())
    out = []
    for cohort in Cohort.objects.filter(organisation=found.organisation).order_by("name").prefetch_related("trainees"):
        trainees = sorted(cohort.trainees.all(), key=lambda u: u.username)
        stats = {
            (row["user_id"], row["exercise_id"]): row
            for row in Attempt.objects.filter(organisation=found.organisation, user__in=trainees)
            .values("user_id", "exercise_id")
            .annotate(n=Count("id"), best=Max("score"), avg=Avg("score"))
        }
        rows = []
        for trainee in trainees:
            cells = []
            for exercise in library:
                row = stats.get((trainee.pk, exercise.id))
                cells.append(Cell(row["n"], row["best"], row["avg"]) if row else Cell(0, None, None))
            rows.append(TraineeRow(trainee.username, trainee.get_full_name(), cells))
        out.append(CohortResults(cohort, library, rows))
    return out


def sessions_of(user: User) -> list[TrainingSession]:
    found = member_for(user, Action.TRAIN)
    return list(TrainingSession.objects.filter(organisation=found.organisation).order_by("-held_on", "-pk"))
