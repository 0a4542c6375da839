"""On PostgreSQL, let TRUNCATE through only when the audit table is already empty.

Truncating an empty table destroys nothing, and the test database of the live-server tests
is emptied with TRUNCATE between tests; a table with records still refuses it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_no_truncate_unless_empty() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM audit_auditentry) THEN RAISE EXCEPTION 'audit trail is append-only'; END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql;""",
    "DROP TRIGGER audit_no_truncate ON audit_auditentry;",
    "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate_unless_empty();",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
