"""The training scenario library (``cyberspex/data/exercises/*.yaml``) and the grading of an
answer to one of its exercises with the same engine as real work.

An exercise gives the facts of a request (the structured facts the route advisor takes, with
any what-if assumption), the route the law opens for them, a model answer (the data of the
route's form) and teaching points with citations. An answer is a chosen route and the data of
a form; its grade says whether the route is the one the advisor recommends for the facts (and
why, in the advisor's own reasons), what the form validator and the quality checks find in the
form, and how the form differs from the model answer, each difference in a sentence.

Score (0-100), documented in docs/training.md:

- route: 40 points when the chosen route is the advisor's, else 0;
- completeness: 30 points, less 10 for each error of the form's schema (a missing mandatory
  element, a value of the wrong type), never below 0;
- quality: 15 points, less 5 for each error and 3 for each warning of the quality checks,
  never below 0, and never more than the completeness part's share of 15 (the quality checks read
  only the values present: an empty form has nothing for them to fault);
- agreement: 15 points times the share of the model answer's decisive values (the values the
  facts decide: States, data category, enums, yes/no, numbers) the answer gives alike; 0 when
  the answer is drafted on another route's form.

A form drafted for a route with no form on the platform cannot be checked: completeness and
quality are then 0.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cyberspex.forms.certainty import reason_text
from cyberspex.forms.definitions import forms
from cyberspex.forms.issues import Issue, Severity
from cyberspex.forms.model import FormDef, Node
from cyberspex.forms.quality import QualityContext
from cyberspex.forms.validate import validate
from cyberspex.law.advisor import Assessment, assess
from cyberspex.law.model import ReferenceData
from cyberspex.law.report import Renderer
from cyberspex.law.routes import ROUTE_IDS, ROUTES
from cyberspex.law.scenario import DataCategory, EmergencyKind, Entity, Measure, Scenario, WhatIf, default_entity
from cyberspex.refdata.loader import data_root
from cyberspex.refdata.yamlio import load as load_yaml

ROUTE_POINTS = 40
COMPLETENESS_POINTS = 30
COMPLETENESS_PER_ERROR = 10
QUALITY_POINTS = 15
QUALITY_PER_ERROR = 5
QUALITY_PER_WARNING = 3
AGREEMENT_POINTS = 15
# Leaf types whose value the facts decide; text is the trainee's own wording, compared by presence.
DECISIVE_TYPES = ("enum", "boolean", "country", "language", "integer")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Assumptions(_Strict):
    """What-if assumptions of the exercise (the advisor's planning switches)."""

    assume_in_force: bool = False
    assume_ratified: tuple[str, ...] = ()
    assume_all_signatories: bool = False


class Facts(_Strict):
    """The structured facts the route advisor takes (``cyberspex.law.scenario.Scenario``)."""

    issuing: str = Field(min_length=2, max_length=2)
    provider_state: str = Field(min_length=2, max_length=2)
    data: DataCategory
    measure: Measure = Measure.PRODUCTION
    emergency: EmergencyKind | None = None
    entity: Entity | None = None  # None: a registrar for registration data, a service provider otherwise
    as_of: date
    what_if: Assumptions = Assumptions()


class TeachingPoint(_Strict):
    text: str
    citation: str
    verified: bool  # false: read from a summary of the text, not checked line by line against the official text


class Exercise(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,80}$")
    title: str
    instrument: str  # the instrument and article the exercise is about, e.g. "CETS 224 Art 7"
    narrative: str
    facts: Facts
    expected_route: str
    model_answer: dict[str, Any]
    teaching_points: tuple[TeachingPoint, ...] = Field(min_length=1)

    @property
    def scenario(self) -> Scenario:
        facts = self.facts
        return Scenario(
            issuing=facts.issuing,
            provider_state=facts.provider_state,
            data=facts.data,
            as_of=facts.as_of,
            measure=facts.measure,
            emergency=facts.emergency,
            entity=facts.entity or default_entity(facts.data),
            what_if=WhatIf(
                assume_in_force=facts.what_if.assume_in_force,
                assume_ratified=frozenset(facts.what_if.assume_ratified),
                assume_all_signatories=facts.what_if.assume_all_signatories,
            ),
        )

    @property
    def form_id(self) -> str:
        form = form_for_route(self.expected_route)
        if form is None:
            raise LibraryError(f"{self.id}: the expected route {self.expected_route!r} has no form on the platform")
        return form.id


class LibraryError(Exception):
    """An exercise of the library is malformed or refers to an unknown route or form."""


class InvalidAnswer(Exception):
    """An answer that cannot be graded: names the field at fault."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def form_for_route(route: str) -> FormDef | None:
    """The one form the platform drafts for ``route``, or None when it has none."""
    return next((form for form in forms().values() if form.route == route), None)


def route_titles() -> dict[str, str]:
    """Every route the advisor knows, by id, with its plain-language name, in the advisor's order."""
    return {route.id: route.title for route in ROUTES}


@functools.cache
def exercises() -> dict[str, Exercise]:
    """The library, by id, in the order of the files and of the exercises in each."""
    out: dict[str, Exercise] = {}
    folder = data_root() / "exercises"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        raw = load_yaml(entry.read_text(encoding="utf-8"))
        for item in raw["exercises"]:
            exercise = Exercise.model_validate(item)
            if exercise.id in out:
                raise LibraryError(f"{entry.name}: the exercise id {exercise.id!r} is used twice")
            if exercise.expected_route not in ROUTE_IDS:
                raise LibraryError(f"{exercise.id}: unknown route {exercise.expected_route!r}")
            out[exercise.id] = exercise
    return out


# -- grading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One way the answer differs from what was expected, explained in a sentence."""

    kind: str  # route, schema, quality, value, missing, extra
    path: str  # a JSON path in the form, or "route"
    explanation: str
    citation: str = ""
    severity: str = "error"  # error or warning

    def as_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "path": self.path,
            "explanation": self.explanation,
            "citation": self.citation,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class Reason:
    """One of the advisor's reasons for the expected route, with its citation."""

    text: str
    citation: str
    verified: bool
    code: str = ""  # the advisor's reason code (docs/route-json.md), e.g. "reservation", "assumption"


@dataclass(frozen=True)
class Grade:
    exercise_id: str
    route: str
    expected_route: str
    route_correct: bool
    form_id: str | None  # the form the answer was checked against (the chosen route's)
    score: int
    points: dict[str, int]  # route, completeness, quality, agreement
    differences: tuple[Difference, ...]
    reasons: tuple[Reason, ...]  # why the expected route is the one, in the advisor's words
    ranking: str = ""  # why the advisor ranks the expected route where it does (data/ranking.yaml)
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise_id,
            "route": self.route,
            "expected_route": self.expected_route,
            "route_correct": self.route_correct,
            "form_id": self.form_id,
            "score": self.score,
            "points": dict(self.points),
            "differences": [d.as_json() for d in self.differences],
            "reasons": [{"text": r.text, "citation": r.citation, "verified": r.verified} for r in self.reasons],
            "ranking": self.ranking,
        }


