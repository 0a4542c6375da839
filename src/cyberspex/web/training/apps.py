from __future__ import annotations

from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """Training (Outputs 3.1 and 3.2 of the outline): the scenario library graded by the route
    engine and the form validator, cohorts of trainees, training sessions, and the two sections
    of the project indicators they feed."""

    name = "cyberspex.web.training"
    label = "training"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cyberspex.web.training import indicators  # noqa: F401, PLC0415  # registers the indicator sections
