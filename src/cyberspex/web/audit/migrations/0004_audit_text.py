"""Personal text of audit records kept outside the hashed record (ADR 0013).

A text may be deleted (erasure) but never changed: the database refuses UPDATE on the table.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    "CREATE TRIGGER audit_text_no_update BEFORE UPDATE ON audit_audittext "
    "BEGIN SELECT RAISE(ABORT, 'audit texts are erased, never changed'); END;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_text_no_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit texts are erased, never changed'; END; $$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER audit_text_no_update BEFORE UPDATE ON audit_audittext FOR EACH ROW EXECUTE FUNCTION audit_text_no_update();",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_truncate_empty")]

    operations = [
        migrations.CreateModel(
            name="AuditText",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("place", models.CharField(max_length=100)),
                ("salt", models.CharField(max_length=64)),
                ("text", models.TextField()),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        db_constraint=False,
                        related_name="texts",
                        to="audit.auditentry",
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("entry", "place"), name="audit_text_one_per_place")],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
