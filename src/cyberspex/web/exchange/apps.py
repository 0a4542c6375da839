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
        from django.db.models.signals import post_migrate  # noqa: PLC0415

        from cyberspex.web.exchange.statistics_durations import installed_after_migrate  # noqa: PLC0415

        # The statistics' triggers, put back after a migration that rebuilt a table on SQLite.
        post_migrate.connect(installed_after_migrate, sender=self, dispatch_uid="cyberspex.exchange.statistics_durations")
