from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.static import serve

from cyberspex.web.api.api import api


def healthz(_: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    # Static files are small and few; served by Django so a bare `cyberspex serve` is styled.
    path("static/<path:path>", serve, {"document_root": settings.BASE_DIR / "static"}),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("cyberspex.web.accounts.urls")),
    path("", include("cyberspex.web.cases.urls")),  # last: the dashboard is at /
]
