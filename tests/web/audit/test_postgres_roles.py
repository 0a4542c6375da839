"""On PostgreSQL, the application's role cannot switch off the audit triggers, nor change the trail.

`cyberspex audit roles-sql` prints the script that gives the tables to an owner role and lets
the application role only SELECT and INSERT on the audit table. Run here as documented (psql,
as a superuser) on a database of the test's own, on the local PostgreSQL server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.web.audit.processes import (
    admin,
    cyberspex,
    environment,
    postgres_reachable,
    postgres_server,
    scratch_database,
    with_database,
    write_records,
)

# Names of this process's own: test runs sharing one PostgreSQL server do not collide (roles are
# server-wide).
DATABASE = f"cyberspex_roles_{os.getpid()}"
OWNER, APP = f"cyberspex_owner_{os.getpid()}", f"cyberspex_app_{os.getpid()}"

REFUSED = {
    "disable the triggers": "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
    "drop a trigger": "DROP TRIGGER audit_no_update ON audit_auditentry",
    "replace the trigger function": "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger "
    "AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
    "take the table over": f"ALTER TABLE audit_auditentry OWNER TO {APP}",
    "update a record": "UPDATE audit_auditentry SET actor = 'mallory' WHERE seq = 1",
    "delete a record": "DELETE FROM audit_auditentry WHERE seq = 1",
    "truncate the trail": "TRUNCATE audit_auditentry",
    "drop the table": "DROP TABLE audit_auditentry",
    "create a table": "CREATE TABLE mallory (id int)",
}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A migrated database with three audit records, then the roles script run twice by a superuser."""
    server = postgres_server()
    unreachable = postgres_reachable(server)
    if unreachable:
        pytest.skip(unreachable)
    if shutil.which("psql") is None:
        pytest.skip("psql not installed (Debian: postgresql-client)")
    data_dir = tmp_path_factory.mktemp("roles")
    with scratch_database(server, DATABASE) as url:
        try:
            write_records(environment(data_dir, database_url=url), 3)  # migrations, as the superuser
            script = cyberspex(environment(data_dir), "audit", "roles-sql", "--owner", OWNER, "--app", APP)
            assert script.status == 0, script
            for _ in range(2):  # the script can be run again (e.g. after an upgrade)
                psql = subprocess.run(
                    ["psql", "-v", "ON_ERROR_STOP=1", "-q", url],  # noqa: S607  # the PostgreSQL client on PATH
                    input=script.out,
                    capture_output=True,
                    text=True,
                    timeout=60,
                    check=False,
                )
                assert psql.returncode == 0, psql.stderr
            yield server, data_dir
        finally:
            admin(server, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            admin(server, f"DROP ROLE IF EXISTS {APP}", f"DROP ROLE IF EXISTS {OWNER}")


def _as(server: str, role: str, statement: str) -> None:
    with psycopg.connect(with_database(server, DATABASE, role), autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]  # fixed statements of this test


@pytest.mark.parametrize("attempt", REFUSED)
def test_the_application_role_cannot(platform: tuple[str, Path], attempt: str) -> None:
    server, _ = platform
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as(server, APP, REFUSED[attempt])


def test_the_owner_owns_the_audit_table_and_its_trigger_function(platform: tuple[str, Path]) -> None:
    server, _ = platform
    with psycopg.connect(with_database(server, DATABASE)) as connection:
        table_owner = connection.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_auditentry'").fetchone()
        function_owner = connection.execute(
            "SELECT r.rolname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE p.proname = 'audit_append_only'"
        ).fetchone()
    assert (table_owner, function_owner) == ((OWNER,), (OWNER,))


def test_the_platform_runs_as_the_application_role_and_the_chain_verifies(platform: tuple[str, Path]) -> None:
    server, data_dir = platform
    app = environment(data_dir, database_url=with_database(server, DATABASE, APP))
    write_records(app, 2, actor="through the application role")
    worker = cyberspex(app, "worker", "--once")
    assert worker.status == 0, worker
    verified = cyberspex(app, "audit", "verify")
    assert verified.status == 0, verified
    assert verified.out.splitlines()[-1].startswith("audit trail intact: ")


def test_a_table_that_a_later_migration_creates_is_usable_by_the_application(platform: tuple[str, Path]) -> None:
    server, _ = platform
    _as(server, OWNER, "CREATE TABLE IF NOT EXISTS later_feature (id int)")
    _as(server, APP, "INSERT INTO later_feature VALUES (1)")
    _as(server, APP, "DELETE FROM later_feature")


def test_role_names_that_could_carry_sql_are_refused(tmp_path: Path) -> None:
    done = cyberspex(environment(tmp_path), "audit", "roles-sql", "--owner", "owner; DROP TABLE x", "--app", "app")
    assert (done.status, "invalid --owner" in done.err, done.out) == (2, True, "")
