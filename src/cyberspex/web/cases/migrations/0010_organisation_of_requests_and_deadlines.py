"""Request.organisation and Deadline.organisation (the case's), nullable until 0011 fills them in
(0012 makes them required)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_secretariat_and_curators"),
        ("cases", "0009_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="organisation",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="requests", to="accounts.organisation"
            ),
        ),
        migrations.AddField(
            model_name="deadline",
            name="organisation",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="deadlines", to="accounts.organisation"
            ),
        ),
    ]
