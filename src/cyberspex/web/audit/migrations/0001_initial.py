from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="AuditEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(unique=True)),
                ("at", models.DateTimeField()),
                ("actor", models.CharField(max_length=150)),
                ("organisation", models.CharField(blank=True, max_length=200)),
                (
                    "event",
                    models.CharField(
                        max_length=16,
                        choices=[
                            ("view", "Consultation of personal data"),
                            ("create", "Creation"),
                            ("change", "Alteration"),
                            ("transition", "Change of state"),
                            ("approve", "Approval"),
                            ("disclose", "Disclosure (transmission to a recipient)"),
                            ("export", "Export"),
                            ("erase", "Erasure or anonymisation"),
                            ("login", "Log-in"),
                            ("login_failed", "Failed log-in"),
                            ("token", "API token created or revoked"),
                        ],
                    ),
                ),
                ("object_type", models.CharField(blank=True, max_length=50)),
                ("object_id", models.CharField(blank=True, max_length=50)),
                ("justification", models.TextField(blank=True)),
                ("details", models.JSONField(default=dict)),
                ("previous_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
            ],
            options={"ordering": ("seq",)},
        ),
    ]
