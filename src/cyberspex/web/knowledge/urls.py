"""The knowledge portal's pages. Public ones are listed in accounts/middleware.py (PORTAL_PREFIXES)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = []
