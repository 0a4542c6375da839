"""Cohorts of trainees, their graded attempts at the exercises of the scenario library
(``cyberspex/data/exercises``), and the training sessions trainers record.

An exercise is identified by its id in the library, not by a row: the library is data a lawyer
reviews, shipped with the code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cyberspex.web.accounts.models import Organisation


class Cohort(models.Model):
    """A group of trainees of one exercise organisation, followed by its trainers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=200)
    trainees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="cohorts", blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="training_cohort_name_once")]

    def __str__(self) -> str:
        return self.name


class Attempt(models.Model):
    """One submitted answer to an exercise and its grade (``cyberspex.forms.exercises.grade``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attempts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="training_attempts")
    exercise_id = models.CharField(max_length=100)
    route = models.CharField(max_length=32)  # the route the trainee chose
    form = models.JSONField(default=dict)  # the form data the trainee drafted
    score = models.PositiveSmallIntegerField()
    route_correct = models.BooleanField()
    result = models.JSONField(default=dict)  # the whole grade, as the results page shows it
    submitted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organisation", "exercise_id"])]


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class TrainingSession(models.Model):
    """A training session a trainer records: it feeds the project indicators."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="training_sessions")
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    delivery = models.CharField(max_length=16, choices=Delivery.choices)
    place = models.CharField(max_length=200, blank=True)  # the town or venue; empty online
    participants = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
