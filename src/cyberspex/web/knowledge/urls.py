"""The knowledge portal's pages. Public ones are listed in accounts/middleware.py (PORTAL_PREFIXES)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cyberspex.web.knowledge import curation_views

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    # Curation of the reference data: curators only, behind log-in and the second factor.
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
