"""Deadlines: why and by whom one is done; whether the advisor said it applies only conditionally."""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FINAL = ("answered", "refused", "partially_answered", "lapsed", "closed", "withdrawn")


def close_deadlines_of_final_requests(apps: Any, _schema_editor: Any) -> None:
    """Deadlines of requests already answered, refused, lapsed, closed or withdrawn were left
    open; close them as of the request's move into its final state."""
    request_model = apps.get_model("cases", "Request")
    transition_model = apps.get_model("cases", "Transition")
    for request in request_model.objects.filter(state__in=FINAL, deadlines__done_at__isnull=True).distinct():
        last = transition_model.objects.filter(request=request, to_state=request.state).order_by("-at", "-pk").first()
        if last is None:
            continue  # no record of when it ended: left for a person to mark done
        request.deadlines.filter(done_at__isnull=True).update(done_at=last.at, done_reason=f"request {request.state}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_reminder_retry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline",
            name="done_reason",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="deadline",
            name="done_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="deadline",
            name="conditional",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(close_deadlines_of_final_requests, migrations.RunPython.noop),
    ]
