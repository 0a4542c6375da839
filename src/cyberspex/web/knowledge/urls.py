"""The knowledge portal's pages. Public ones are listed in accounts/middleware.py (PORTAL_PREFIXES)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cyberspex.web.knowledge import treaties_views

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    path("treaties/", treaties_views.treaty_status, name="treaties"),
]
