"""The knowledge portal's pages. Public ones are listed in accounts/middleware.py (PORTAL_PREFIXES)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cyberspex.web.knowledge import (
    curation_views,
    implementation_views,
    indicators_views,
    providers_views,
    registers_views,
    states_views,
    treaties_views,
    whatif_views,
)

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    path("registers/", registers_views.index, name="registers"),
    path("registers/<slug:register_id>/", registers_views.detail, name="register"),
    path("states/", states_views.index, name="states"),
    path("states/<str:code>/", states_views.detail, name="state"),
    path("treaties/", treaties_views.treaty_status, name="treaties"),
    path("what-if/", whatif_views.what_if_page, name="what_if"),  # ratification what-if (knowledge/whatif.py)
    path("providers/", providers_views.page, name="providers"),
    path("implementation/", implementation_views.page, name="implementation"),
    path("indicators/", indicators_views.page, name="indicators"),
    path("indicators/report.pdf", indicators_views.report, name="indicators_report"),
    path("curation/", curation_views.queue, name="curation_queue"),
    path("curation/propose/", curation_views.propose, name="curation_propose"),
    path("curation/changes/<int:change_id>/", curation_views.change_detail, name="curation_change"),
    path("curation/changes/<int:change_id>/publish/", curation_views.change_publish, name="curation_publish"),
    path("curation/changes/<int:change_id>/reject/", curation_views.change_reject, name="curation_reject"),
    path("curation/changes/<int:change_id>/withdraw/", curation_views.change_withdraw, name="curation_withdraw"),
    path("curation/versions/", curation_views.versions, name="curation_versions"),
    path("curation/import/", curation_views.import_page, name="curation_import"),
    path("curation/stale/", curation_views.stale, name="curation_stale"),
]
