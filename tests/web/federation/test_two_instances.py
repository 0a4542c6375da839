"""Two real instances on loopback, each served by `cyberspex serve` with its own SQLite data
directory, trust each other through their identity documents (`peers add`); a message enqueued on
A is delivered by `federation deliver --once`, stored once on B, and A records B's signed receipt.
The same message delivered again is stored once; a tampered envelope and a message from a peer B
removed are refused, and nothing of them is stored."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import urllib.request
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

from tests.reliability.serving import free_port, running_server

CLI = [sys.executable, "-m", "cyberspex.cli.main"]
SETUP = "from cyberspex.cli.web import _setup\n_setup()\n"


class Instance:
    def __init__(self, instance_id: str, folder: Path) -> None:
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
        }

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        return {**env, **self.env, "CYBERSPEX_DATA_DIR": str(self.data_dir)}

    def cli(self, *args: str, status: int = 0) -> str:
        done = subprocess.run([*CLI, *args], env=self._environment(), capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == status, done.stderr + done.stdout
        return done.stdout.strip()

    def python(self, code: str, *, timeout: float = 120) -> Any:
        """Run ``code`` in Django with this instance's settings; the JSON it prints as ``result``."""
        script = SETUP + textwrap.dedent(code) + "\nprint(json.dumps(result, default=str))\n"
        done = subprocess.run(
            [sys.executable, "-c", "import json\n" + script],
            env=self._environment(),
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


ENQUEUE = """
from django.db import transaction
from django.utils import timezone
from cyberspex.web.federation import outbox
from cyberspex.web.federation.models import Peer
with transaction.atomic():
    peer = Peer.objects.get(instance_id="b.example")
    message = outbox.enqueue(peer=peer, organisation=peer.organisations[0]["id"], kind="{kind}",
                             payload={{"order": "{kind}"}}, request="FR-2026-1", now=timezone.now())
result = str(message.pk)
"""

# On A, after the first delivery: B's receipt verified with B's keys; the same message sent again
# (as after a lost receipt) and B's answer; a tampered envelope sent and B's refusal.
AGAIN_AND_TAMPERED = """
import base64
from django.utils import timezone
from cyberspex.web.exchange.signing import canonical
from cyberspex.web.federation import envelope, keys
from cyberspex.web.federation.models import OutboxMessage
from cyberspex.web.federation.transport import HttpsTransport, TransportError
m = OutboxMessage.objects.get(pk="{first}")
header, raw = keys.verify_compact(m.receipt["jws"], m.peer.keys, m.received_at)
again = HttpsTransport().send(envelope.seal_envelope(m, timezone.now()), m.peer)
protected, _payload, signature = envelope.seal_envelope(m, timezone.now()).decode().split(".")
changed = {{**envelope.content(m, timezone.now()), "payload": {{"order": "forged"}}}}
forged = base64.urlsafe_b64encode(canonical(changed)).rstrip(b"=").decode()
try:
    HttpsTransport().send(f"{{protected}}.{{forged}}.{{signature}}".encode(), m.peer)
    tampered = "accepted"
except TransportError as error:
    tampered = [error.status, error.retryable, str(error)]
result = [m.state, m.attempts, json.loads(raw), again.decode() == m.receipt["jws"], tampered]
"""


def _rows(instance: Instance, sql: str, *params: str) -> list[tuple[Any, ...]]:
    """Rows of the instance's own SQLite database, read from outside (no Django start-up)."""
    with closing(sqlite3.connect(instance.data_dir / "cyberspex.sqlite3")) as database:
        return database.execute(sql, params).fetchall()


def _inbox(instance: Instance) -> list[tuple[Any, ...]]:
    return [
        (uuid.UUID(i).hex, k, json.loads(e)["payload"])
        for i, k, e in _rows(instance, "SELECT message_id, kind, envelope FROM federation_inboxmessage")
    ]


def test_two_instances_exchange_a_signed_message_stored_once_and_refuse_tampering_and_a_removed_peer(
    tmp_path: Path,
) -> None:
    a, b = Instance("a.example", tmp_path / "a"), Instance("b.example", tmp_path / "b")
    with (
        running_server(a.data_dir, "--workers", "1", port=a.port, extra_env=a.env),
        running_server(b.data_dir, "--workers", "1", port=b.port, extra_env=b.env),
    ):
        b.python(f"""
            from django.utils import timezone
            from cyberspex.web.accounts.models import Organisation
            from cyberspex.web.federation import identity
            Organisation.objects.create(name="Provider B", kind="provider", country="IE")
            with open({str(tmp_path / "b.json")!r}, "w") as out:
                json.dump(identity.document(timezone.now()), out)
            result = True
        """)
        a.cli("instance", "identity", "-o", str(tmp_path / "a.json"))
        assert a.cli("peers", "add", str(tmp_path / "b.json")).startswith(f"trusted b.example at {b.base_url}: 1 organisation(s)")
        assert b.cli("peers", "add", str(tmp_path / "a.json")).startswith(f"trusted a.example at {a.base_url}")

        # A enqueues, its worker delivers: B stores it, A records B's signed receipt.
        first = a.python(ENQUEUE.format(kind="order"))
        assert a.health()["outbox"]["backlog"] == 1
        assert a.cli("federation", "deliver", "--once") == "delivered 1 message(s); 0 to retry later; 0 refused for good"
        assert _inbox(b) == [(uuid.UUID(first).hex, "order", {"order": "order"})]
        assert a.health()["outbox"] == {"backlog": 0, "oldest_undelivered_seconds": None}
        state, attempts, receipt, same_receipt, tampered = a.python(AGAIN_AND_TAMPERED.format(first=first))
        assert (state, attempts) == ("delivered", 1)
        assert (receipt["message"], receipt["receiver"], receipt["sender"]) == (first, "b.example", "a.example")
        # The same message delivered again: the same receipt, stored once.
        assert same_receipt is True
        # A tampered envelope: refused (401) for good, nothing stored.
        assert tampered[:2] == [401, False]
        assert "signature" in tampered[2]
        assert len(_inbox(b)) == 1

        # B removes A: A's next message is refused (403) and waits in A's outbox, counted by /healthz.
        assert b.cli("peers", "remove", "a.example").startswith("a.example is no longer trusted")
        second = a.python(ENQUEUE.format(kind="withdrawal"))
        assert a.cli("federation", "deliver", "--once") == "delivered 0 message(s); 0 to retry later; 1 refused for good"
        assert len(_inbox(b)) == 1
        [(state, error)] = _rows(a, "SELECT state, last_error FROM federation_outboxmessage WHERE id = ?", uuid.UUID(second).hex)
        assert state == "failed"
        assert "HTTP 403 unknown_peer" in error
        assert a.health()["outbox"]["backlog"] == 1
        refusals = _rows(b, "SELECT details FROM audit_auditentry WHERE details LIKE '%federation_message_refused%' ORDER BY seq")
        assert [json.loads(d)["refusal"] for (d,) in refusals] == ["signature", "unknown_peer"]
