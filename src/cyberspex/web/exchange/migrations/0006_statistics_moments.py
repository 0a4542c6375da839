"""The first response and the completion of each request and delivery, kept by the database
(exchange/statistics_moments.py): the columns, the statistics' covering index, the triggers, and
the moments of the existing rows computed from them."""

from typing import Any

from django.db import migrations, models

from cyberspex.web.exchange import statistics_moments


def forwards(apps: Any, schema_editor: Any) -> None:
    statistics_moments.install(schema_editor.connection)
    statistics_moments.refill(schema_editor.connection)


def backwards(apps: Any, schema_editor: Any) -> None:
    statistics_moments.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_organisation_mirrors"),
        ("cases", "0014_statistics_moments"),
        ("exchange", "0005_between_instances"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="completed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="first_response_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                fields=["organisation", "delivered_at", "request", "signed_by", "status", "first_response_at", "completed_at"],
                name="delivery_org_statistics",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
