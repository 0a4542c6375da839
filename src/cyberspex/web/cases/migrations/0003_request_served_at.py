"""CETS 224 Art 8(6)(a): record when the requested Party served the Article 8 order on the
provider. The return periods (20 days for subscriber information, 45 days for traffic data)
run from that service; deadlines created at issue from the old reading (from receipt) and
still open are removed, and are created again from the service date once it is recorded."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

RUNS_FROM_SERVICE = ("cets224.art8.6.a.i.subscriber", "cets224.art8.6.a.ii.traffic")


def remove_return_clocks_started_at_issue(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    deadline = apps.get_model("cases", "Deadline")
    deadline.objects.filter(rule__in=RUNS_FROM_SERVICE, done_at__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_blank_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="request",
            name="served_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(remove_return_clocks_started_at_issue, migrations.RunPython.noop),
    ]
