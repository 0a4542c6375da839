"""The statistics of the member's organisation, mounted at /statistics/."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.exchange import statistics_views

app_name = "statistics"
urlpatterns = [
    path("", statistics_views.page, name="page"),
    path("export.csv", statistics_views.export, name="export"),
]
