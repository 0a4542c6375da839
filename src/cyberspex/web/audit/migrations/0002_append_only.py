"""Refuse UPDATE and DELETE on the audit table at the database level."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditentry BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditentry BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit trail is append-only'; END; $$ LANGUAGE plpgsql;""",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit_auditentry FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditentry FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
