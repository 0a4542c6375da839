"""Reminders: claim, send, confirm; a failed send stays due with a back-off (reminders.py)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_request_served_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="reminder_attempts",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="deadline",
            name="reminder_claimed_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="deadline",
            name="reminder_last_error",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="deadline",
            name="reminder_next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
