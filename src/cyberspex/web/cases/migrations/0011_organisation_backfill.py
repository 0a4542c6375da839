"""Every request gets its case's organisation, every deadline its request's: one UPDATE each,
not a row at a time (a million rows take seconds). In a migration of its own, committed before
0012 alters the columns (PostgreSQL refuses to alter a table while the deferred foreign key
checks of an UPDATE in the same transaction are pending)."""

from typing import Any

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps: Any, _schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    Request = apps.get_model("cases", "Request")
    Deadline = apps.get_model("cases", "Deadline")
    of_case = Case.objects.filter(pk=OuterRef("case_id")).values("organisation_id")[:1]
    Request.objects.filter(organisation__isnull=True).update(organisation_id=Subquery(of_case))
    of_request = Request.objects.filter(pk=OuterRef("request_id")).values("organisation_id")[:1]
    Deadline.objects.filter(organisation__isnull=True).update(organisation_id=Subquery(of_request))


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_organisation_of_requests_and_deadlines")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=False)]
