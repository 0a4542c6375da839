"""The instance administrator's Federation page (federation/administration.py): behind the log-in
and the second factor, unlike ``federation/v1/``, which other instances call."""

from __future__ import annotations

from django.urls import path

from cyberspex.web.federation import administration

app_name = "federation_admin"

urlpatterns = [
    path("", administration.overview, name="overview"),
    path("peers/add/", administration.peer_add, name="peer_add"),
    path("peers/<str:instance_id>/remove/", administration.peer_remove, name="peer_remove"),
    path("outbox/<str:message_id>/retry/", administration.message_retry, name="message_retry"),
    path("files/<str:transfer_id>/retry/", administration.file_retry, name="file_retry"),
]
