from __future__ import annotations

import importlib

from django.apps import AppConfig

# The modules whose inbox-item panels register themselves when imported (exchange/panels.py).
PANEL_MODULES = ("answer_views", "requested_party_views", "decision_views", "emergency_views")


class ExchangeConfig(AppConfig):
    name = "cyberspex.web.exchange"
    label = "exchange"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        for module in PANEL_MODULES:
            importlib.import_module(f"{self.name}.{module}")
        importlib.import_module(f"{self.name}.remote")  # registers the handlers of messages between instances
