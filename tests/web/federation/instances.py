"""Real instances on loopback for the federation tests and the benchmark: each is `cyberspex serve`
with its own SQLite data directory (tests/reliability/serving.py), its own commands and its own
Django code run in a subprocess; two of them trust each other through their identity documents."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from tests.reliability.serving import Served, free_port

CLI = [sys.executable, "-m", "cyberspex.cli.main"]
SETUP = "from cyberspex.cli.web import _setup\n_setup()\n"


class Instance:
    def __init__(self, instance_id: str, folder: Path, **settings: str) -> None:
        self.instance_id = instance_id
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.data_dir = folder / "var"
        self.data_dir.mkdir(parents=True)
        self.env = {
            "CYBERSPEX_INSTANCE_ID": instance_id,
            "CYBERSPEX_BASE_URL": self.base_url,
            "AUDIT_CHAIN_KEY": f"two-instances-audit-chain-key-{instance_id}-0123456789",
            "LOG_LEVEL": "ERROR",
            **settings,
        }
        self.served = Served(self.data_dir, "--workers", "1", port=self.port, extra_env=self.env)

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        return {**env, **self.env, "CYBERSPEX_DATA_DIR": str(self.data_dir)}

    def cli(self, *args: str, status: int = 0) -> str:
        done = subprocess.run([*CLI, *args], env=self.environment(), capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == status, done.stderr + done.stdout
        return done.stdout.strip()

    def worker(self, *args: str) -> subprocess.Popen[str]:
        """`cyberspex federation deliver ARGS` running in the background (stop it with terminate())."""
        command = [*CLI, "federation", "deliver", *args]
        return subprocess.Popen(command, env=self.environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def python(self, code: str, *, timeout: float = 120) -> Any:
        """Run ``code`` in Django with this instance's settings; the JSON it prints as ``result``."""
        script = SETUP + textwrap.dedent(code) + "\nprint(json.dumps(result, default=str))\n"
        done = subprocess.run(
            [sys.executable, "-c", "import json\n" + script],
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def health(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=10) as answer:  # noqa: S310  # our own loopback server
            found: dict[str, Any] = json.loads(answer.read())
        return found

    def rows(self, sql: str, *params: str) -> list[tuple[Any, ...]]:
        """Rows of the instance's own SQLite database, read from outside (no Django start-up)."""
        with closing(sqlite3.connect(self.data_dir / "cyberspex.sqlite3", timeout=30)) as database:
            return database.execute(sql, params).fetchall()

    def inbox(self) -> list[tuple[Any, ...]]:
        """(message id as hex, kind, payload) of every message it received."""
        return [
            (uuid.UUID(i).hex, k, json.loads(e)["payload"])
            for i, k, e in self.rows("SELECT message_id, kind, envelope FROM federation_inboxmessage")
        ]


# `enqueue` messages from A to B's provider in one transaction each, as a business change would;
# ``count`` of them, of request ``request`` ("" for none); the result is their ids in order.
ENQUEUE = """
from django.db import transaction
from django.utils import timezone
from cyberspex.web.federation import outbox
from cyberspex.web.federation.models import Peer
peer = Peer.objects.get(instance_id="{peer}")
ids = []
for n in range({count}):
    with transaction.atomic():
        message = outbox.enqueue(peer=peer, organisation=peer.organisations[0]["id"], kind="{kind}",
                                 payload={{"order": "{kind}", "n": n}}, request="{request}", now=timezone.now())
    ids.append(str(message.pk))
result = ids
"""


def enqueue(sender: Instance, receiver: Instance, kind: str, *, count: int = 1, request: str = "FR-2026-1") -> list[str]:
    return list(sender.python(ENQUEUE.format(peer=receiver.instance_id, kind=kind, count=count, request=request)))


@contextmanager
def trusting_pair(folder: Path, **settings: Mapping[str, str]) -> Iterator[tuple[Instance, Instance]]:
    """A (``a.example``) and B (``b.example``, hosting one provider) served, each trusting the
    other; ``settings``: extra environment for A (``a``) and B (``b``). Both are stopped after."""
    a = Instance("a.example", folder / "a", **settings.get("a", {}))
    b = Instance("b.example", folder / "b", **settings.get("b", {}))
    try:
        a.served.start()
        b.served.start()
        b.python(f"""
            from django.utils import timezone
            from cyberspex.web.accounts.models import Organisation
            from cyberspex.web.federation import identity
            Organisation.objects.create(name="Provider B", kind="provider", country="IE")
            with open({str(folder / "b.json")!r}, "w") as out:
                json.dump(identity.document(timezone.now()), out)
            result = True
        """)
        a.cli("instance", "identity", "-o", str(folder / "a.json"))
        assert a.cli("peers", "add", str(folder / "b.json")).startswith(f"trusted b.example at {b.base_url}: 1 organisation(s)")
        assert b.cli("peers", "add", str(folder / "a.json")).startswith(f"trusted a.example at {a.base_url}")
        yield a, b
    finally:
        a.served.stop()
        b.served.stop()
