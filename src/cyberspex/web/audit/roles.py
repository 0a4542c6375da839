"""PostgreSQL roles that keep the application from switching off the audit triggers.

The owner of a table can disable its triggers (``ALTER TABLE ... DISABLE TRIGGER``) or drop
them; so the role the application connects with must not own the audit table. The script made
here gives every table, sequence and function of the schema to an *owner* role (which runs the
migrations) and lets the *application* role read and write the other tables but only SELECT
and INSERT on the audit table. Run it with ``psql`` as a superuser, after the migrations:

    cyberspex audit roles-sql --owner cyberspex_owner --app cyberspex_app | psql -v ON_ERROR_STOP=1 DB

No Django here: the script is text, printed for a database administrator to read and run.
"""

from __future__ import annotations

import re

AUDIT_TABLE = "audit_auditentry"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _check(name: str, option: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"invalid {option} {name!r}: a PostgreSQL role name in lower case letters, digits and _")
    return name


def roles_sql(*, owner: str, app: str) -> str:
    """The SQL script that sets up ``owner`` and ``app`` on the current database (idempotent)."""
    owner, app = _check(owner, "--owner"), _check(app, "--app")
    if owner == app:
        raise ValueError("--owner and --app must be two different roles")
    # Role names are checked against _IDENTIFIER above, so they cannot carry SQL.
    return f"""-- CyberSPEX: an owner role and an application role that cannot switch off the audit triggers.
-- Run as a superuser on the CyberSPEX database, after the migrations. Safe to run again.
BEGIN;

DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN CREATE ROLE {owner} LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app}') THEN CREATE ROLE {app} LOGIN; END IF;
END $$;

-- The application role holds no power over roles, databases or row security, and is not the owner.
ALTER ROLE {app} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
DO $$ BEGIN
  IF pg_has_role('{app}', '{owner}', 'MEMBER') THEN REVOKE {owner} FROM {app}; END IF;
END $$;

-- The owner owns the schema's tables (with their sequences) and functions; it runs the migrations.
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO {owner}', r.tablename);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO {owner}', r.signature);
  END LOOP;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO {owner}, {app}', current_database());
END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO {owner};
GRANT USAGE ON SCHEMA public TO {app};
REVOKE CREATE ON SCHEMA public FROM {app};

-- The application reads and writes every table, but only reads and appends to the audit trail.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {app};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {app};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app};

-- Tables that later migrations create (run as the owner) are readable and writable by the application.
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app};

COMMIT;
"""  # noqa: S608
