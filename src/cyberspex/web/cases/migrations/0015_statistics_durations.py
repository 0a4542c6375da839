"""A request's time to the first response and to completion (kept by the database: exchange/0007)
and the statistics' covering index of the requests an organisation issued."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_organisation_mirrors"),
        ("cases", "0014_request_search_reads_the_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="completion",
            field=models.DurationField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="request",
            name="first_response",
            field=models.DurationField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(
                fields=[
                    "organisation",
                    "issued_at",
                    "route_id",
                    "recipient_state",
                    "recipient_organisation",
                    "state",
                    "first_response",
                    "completion",
                ],
                name="request_org_statistics",
            ),
        ),
    ]
