"""The two sections of the project indicators that training feeds (Outputs 3.1 and 3.2):
training sessions and their participants, exercises and their participants, for a period.
Counts only: no name of a trainee or trainer leaves this module."""

from __future__ import annotations

from datetime import date

from django.db.models import Avg, Count, Q, Sum
from django.utils.translation import gettext as _

from cyberspex.forms.exercises import exercises
from cyberspex.web.knowledge.indicators import Section, Table, register
from cyberspex.web.training.models import Attempt, Delivery, TrainingSession


@register(order=30)
def training_sessions(start: date, end: date) -> Section:
    """Sessions held in [start, end] (both included) on the whole instance, and their participants."""
    held = TrainingSession.objects.filter(held_on__gte=start, held_on__lte=end)
    totals = held.aggregate(sessions=Count("id"), participants=Sum("participants"))
    by_delivery = {row["delivery"]: row for row in held.values("delivery").annotate(n=Count("id"), p=Sum("participants"))}
    labels = dict(Delivery.choices)
    return Section(
        key="training-sessions",
        title=_("Training sessions and participants"),
        figures=(
            (_("Training sessions"), totals["sessions"] or 0),
            (_("Participants"), totals["participants"] or 0),
        ),
        tables=(
            Table(
                caption=_("Training sessions by kind"),
                headings=(_("Kind"), _("Sessions"), _("Participants")),
                rows=tuple(
                    (str(labels[kind]), by_delivery[kind]["n"], by_delivery[kind]["p"] or 0)
                    for kind in Delivery.values
                    if kind in by_delivery
                ),
            ),
            Table(
                caption=_("Training sessions held"),
                headings=(_("Date"), _("Title"), _("Kind"), _("Place"), _("Participants")),
                rows=tuple(
                    (s.held_on.isoformat(), s.title, str(labels[s.delivery]), s.place or "—", s.participants)
                    for s in held.order_by("held_on", "pk")
                ),
            ),
        ),
        source=_("Training sessions recorded by trainers on this instance."),
    )


@register(order=31)
def exercise_attempts(start: date, end: date) -> Section:
    """Graded exercise attempts submitted in [start, end] (both included), and the people who made them."""
    made = Attempt.objects.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
    totals = made.aggregate(attempts=Count("id"), participants=Count("user", distinct=True))
    per_exercise = {
        row["exercise_id"]: row
        for row in made.values("exercise_id").annotate(
            n=Count("id"), people=Count("user", distinct=True), avg=Avg("score"), right=Count("id", filter=Q(route_correct=True))
        )
    }
    library = exercises()
    rows = tuple(
        (
            library[key].title if key in library else key,
            row["n"],
            row["people"],
            round(row["avg"] or 0),
            round(100 * row["right"] / row["n"]) if row["n"] else 0,
        )
        for key, row in sorted(per_exercise.items())
    )
    return Section(
        key="exercises",
        title=_("Exercises and participants"),
        figures=(
            (_("Exercise attempts"), totals["attempts"] or 0),
            (_("Participants"), totals["participants"] or 0),
            (_("Exercises attempted"), len(per_exercise)),
        ),
        tables=(
            Table(
                caption=_("Attempts per exercise"),
                headings=(_("Exercise"), _("Attempts"), _("Participants"), _("Average score"), _("Right route (%)")),
                rows=rows,
            ),
        ),
        source=_("Exercises of the training library graded on this instance (docs/training.md)."),
    )
