from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "cyberspex.web.exchange"
    label = "exchange"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cyberspex.web.exchange import emergency_views  # noqa: F401, PLC0415  # registers the emergency panel
