"""Training, mounted at /training/ (login and MFA)."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("exercises/<str:exercise_id>/", views.exercise, name="exercise"),
    path("attempts/<int:attempt_id>/", views.attempt, name="attempt"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("sessions/", views.sessions, name="sessions"),
]
