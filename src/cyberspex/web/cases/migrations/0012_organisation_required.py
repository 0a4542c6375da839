"""Request.organisation and Deadline.organisation required (0011 filled them in), with the
indexes they serve: the organisation's requests newest first (the search) and in a state by age
(the approval queue), and a partial index
of its open deadlines by due date (dashboard, deadline API, calendar feed)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_secretariat_and_curators"),
        ("cases", "0011_organisation_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="request",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="requests", to="accounts.organisation"
            ),
        ),
        migrations.AlterField(
            model_name="deadline",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="deadlines", to="accounts.organisation"
            ),
        ),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(fields=["organisation", "-created_at", "-id"], name="request_org_newest"),
        ),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(fields=["organisation", "state", "created_at", "id"], name="request_org_state"),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)),
                fields=["organisation", "due_at", "id"],
                name="deadline_org_open_due",
            ),
        ),
    ]
