from __future__ import annotations

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "cyberspex.web.exchange"
    label = "exchange"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the panels of the receiving side's modules (exchange/panels.py).
        from cyberspex.web.exchange import answer_views, requested_party_views  # noqa: F401, PLC0415
