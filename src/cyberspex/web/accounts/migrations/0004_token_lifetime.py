"""API tokens get a lifetime, the session that created them and why they were revoked.

Tokens made before this migration expire API_TOKEN_DAYS after their creation (30 by default)."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models


def _expiry(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration signature
    token_model = apps.get_model("accounts", "ApiToken")
    days = getattr(settings, "API_TOKEN_DAYS", 30)
    for token in token_model.objects.all().only("pk", "created_at"):
        token_model.objects.filter(pk=token.pk).update(expires_at=token.created_at + timedelta(days=days))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_login_throttle")]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(_expiry, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
        migrations.AddField(
            model_name="apitoken", name="session_digest", field=models.CharField(blank=True, db_index=True, max_length=64)
        ),
        migrations.AddField(model_name="apitoken", name="revoked_reason", field=models.CharField(blank=True, max_length=16)),
    ]
