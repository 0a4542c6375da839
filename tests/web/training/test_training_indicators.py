"""Training feeds two sections of the project indicators: sessions and their participants, and
exercise attempts and the people who made them, for the period asked (both ends included)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cyberspex.web.knowledge.indicators import sections
from cyberspex.web.training import services
from cyberspex.web.training.indicators import exercise_attempts, training_sessions
from tests.web.training.conftest import Centre

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def _session(centre: Centre, held_on: date, participants: int, delivery: str = "online") -> None:
    services.session_record(
        user=centre.trainer,
        held_on=held_on,
        title="Cross-border orders",
        delivery=delivery,
        place="Paris" if delivery != "online" else "",
        participants=participants,
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )


def test_the_sessions_section_counts_the_sessions_and_participants_of_the_period(centre: Centre) -> None:
    _session(centre, date(2026, 11, 1), 12)
    _session(centre, date(2026, 11, 30), 20, "in_person")
    _session(centre, date(2026, 10, 31), 99)  # before the period
    section = training_sessions(*NOVEMBER)
    assert section.title == "Training sessions and participants"
    assert dict(section.figures) == {"Training sessions": 2, "Participants": 32}
    assert section.tables[0].rows == (("In person", 1, 20), ("Online", 1, 12))


def test_the_exercises_section_counts_attempts_and_distinct_participants(centre: Centre) -> None:
    inside = datetime(2026, 11, 15, 10, tzinfo=UTC)
    for user, route in ((centre.trainee, "2ap-7"), (centre.trainee, "2ap-8"), (centre.trainee2, "2ap-7")):
        services.attempt_submit(user=user, exercise_id="art7-phishing-subscriber-fr-us", route=route, form={}, now=inside)
    services.attempt_submit(
        user=centre.trainee,
        exercise_id="art7-phishing-subscriber-fr-us",
        route="2ap-7",
        form={},
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )
    section = exercise_attempts(*NOVEMBER)
    assert section.title == "Exercises and participants"
    assert dict(section.figures) == {"Exercise attempts": 3, "Participants": 2, "Exercises attempted": 1}
    ((title, attempts, people, _average, right),) = section.tables[0].rows
    assert (title, attempts, people, right) == ("The account behind the phishing e-mails", 3, 2, 67)


def test_both_sections_are_registered_with_the_indicators(centre: Centre) -> None:  # noqa: ARG001  # the database
    titles = [s.title for s in sections(*NOVEMBER)]
    assert "Training sessions and participants" in titles
    assert "Exercises and participants" in titles
