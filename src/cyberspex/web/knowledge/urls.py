"""The knowledge portal's pages. Public ones are listed in accounts/middleware.py (PORTAL_PREFIXES)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cyberspex.web.knowledge import whatif_views

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    path("what-if/", whatif_views.what_if_page, name="what_if"),  # ratification what-if (knowledge/whatif.py)
]
