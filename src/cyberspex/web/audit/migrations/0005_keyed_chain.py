"""Key the audit chain: each record names the key that seals it; two new events; on SQLite,
refuse ``INSERT OR REPLACE`` (its implicit delete does not fire the delete trigger)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

# A BEFORE INSERT trigger runs before the conflict resolution of INSERT OR REPLACE / REPLACE INTO,
# which would otherwise delete the record in the way without firing audit_no_delete.
SQLITE_NO_REPLACE = (
    "CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit_auditentry "
    "WHEN EXISTS (SELECT 1 FROM audit_auditentry WHERE id = NEW.id OR seq = NEW.seq OR hash = NEW.hash) "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
)


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_REPLACE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_audit_text")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, max_length=16, null=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="event",
            field=models.CharField(
                choices=[
                    ("view", "Consultation of personal data"),
                    ("create", "Creation"),
                    ("change", "Alteration"),
                    ("transition", "Change of state"),
                    ("approve", "Approval"),
                    ("disclose", "Disclosure (transmission to a recipient)"),
                    ("export", "Export"),
                    ("erase", "Erasure or anonymisation"),
                    ("login", "Log-in"),
                    ("login_failed", "Failed log-in"),
                    ("token", "API token created or revoked"),
                    ("chain_keyed", "Audit chain sealed with a new key"),
                    ("restore", "Database restored from a backup"),
                ],
                max_length=16,
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