def engine_route(data: ReferenceData, exercise: Exercise) -> str | None:
    """The route the advisor recommends for the exercise's facts."""
    return assess(data, exercise.scenario).recommended


def _reasons(data: ReferenceData, assessment: Assessment, route: str) -> tuple[Reason, ...]:
    """The advisor's reasons about ``route`` on the exercise's facts, as the route advice words them."""
    outcome = next(o for o in assessment.outcomes if o.route.id == route)
    reasons = Renderer(data, assessment).route_json(outcome)["reasons"]
    return tuple(Reason(reason_text(r), str(r["citation"]), bool(r["verified"]), str(r["code"])) for r in reasons)


def _ranking_reason(data: ReferenceData, route: str, *, emergency: bool) -> str:
    order = data.ranking.emergency if emergency else data.ranking.normal
    return next((entry.reason for entry in order if entry.route == route), "")


def _route_difference(data: ReferenceData, exercise: Exercise, assessment: Assessment, route: str) -> Difference:
    """Why the chosen route is not the one: its status and the advisor's reasons on these facts,
    and where the expected route stands in the advisor's order."""
    titles = route_titles()
    status = next(o.status.value for o in assessment.outcomes if o.route.id == route)
    against = [r for r in _reasons(data, assessment, route) if r.code != "assumption"]
    why = _ranking_reason(data, exercise.expected_route, emergency=exercise.facts.emergency is not None)
    sentence = (
        f"You chose {titles[route]!r} ({route}), which the advisor finds {status} on these facts"
        + (f" ({'; '.join(r.text.rstrip('.') for r in against)})" if against else "")
        + f"; it recommends {titles[exercise.expected_route]!r} ({exercise.expected_route}), the first route of its order "
        f"that the law opens for these facts" + (f": {why}." if why else ".")
    )
    return Difference("route", "route", sentence, against[0].citation if against else "")


def _node_at(form: FormDef, parts: list[str]) -> Node | None:
    nodes: tuple[Node, ...] = tuple(form.fields())
    found: Node | None = None
    for part in parts:
        found = next((n for n in nodes if n.name == part), None)
        if found is None:
            return None
        nodes = found.children
    return found


