from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cyberspex.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415  # apps are loaded now

        from cyberspex.web.accounts.middleware import stamp_login  # noqa: PLC0415

        user_logged_in.connect(stamp_login, dispatch_uid="cyberspex.accounts.stamp_login")
