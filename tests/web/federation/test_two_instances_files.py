"""A produced file between two real instances on loopback (docs/federation.md "Files"): A sends
B a message listing a file; once B's receipt is in, A sends the file in chunks; the transfer
breaks after a few chunks (the transport fails), and the next pass asks B what it holds and
resumes at the first missing chunk. B holds the file under the same SHA-256, and the sender's
memory stays far below the file's size (streamed, never held whole). 50 MB here; 1 GB under
`make soak` (tests/reliability/test_federation_large_file.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.reliability.serving import running_server
from tests.web.federation.instances import Instance

MB = 1024 * 1024
CHUNK = 4 * MB
BROKEN_AFTER = 5  # chunks

# On A: a file of {size} random bytes sealed into its storage as a produced file is (streamed),
# and a message to B listing it, enqueued in one transaction.
OFFER = """
import hashlib, os, tempfile
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from cyberspex.web.exchange import sealing
from cyberspex.web.federation import files, outbox
from cyberspex.web.federation.models import Peer

class Random:
    def __init__(self, size):
        self.left, self.hash = size, hashlib.sha256()
    def read(self, size=-1):
        data = os.urandom(min(size, self.left, 1024 * 1024))
        self.left -= len(data)
        self.hash.update(data)
        return data

name, random = "produced/large.sealed", Random({size})
with tempfile.TemporaryFile() as sealed:
    sealing.seal_stream(random, sealed, purpose="produced_file:" + name)
    sealed.seek(0)
    stored = storages["exchange"].save(name, File(sealed))
source = files.Source(name="mailbox.mbox", size={size}, sha256=random.hash.hexdigest(), stored_name=stored,
                      purpose="produced_file:" + name)
with transaction.atomic():
    peer = Peer.objects.get(instance_id="b.example")
    message = outbox.enqueue(peer=peer, organisation=peer.organisations[0]["id"], kind="answer",
                             payload={{"answer": "produced"}}, request="FR-2026-9", now=timezone.now())
    files.offer(message=message, source=source, now=timezone.now())
result = [str(message.pk), source.sha256]
"""

# On A: the message delivered, then the file's transfer broken after {broken} chunks.
BROKEN = """
from django.utils import timezone
from cyberspex.web.federation import files, outbox
from cyberspex.web.federation.files_transport import HttpsFileTransport
from cyberspex.web.federation.files_models import FileTransfer
from cyberspex.web.federation.transport import HttpsTransport, TransportError

class Breaking(HttpsFileTransport):
    puts = 0
    def put(self, *args, **kwargs):
        if self.puts == {broken}:
            raise TransportError("the connection was reset", retryable=True)
        self.puts += 1
        return super().put(*args, **kwargs)

delivered = outbox.deliver_due(HttpsTransport(), clock=timezone.now)
sent = files.send_due(Breaking(), clock=timezone.now, jitter=lambda: 0.0)
transfer = FileTransfer.objects.get()
result = [delivered.delivered, sent.chunks, sent.retrying, transfer.state, transfer.chunks_sent, transfer.chunks]
"""

# On A, once the back-off has passed: the next pass, its memory measured (the Python heap's peak
# with tracemalloc, and the growth of the process's resident memory).
RESUMED = """
import time, tracemalloc
from django.utils import timezone
from cyberspex.web.federation import files
from cyberspex.web.federation.files_transport import HttpsFileTransport
from cyberspex.web.federation.files_models import FileTransfer

def resident(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith(field + ":"))

class Counting(HttpsFileTransport):
    calls = []
    def held(self, *args, **kwargs):
        answer = super().held(*args, **kwargs)
        self.calls.append(["GET", answer["received"]])
        return answer
    def put(self, *args, **kwargs):
        self.calls.append(["PUT", kwargs["index"]])
        return super().put(*args, **kwargs)

while FileTransfer.objects.get().next_attempt_at > timezone.now():
    time.sleep(0.2)
carrier = Counting()
before = resident("VmRSS")
tracemalloc.start()
sent = files.send_due(carrier, clock=timezone.now)
heap_peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
transfer = FileTransfer.objects.get()
result = [sent.files, sent.errors, carrier.calls, transfer.state, heap_peak, resident("VmHWM") - before]
"""

# On B: the file received, and its SHA-256 taken again from what B stored (streamed).
ON_B = """
import hashlib
from cyberspex.web.federation import files_inbox
from cyberspex.web.federation.files_models import ReceivedChunk, ReceivedFile
received = ReceivedFile.objects.get()
whole = hashlib.sha256()
for piece in files_inbox.open_received(received):
    whole.update(piece)
result = [received.name, received.size, received.sha256, whole.hexdigest(), received.completed_at is not None,
          ReceivedChunk.objects.count()]
"""


def exchange_a_large_file(tmp_path: Path, size: int) -> dict[str, Any]:
    """A sends B a file of ``size`` bytes, broken once and resumed; what each side saw."""
    a, b = Instance("a.example", tmp_path / "a"), Instance("b.example", tmp_path / "b")
    a.env["FEDERATION_RETRY_BASE_SECONDS"] = "1"  # the resumed pass comes within a second
    # The last chunk's answer waits for B to check and seal the whole file: seconds per GB.
    a.env["FEDERATION_TIMEOUT_SECONDS"] = str(max(30, size // (4 * MB)))
    with (
        running_server(a.data_dir, "--workers", "1", port=a.port, extra_env=a.env),
        running_server(b.data_dir, "--workers", "2", port=b.port, extra_env={**b.env, "FEDERATION_FILE_MAX_MB": "4096"}),
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
        a.cli("peers", "add", str(tmp_path / "b.json"))
        b.cli("peers", "add", str(tmp_path / "a.json"))
        seconds = max(120, size // MB)  # 1 GB: several minutes on a busy machine
        message, sha256 = a.python(OFFER.format(size=size), timeout=seconds)
        broken = a.python(BROKEN.format(broken=BROKEN_AFTER), timeout=seconds)
        resumed = a.python(RESUMED, timeout=seconds)
        received = b.python(ON_B, timeout=seconds)
    return {"message": message, "sha256": sha256, "broken": broken, "resumed": resumed, "received": received}


def assert_sent_resumed_and_equal(seen: dict[str, Any], size: int) -> None:
    """Broken after BROKEN_AFTER chunks; resumed from the first chunk B lacked, after asking B;
    the same SHA-256 on both sides; the sender's memory far below the file's size."""
    chunks = -(-size // CHUNK)
    assert seen["broken"] == [1, BROKEN_AFTER, 1, "pending", BROKEN_AFTER, chunks]
    files_sent, errors, calls, state, heap_peak, resident_growth = seen["resumed"]
    assert (files_sent, errors, state) == (1, [], "sent")
    assert calls == [["GET", list(range(BROKEN_AFTER))], *(["PUT", i] for i in range(BROKEN_AFTER, chunks))]
    assert seen["received"] == ["mailbox.mbox", size, seen["sha256"], seen["sha256"], True, 0]
    assert heap_peak < 32 * MB
    assert resident_growth < 64 * MB


def test_a_50_mb_file_broken_after_five_chunks_resumes_at_the_sixth_and_arrives_with_the_same_sha256_in_bounded_memory(
    tmp_path: Path,
) -> None:
    assert_sent_resumed_and_equal(exchange_a_large_file(tmp_path, 50 * MB), 50 * MB)
