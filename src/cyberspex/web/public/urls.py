"""The public pages (no log-in): the route advisor, help and the glossary. The front page is
``/`` (cases:dashboard shows it to a visitor who is not logged in)."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.public import views

app_name = "public"
urlpatterns = [
    path("advisor/", views.advisor, name="advisor"),
    path("help/", views.help_page, name="help"),
    path("glossary/", views.glossary, name="glossary"),
]
