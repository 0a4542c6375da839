"""The index of the organisation's requests newest first also holds the columns the search
compares (state, form, route, recipient State, case): the search reads the index alone, not the
requests' rows with their form data."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0012_organisation_mirrors"),
        ("cases", "0013_case_search_trigrams"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="request",
            name="request_org_newest",
        ),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(
                fields=["organisation", "-created_at", "-id", "state", "form_id", "route_id", "recipient_state", "case"],
                name="request_org_newest",
            ),
        ),
    ]
