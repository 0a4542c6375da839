"""SIGKILL under concurrent idempotent writes, on PostgreSQL.

``cyberspex serve`` runs on a loopback port against a PostgreSQL database of its own. Eight
clients draft requests at once, each with its own ``Idempotency-Key``; once some writes have
been acknowledged the whole server (master and workers) is killed with SIGKILL, mid-flight.
The server is started again and every write is retried with its key. Then:

- 0 lost: every write acknowledged before the kill answers the same request on retry;
- 0 duplicated: one request per key in the database, and one audit record of its creation;
- the audit chain verifies (``cyberspex audit verify``).

PostgreSQL is at ``CYBERSPEX_TEST_POSTGRES`` (default ``postgres://postgres@127.0.0.1:5432``,
trust authentication). Where it cannot be reached the test is skipped, saying so, unless
``CYBERSPEX_REQUIRE_POSTGRES=1`` (as in ``.ci/run``), which makes that a failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.web.helpers import form_data

SERVER = os.environ.get("CYBERSPEX_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = f"cyberspex_sigkill_{os.getpid()}"  # this process's own: parallel runs do not collide
CYBERSPEX = Path(sys.executable).with_name("cyberspex")
WRITES = 48  # idempotent writes, each with its own key
CLIENTS = 8
# Acknowledged writes before the SIGKILL: one point in `make test`, three under `make soak`.
KILL_POINTS = (4, 12, 30) if os.environ.get("CYBERSPEX_FUZZ_PROFILE") == "soak" else (12,)
SEED = """
import json, django
from django.core.management import call_command
django.setup()
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth.models import User
from django.utils import timezone
from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role
from cyberspex.web.api.auth import token_create
from cyberspex.web.cases import services
org = Organisation.objects.create(name="Parquet de Paris", kind=OrganisationKind.ISSUING_AUTHORITY, country="FR")
user = User.objects.create(username="prosecutor")
Membership.objects.create(user=user, organisation=org, role=Role.PROSECUTOR)
now = timezone.now()
case = services.case_create(
    user=user, reference="PAR-2026-1", title="Phishing", offences=[], summary_of_facts="", identifiers=[], persons=[],
    classification="restricted", retention_review_date=now.date().replace(year=now.year + 1), now=now,
)
print(json.dumps({"case": case.pk, "token": token_create(user=user, name="sigkill", verified=True, now=now)}))
"""


def _reachable() -> bool:
    try:
        with psycopg.connect(f"{SERVER}/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture
def database() -> Iterator[str]:
    if not _reachable():
        if os.environ.get("CYBERSPEX_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required (CYBERSPEX_REQUIRE_POSTGRES=1) but {SERVER} cannot be reached")
        pytest.skip(f"PostgreSQL not reachable at {SERVER}: the SIGKILL test needs it")
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    yield f"{SERVER}/{DATABASE}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # our own command
                [str(CYBERSPEX), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", "2"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the kill reaches the workers too
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop(signal.SIGKILL)
        pytest.fail(f"the server did not answer within 90 s: {self.log.read_text(errors='replace')[-2000:]}")

    def stop(self, how: signal.Signals) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # already gone: nothing left to stop
            os.killpg(self.process.pid, how)
        self.process.wait(timeout=30)
        self.process = None


@dataclass(frozen=True)
class Answer:
    key: str
    status: int | None  # None: no answer (connection refused or cut)
    request_id: int | None


def _write(port: int, token: str, case: int, key: str) -> Answer:
    body = json.dumps({"form_id": "eu-epoc", "data": form_data("eu-epoc", "DE")}).encode()
    request = urllib.request.Request(  # loopback only
        f"http://127.0.0.1:{port}/api/v1/cases/{case}/requests",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": key},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310
            return Answer(key, answer.status, json.loads(answer.read())["id"])
    except urllib.error.HTTPError as error:
        return Answer(key, error.code, None)
    except (OSError, ValueError):
        return Answer(key, None, None)


def _rows(url: str, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as connection:
        return connection.execute(query).fetchall()  # type: ignore[arg-type]


@pytest.mark.parametrize("kill_after", KILL_POINTS, ids=lambda n: f"after-{n}-acknowledged")
def test_a_sigkill_mid_write_loses_and_duplicates_nothing(database: str, tmp_path: Path, kill_after: int) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "CYBERSPEX_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "sigkill-test-key-not-secret-0123456789",
        "AUDIT_CHAIN_KEY": "sigkill-test-audit-chain-key-0123456789",  # production refuses to run without one
        "DJANGO_SETTINGS_MODULE": "cyberspex.web.settings",
    }
    seeded = subprocess.run([sys.executable, "-c", SEED], env=env, capture_output=True, text=True, check=False, timeout=300)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    server = Server(env, _free_port(), tmp_path / "server.log")
    keys = [f"sigkill-{n:03d}" for n in range(WRITES)]

    server.start()
    acknowledged: dict[str, int] = {}
    killed = threading.Event()
    lock = threading.Lock()

    def write(key: str) -> Answer:
        answer = _write(server.port, seed["token"], seed["case"], key)
        with lock:
            if answer.status in (200, 201) and answer.request_id is not None:
                acknowledged[key] = answer.request_id
                if len(acknowledged) >= kill_after and not killed.is_set():
                    killed.set()
                    server.stop(signal.SIGKILL)  # master and workers, while the other clients are writing
        return answer

    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            first = list(pool.map(write, keys))
        assert killed.is_set(), "the server was never killed: too few writes were acknowledged"
        unanswered = [a.key for a in first if a.status is None]
        assert unanswered, "no write was cut by the kill: the test proved nothing"
        assert not [a for a in first if a.status is not None and a.status >= 500], first

        server.start()
        with ThreadPoolExecutor(CLIENTS) as pool:
            retried = {a.key: a for a in pool.map(lambda key: _write(server.port, seed["token"], seed["case"], key), keys)}
    finally:
        server.stop(signal.SIGTERM)

    assert [a for a in retried.values() if a.status not in (200, 201)] == []
    lost = {key: (made, retried[key].request_id) for key, made in acknowledged.items() if retried[key].request_id != made}
    assert lost == {}, "acknowledged writes answered with another request after the restart"
    per_key = _rows(database, "SELECT idempotency_key, count(*) FROM cases_request GROUP BY idempotency_key")
    assert sorted(per_key) == [(key, 1) for key in keys], "not exactly one request per key"
    created = _rows(database, "SELECT count(*) FROM audit_auditentry WHERE event = 'create' AND object_type = 'request'")
    assert created == [(WRITES,)]
    verified = subprocess.run(
        [str(CYBERSPEX), "audit", "verify"], check=False, env=env, capture_output=True, text=True, timeout=120
    )
    assert (verified.returncode, verified.stdout.strip().split(":")[0]) == (0, "audit trail intact"), verified
    print(f"\nSIGKILL after {len(acknowledged)} acknowledged of {WRITES} writes; {len(unanswered)} cut; 0 lost, 0 duplicated")
