"""A delivery's time to the first response and to completion; the statistics' covering indexes of
what an organisation received, of the answers and of the decisions; the triggers that keep those
durations on requests and deliveries (exchange/statistics_durations.py); and the durations of the
existing rows computed from them."""

from typing import Any

from django.db import migrations, models

from cyberspex.web.exchange import statistics_durations


def forwards(apps: Any, schema_editor: Any) -> None:
    statistics_durations.install(schema_editor.connection)
    statistics_durations.refill(schema_editor.connection)


def backwards(apps: Any, schema_editor: Any) -> None:
    statistics_durations.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_organisation_mirrors"),
        ("cases", "0015_statistics_durations"),
        ("exchange", "0006_produced_files_received_from_peers"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="completion",
            field=models.DurationField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="first_response",
            field=models.DurationField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                fields=["organisation", "delivered_at", "request", "signed_by", "status", "first_response", "completion"],
                name="delivery_org_statistics",
            ),
        ),
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["delivery", "kind"], name="decision_statistics"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
