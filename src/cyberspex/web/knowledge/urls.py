"""The knowledge portal's pages. Public ones are listed in accounts/middleware.py (PORTAL_PREFIXES)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cyberspex.web.knowledge import implementation_views, indicators_views, providers_views

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    path("providers/", providers_views.page, name="providers"),
    path("implementation/", implementation_views.page, name="implementation"),
    path("indicators/", indicators_views.page, name="indicators"),
    path("indicators/report.pdf", indicators_views.report, name="indicators_report"),
]
