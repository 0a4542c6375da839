from __future__ import annotations

from django.urls import path, re_path

from cyberspex.web.federation import files_views, views

app_name = "federation"

SHA256 = r"(?P<sha256>[0-9a-f]{64})"
MESSAGE = r"(?P<message>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"

urlpatterns = [
    path("v1/messages", views.messages, name="messages"),
    re_path(rf"^v1/files/{MESSAGE}/{SHA256}$", files_views.file_status, name="file_status"),
    re_path(rf"^v1/files/{MESSAGE}/{SHA256}/(?P<index>[0-9]{{1,9}})$", files_views.file_chunk, name="file_chunk"),
]
