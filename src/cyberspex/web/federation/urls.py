from __future__ import annotations

from django.urls import path

from cyberspex.web.federation import files_views, views

app_name = "federation"

urlpatterns = [
    path("v1/messages", views.messages, name="messages"),
    path("v1/files/<uuid:message>/<str:sha256>", files_views.file_status, name="file_status"),
    path("v1/files/<uuid:message>/<str:sha256>/<int:index>", files_views.file_chunk, name="file_chunk"),
]
