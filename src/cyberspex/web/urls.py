from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from cyberspex.web.api.api import api


def healthz(_: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
]
