from __future__ import annotations

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """The public knowledge portal (registers, treaty status, State profiles, what-if, provider
    policies, implementation, indicators) and the curation of the reference data behind it."""

    name = "cyberspex.web.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The treaty and implementation sections of the indicators register themselves on import.
        from cyberspex.web.knowledge import indicators_sections  # noqa: F401, PLC0415
