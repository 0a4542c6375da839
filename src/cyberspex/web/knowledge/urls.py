"""The knowledge portal's pages. Public ones are listed in accounts/middleware.py (PORTAL_PREFIXES)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cyberspex.web.knowledge import implementation_views, indicators_views, providers_views, registers_views, states_views, treaties_views, whatif_views

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    path("registers/", registers_views.index, name="registers"),
    path("registers/<slug:register_id>/", registers_views.detail, name="register"),
    path("states/", states_views.index, name="states"),
    path("states/<str:code>/", states_views.detail, name="state"),
    path("treaties/", treaties_views.treaty_status, name="treaties"),
    path("providers/", providers_views.page, name="providers"),
    path("implementation/", implementation_views.page, name="implementation"),
    path("indicators/", indicators_views.page, name="indicators"),
    path("indicators/report.pdf", indicators_views.report, name="indicators_report"),
]
