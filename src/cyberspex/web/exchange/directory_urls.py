"""The directory pages, mounted at /directory/."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.exchange import directory_views

app_name = "directory"
urlpatterns = [
    path("", directory_views.directory_list, name="list"),
    path("<int:organisation_id>/", directory_views.organisation_detail, name="organisation"),
    path("policy/", directory_views.policy_edit, name="policy"),
    path("keys/", directory_views.keys, name="keys"),
    path("keys/rotate/", directory_views.key_rotate, name="rotate"),
]
