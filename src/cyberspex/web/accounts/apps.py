from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cyberspex.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415  # apps are loaded now
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415

        from cyberspex.web.accounts.access import forget_memberships  # noqa: PLC0415
        from cyberspex.web.accounts.middleware import stamp_login  # noqa: PLC0415
        from cyberspex.web.accounts.models import Membership, Organisation  # noqa: PLC0415

        user_logged_in.connect(stamp_login, dispatch_uid="cyberspex.accounts.stamp_login")
        for model in (Membership, Organisation):  # the membership read once per request is read again
            post_save.connect(forget_memberships, sender=model, dispatch_uid=f"cyberspex.accounts.forget.{model.__name__}")
            post_delete.connect(forget_memberships, sender=model, dispatch_uid=f"cyberspex.accounts.forget_d.{model.__name__}")
