from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "cyberspex.web.exchange"
    label = "exchange"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The panels of the inbox item register themselves (exchange/panels.py) when imported.
        from cyberspex.web.exchange import decision_views  # noqa: F401, PLC0415
