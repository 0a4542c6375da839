"""Training exercises over the API: ``GET /api/v1/exercises`` (the library, with the caller's
own attempts) and ``POST /api/v1/exercises/{id}/attempts`` (grade an answer). Token auth; only
trainees and trainers of an exercise organisation (403 for anyone else)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from cyberspex.web.api.auth import TokenAuth
from cyberspex.web.api.errors import ErrorBody
from cyberspex.web.errors import ApplicationError
from cyberspex.web.training import selectors, services

router = Router(auth=TokenAuth())


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise ApplicationError("authentication required", status=401)
    return user


@router.get("/exercises", response={200: list[dict[str, Any]], 401: ErrorBody, 403: ErrorBody}, tags=["training"])
def exercises_list(request: HttpRequest) -> Any:
    """The scenario library: each exercise's id, title, instrument, narrative and structured facts
    (never its expected route or model answer), with the caller's attempts and best score."""
    rows = selectors.exercise_rows(_user(request))
    return Status(
        200,
        [
            {
                "id": row.exercise.id,
                "title": row.exercise.title,
                "instrument": row.exercise.instrument,
                "narrative": row.exercise.narrative,
                "facts": row.exercise.facts.model_dump(mode="json"),
                "attempts": row.attempts,
                "best_score": row.best,
            }
            for row in rows
        ],
    )


class AttemptIn(Schema):
    route: Any = None  # a route id of GET /api/v1/routes (e.g. "2ap-7"); checked by the grader (400 naming it)
    form: Any = None  # the data of that route's form, as drafting takes it


@router.post(
    "/exercises/{exercise_id}/attempts",
    response={201: dict[str, Any], 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody},
    tags=["training"],
)
def exercises_attempt(request: HttpRequest, exercise_id: str, body: AttemptIn) -> Any:
    """Grade an answer: ``score`` (0-100, docs/training.md), ``route_correct``, and ``differences``
    (each with its kind, JSON path, a sentence explaining it and its citation); also the points of
    each part and the advisor's reasons for the expected route. Recorded for the trainers."""
    made = services.attempt_submit(
        user=_user(request), exercise_id=exercise_id, route=body.route, form=body.form, now=timezone.now()
    )
    result = dict(made.result)
    return Status(
        201,
        {
            "id": made.pk,
            "score": made.score,
            "route_correct": made.route_correct,
            "differences": result["differences"],
            "points": result["points"],
            "expected_route": result["expected_route"],
            "reasons": result["reasons"],
        },
    )
