"""On PostgreSQL, trigram indexes (pg_trgm) of the texts the search reads in a case: its
reference, title, offences and identifiers, as the search compares them (``UPPER(column::text)
LIKE UPPER('%…%')``, Django's ``icontains``). A search for a text no case holds is then answered
from the indexes instead of reading every case of the organisation.

Only PostgreSQL has them: on SQLite, and on a PostgreSQL server without the pg_trgm extension
available, nothing is done and the search reads the organisation's cases (the same results).
The model does not declare them (Django's indexes cannot be vendor-conditional)."""

from typing import Any

from django.db import migrations

# (index name, the column's text as the search compares it)
TRIGRAMS = (
    ("case_reference_trgm", 'UPPER("reference"::text)'),
    ("case_title_trgm", 'UPPER("title"::text)'),
    ("case_offences_trgm", 'UPPER("offences"::text)'),
    ("case_identifiers_trgm", 'UPPER("identifiers"::text)'),
)


def _trigrams_available(schema_editor: Any) -> bool:
    if schema_editor.connection.vendor != "postgresql":
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        return cursor.fetchone() is not None


def create(_apps: Any, schema_editor: Any) -> None:
    if not _trigrams_available(schema_editor):
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, text in TRIGRAMS:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cases_case USING gin (({text}) gin_trgm_ops)")
    # The planner's statistics of the indexed expressions, so that it knows a rare text is rare.
    schema_editor.execute("ANALYZE cases_case")


def drop(_apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _text in TRIGRAMS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_organisation_required")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
