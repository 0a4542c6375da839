from __future__ import annotations

from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "cyberspex.web.federation"
    label = "federation"
    default_auto_field = "django.db.models.BigAutoField"
