"""Running ``cyberspex`` commands, and a writer of audit records, in processes of their own.

Each test gives the processes a data folder and a database of its own (``environment``); the
test database of pytest-django is not involved. PostgreSQL servers are reached at
``CYBERSPEX_TEST_POSTGRES`` (a server URL), else the server of ``DATABASE_URL`` when it is a
PostgreSQL one, else ``postgres://postgres@127.0.0.1:5432/postgres``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

CHAIN_KEY = "the chain key of the test platform, 40 chars"
CHECKPOINT_KEY = "the checkpoint key of the test platform"
CLEARED = ("DATABASE_URL", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE")
TIMEOUT = 120  # seconds for one command

# Appends N records through the real code path, one transaction each (argv: N, an actor name, [migrate]).
WRITER = """
import sys, django
from datetime import UTC, datetime
django.setup()
from django.core.management import call_command
from django.db import transaction
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
if sys.argv[3:] == ["migrate"]:
    call_command("migrate", verbosity=0)
for n in range(int(sys.argv[1])):
    with transaction.atomic():
        append(at=datetime.now(UTC), actor=sys.argv[2], organisation="Parquet de Paris", event=Event.VIEW,
               object_type="case", object_id=str(n), details={"n": n})
"""


@dataclass(frozen=True)
class Done:
    status: int
    out: str
    err: str


def environment(data_dir: Path, *, database_url: str | None = None, keys: bool = True, **extra: str) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in CLEARED and not k.startswith("AUDIT_")}
    env |= {"CYBERSPEX_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "cyberspex.web.settings"}
    if database_url:
        env["DATABASE_URL"] = database_url
    if keys:
        env |= {"AUDIT_CHAIN_KEY": CHAIN_KEY, "AUDIT_CHECKPOINT_KEY": CHECKPOINT_KEY}
    return env | extra


def cyberspex(env: dict[str, str], *args: str) -> Done:
    done = subprocess.run(
        [sys.executable, "-m", "cyberspex.cli.main", *args], env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    return Done(done.returncode, done.stdout, done.stderr)


def write_records(env: dict[str, str], count: int, actor: str = "writer") -> None:
    """Append ``count`` records (migrating the database first)."""
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(count), actor, "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def writer_process(env: dict[str, str], count: int, actor: str = "writer") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(count), actor],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# -- PostgreSQL -------------------------------------------------------------------------------


def postgres_server() -> str:
    configured = os.environ.get("CYBERSPEX_TEST_POSTGRES")
    if configured:
        return configured
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def with_database(server: str, name: str, user: str | None = None) -> str:
    parts = urlsplit(server)
    netloc = parts.netloc if user is None else f"{user}@{parts.netloc.rsplit('@', 1)[-1]}"
    return urlunsplit((parts.scheme, netloc, f"/{name}", "", ""))


def postgres_reachable(server: str) -> str:
    """'' when the server answers; otherwise why not (the reason to skip)."""
    try:
        with psycopg.connect(with_database(server, "postgres"), connect_timeout=3):
            return ""
    except psycopg.Error as error:
        return f"no PostgreSQL server at {urlsplit(server).hostname}:{urlsplit(server).port}: {error}".splitlines()[0]


def admin(server: str, *statements: str) -> None:
    with psycopg.connect(with_database(server, "postgres"), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)  # type: ignore[arg-type]  # our own fixed statements


@contextmanager
def scratch_database(server: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` on ``server`` for one test, dropped after it; its URL."""
    admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server, name)
    finally:
        admin(
            server,
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{name}_restore_staging" WITH (FORCE)',
        )