def _leaves(value: Any, parts: list[str], path: str) -> Iterator[tuple[list[str], str, Any]]:
    """(field names, JSON path, value) of each leaf; list items by their index."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, [*parts, key], f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, parts, f"{path}[{index}]")
    else:
        yield parts, path, value


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return repr(value) if isinstance(value, str) else str(value)


def _compare(form: FormDef, model: dict[str, Any], answer: dict[str, Any]) -> tuple[list[Difference], int, int]:
    """Differences of the answer from the model answer; the decisive values given alike and in all."""
    given = {path: value for _, path, value in _leaves(answer, [], "$")}
    differences: list[Difference] = []
    decisive = alike = 0
    for parts, path, expected in _leaves(model, [], "$"):
        node = _node_at(form, parts)
        if node is None:  # the form's id and similar bookkeeping
            continue
        label = f"{node.name} ({node.citation})" if node.citation else node.name
        if node.type in DECISIVE_TYPES:
            decisive += 1
            if path in given and given[path] == expected:
                alike += 1
            elif path in given:
                differences.append(
                    Difference(
                        "value",
                        path,
                        f"The model answer gives {_shown(expected)} for {label}, which the facts decide; "
                        f"your answer gives {_shown(given[path])}.",
                        node.citation,
                    )
                )
                continue
        if path not in given:
            differences.append(
                Difference(
                    "missing",
                    path,
                    f"The model answer fills in {label}; your answer leaves it out.",
                    node.citation,
                    "error" if node.required else "warning",
                )
            )
    return differences, alike, decisive


def _issue_difference(issue: Issue) -> Difference:
    kind = "schema" if issue.rule == "schema" else "quality"
    what = "The form validator" if kind == "schema" else f"The quality check {issue.rule}"
    return Difference(kind, issue.path, f"{what} reports: {issue.message}.", issue.citation, str(issue.severity))


def check_answer(route: Any, form: Any) -> tuple[str, dict[str, Any]]:
    """The answer's route and form, or :class:`InvalidAnswer` naming the problem."""
    if not isinstance(route, str) or route not in ROUTE_IDS:
        raise InvalidAnswer(f"unknown route {route!r}; the routes are: {', '.join(ROUTE_IDS)}", field="route")
    if not isinstance(form, dict):
        raise InvalidAnswer("the form must be a JSON object of the form's fields", field="form")
    return route, form


def grade(data: ReferenceData, exercise: Exercise, route: Any, form: Any) -> Grade:
    """Grade an answer to ``exercise``: ``route`` a route id, ``form`` the data of that route's form."""
    route, form = check_answer(route, form)
    assessment = assess(data, exercise.scenario)
    correct = route == exercise.expected_route
    differences: list[Difference] = [] if correct else [_route_difference(data, exercise, assessment, route)]
    drafted = form_for_route(route)
    issues: list[Issue] = []
    completeness = quality = agreement = 0
    if drafted is None:
        differences.append(
            Difference("schema", "$", f"The route {route} has no form on the platform, so the form cannot be checked.")
        )
    else:
        context = QualityContext(data, exercise.facts.as_of, what_if=exercise.scenario.what_if)
        issues = validate(drafted.id, {**form, "form": drafted.id}, context)
        schema_errors = [i for i in issues if i.rule == "schema"]
        checks = [i for i in issues if i.rule != "schema"]
        completeness = max(0, COMPLETENESS_POINTS - COMPLETENESS_PER_ERROR * len(schema_errors))
        errors = sum(1 for i in checks if i.severity is Severity.ERROR)
        quality = max(0, QUALITY_POINTS - QUALITY_PER_ERROR * errors - QUALITY_PER_WARNING * (len(checks) - errors))
        quality = min(quality, round(QUALITY_POINTS * completeness / COMPLETENESS_POINTS))
        differences += [_issue_difference(issue) for issue in issues]
        if correct:
            compared, alike, decisive = _compare(drafted, exercise.model_answer, form)
            differences += compared
            agreement = round(AGREEMENT_POINTS * alike / decisive) if decisive else AGREEMENT_POINTS
    points = {
        "route": ROUTE_POINTS if correct else 0,
        "completeness": completeness,
        "quality": quality,
        "agreement": agreement,
    }
    return Grade(
        exercise_id=exercise.id,
        route=route,
        expected_route=exercise.expected_route,
        route_correct=correct,
        form_id=drafted.id if drafted else None,
        score=sum(points.values()),
        points=points,
        differences=tuple(differences),
        reasons=_reasons(data, assessment, exercise.expected_route),
        ranking=_ranking_reason(data, exercise.expected_route, emergency=exercise.facts.emergency is not None),
        issues=tuple(issues),
    )
