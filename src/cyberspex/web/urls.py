from __future__ import annotations

from django.urls import include, path

from cyberspex.web.api.api import api
from cyberspex.web.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("federation/", include("cyberspex.web.federation.urls")),  # other instances, authenticated by signature
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("cyberspex.web.accounts.urls")),
    path("administration/federation/", include("cyberspex.web.federation.administration_urls")),  # peers, stuck messages
    path("inbox/", include("cyberspex.web.exchange.urls")),
    path("directory/", include("cyberspex.web.exchange.directory_urls")),
    path("statistics/", include("cyberspex.web.exchange.statistics_urls")),
    path("training/", include("cyberspex.web.training.urls")),  # exercises graded by the engine, cohorts, sessions
    path("", include("cyberspex.web.knowledge.urls")),  # the public knowledge portal and its curation
    path("", include("cyberspex.web.public.urls")),  # the public advisor, help and glossary
    path("", include("cyberspex.web.cases.urls")),  # last: the dashboard is at /
]
