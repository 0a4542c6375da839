"""``/federation/v1/files/``: the chunks of a file a trusted peer's delivered message lists are
kept in staging once their signed header, size and SHA-256 are right; ``GET`` says which are
held (to resume); when all are in, the whole SHA-256 is checked and the file becomes available.
Every refusal keeps nothing of the chunk and is audited (federation/files_inbox.py, files_views.py)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.storage import storages
from django.test import Client, override_settings

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.exchange.signing import canonical
from cyberspex.web.federation import files, files_inbox
from cyberspex.web.federation.files_models import ReceivedChunk, ReceivedFile
from tests.web.federation.remote import Remote
from tests.web.helpers import NOW

pytestmark = pytest.mark.django_db
CHUNK = files.MIN_CHUNK_BYTES
CONTENT = os.urandom(2 * CHUNK + 100)  # three chunks, the last of 100 bytes
SHA256 = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def message(remote: Remote) -> str:
    """A message from the remote peer, delivered, that lists the file."""
    hosted = Organisation.objects.create(name="Provider here", kind="provider", country="IE")
    content = remote.envelope_content(
        organisation=str(hosted.pk), files=[{"name": "mail.mbox", "sha256": SHA256, "size": len(CONTENT)}]
    )
    assert (
        Client().post("/federation/v1/messages", data=remote.envelope(content), content_type="application/jose").status_code
        == 200
    )
    return str(content["id"])


def _header(remote: Remote, message: str, index: int, chunk: bytes, **overrides: Any) -> str:
    facts = {
        "message": message,
        "file": SHA256,
        "index": index,
        "sha256": hashlib.sha256(chunk).hexdigest(),
        "size": len(chunk),
        "chunk_size": CHUNK,
        "from": remote.instance_id,
        "to": "cyberspex-dev",
        "sent_at": NOW.isoformat(),
        **overrides,
    }
    return remote.sign(canonical(facts), files.CHUNK_TYPE)


def _chunk(index: int) -> bytes:
    return CONTENT[index * CHUNK : (index + 1) * CHUNK]


def _put(message: str, index: int, body: bytes, signature: str, sha256: str = SHA256) -> Any:
    url = f"/federation/v1/files/{message}/{sha256}/{index}"
    return Client().put(url, data=body, content_type="application/octet-stream", headers={"X-CyberSPEX-Signature": signature})


def _send(remote: Remote, message: str, index: int, **overrides: Any) -> Any:
    return _put(message, index, _chunk(index), _header(remote, message, index, _chunk(index), **overrides))


def _held(remote: Remote, message: str) -> Any:
    facts = {"message": message, "file": SHA256, "from": remote.instance_id, "to": "cyberspex-dev", "sent_at": NOW.isoformat()}
    signature = remote.sign(canonical(facts), files.STATUS_TYPE)
    return Client().get(f"/federation/v1/files/{message}/{SHA256}", headers={"X-CyberSPEX-Signature": signature})


def _refusals() -> list[tuple[int, str]]:
    found = AuditEntry.objects.filter(details__action="federation_file_refused").order_by("seq")
    return [(e.details["status"], e.details["refusal"]) for e in found]


def test_the_chunks_of_a_listed_file_are_kept_and_the_whole_file_becomes_available_with_its_sha256(
    remote: Remote, message: str
) -> None:
    assert _send(remote, message, 0).json() == {"received": 1, "chunks": 3, "complete": False}
    assert _send(remote, message, 2).json() == {"received": 2, "chunks": 3, "complete": False}
    assert _send(remote, message, 1).json() == {"received": 3, "chunks": 3, "complete": True}
    received = ReceivedFile.objects.get()
    assert (received.name, received.size, received.sha256, received.message.message_id.hex) == (
        "mail.mbox",
        len(CONTENT),
        SHA256,
        message.replace("-", ""),
    )
    assert b"".join(files_inbox.open_received(received)) == CONTENT
    assert ReceivedChunk.objects.count() == 0  # the staging is emptied
    assert not storages["exchange"].listdir(f"federation/staging/{received.pk}")[1]
    audit = AuditEntry.objects.get(details__action="federation_file_received")
    assert (audit.details["sha256"], audit.details["chunks"], audit.organisation) == (SHA256, 3, "Provider here")


def test_get_says_which_chunks_are_held_so_that_the_sender_resumes_at_the_first_missing_one(remote: Remote, message: str) -> None:
    assert _held(remote, message).json()["received"] == []
    _send(remote, message, 0)
    _send(remote, message, 1)
    held = _held(remote, message).json()
    assert held == {
        "name": "mail.mbox",
        "size": len(CONTENT),
        "sha256": SHA256,
        "chunk_size": CHUNK,
        "chunks": 3,
        "received": [0, 1],
        "complete": False,
    }
    _send(remote, message, 2)
    assert _held(remote, message).json()["complete"] is True


def test_a_chunk_sent_again_after_a_lost_answer_is_kept_once(remote: Remote, message: str) -> None:
    _send(remote, message, 0)
    assert _send(remote, message, 0).json() == {"received": 1, "chunks": 3, "complete": False}
    assert ReceivedChunk.objects.count() == 1


def test_a_chunk_sent_again_once_the_file_is_complete_changes_nothing(remote: Remote, message: str) -> None:
    for index in range(3):
        _send(remote, message, index)
    assert _send(remote, message, 2).json() == {"received": 3, "chunks": 3, "complete": True}
    assert ReceivedChunk.objects.count() == 0


def test_a_tampered_chunk_is_refused_audited_and_nothing_of_it_kept(remote: Remote, message: str) -> None:
    changed = b"X" + _chunk(0)[1:]
    response = _put(message, 0, changed, _header(remote, message, 0, _chunk(0)))
    assert response.status_code == 422
    assert response.json()["error"] == "chunk_hash"
    assert ReceivedChunk.objects.count() == 0
    assert _refusals() == [(422, "chunk_hash")]


def test_a_truncated_chunk_is_refused_and_nothing_of_it_kept(remote: Remote, message: str) -> None:
    response = _put(message, 0, _chunk(0)[:-10], _header(remote, message, 0, _chunk(0)))
    assert (response.status_code, response.json()["error"]) == (400, "truncated")
    assert "its signed header says 65536 bytes" in response.json()["detail"]
    assert ReceivedChunk.objects.count() == 0
    assert _refusals() == [(400, "truncated")]


def test_a_chunk_of_another_size_than_its_index_calls_for_is_refused(remote: Remote, message: str) -> None:
    short = _chunk(0)[:100]
    response = _put(message, 0, short, _header(remote, message, 0, short))
    assert (response.status_code, response.json()["error"]) == (422, "chunk_size")


def test_an_index_beyond_the_last_chunk_is_refused(remote: Remote, message: str) -> None:
    response = _put(message, 3, b"x", _header(remote, message, 3, b"x"))
    assert (response.status_code, response.json()["error"]) == (422, "out_of_range")
    assert _refusals() == [(422, "out_of_range")]


def test_a_header_signed_for_another_chunk_is_refused(remote: Remote, message: str) -> None:
    response = _put(message, 1, _chunk(0), _header(remote, message, 0, _chunk(0)))
    assert (response.status_code, response.json()["error"]) == (400, "malformed")


def test_a_chunk_without_a_trusted_signature_is_refused(remote: Remote, message: str) -> None:
    stranger = Remote("stranger.example")
    forged = stranger.sign(canonical({"from": remote.instance_id}), files.CHUNK_TYPE, kid=remote.kid)
    assert _put(message, 0, _chunk(0), forged).status_code == 401
    assert _put(message, 0, _chunk(0), "").status_code == 400
    unknown = _header(stranger, message, 0, _chunk(0))
    assert _put(message, 0, _chunk(0), unknown).json()["error"] == "unknown_peer"
    # One record a minute for the refusals of one address (tests/web/federation/test_throttling.py).
    assert [code for _status, code in _refusals()] == ["signature"]


def test_a_header_sent_long_ago_is_refused(remote: Remote, message: str) -> None:
    response = _send(remote, message, 0, sent_at="2026-11-28T08:00:00+00:00")
    assert (response.status_code, response.json()["error"]) == (400, "clock")


def test_a_file_no_delivered_message_lists_is_refused(remote: Remote, message: str) -> None:
    other = "0" * 64
    response = _put(message, 0, _chunk(0), _header(remote, message, 0, _chunk(0), file=other), sha256=other)
    assert (response.status_code, response.json()["error"]) == (404, "unknown_file")


def test_a_file_larger_than_the_organisations_limit_is_refused(remote: Remote, message: str) -> None:
    hosted = Organisation.objects.get(peer__isnull=True)  # not the sending peer's mirror
    with override_settings(FEDERATION_FILE_MAX_MB=1000, FEDERATION_FILE_MAX_MB_BY_ORGANISATION={str(hosted.pk): 0}):
        response = _send(remote, message, 0)
    assert (response.status_code, response.json()["error"]) == (413, "too_large")
    assert ReceivedFile.objects.count() == 0


def test_chunks_whose_whole_sha256_is_not_the_listed_one_are_refused_and_the_staging_discarded(remote: Remote) -> None:
    hosted = Organisation.objects.create(name="Provider here", kind="provider", country="IE")
    wrong = hashlib.sha256(b"another file").hexdigest()
    content = remote.envelope_content(organisation=str(hosted.pk), files=[{"name": "m", "sha256": wrong, "size": len(CONTENT)}])
    Client().post("/federation/v1/messages", data=remote.envelope(content), content_type="application/jose")
    message = str(content["id"])
    for index in range(3):
        response = _put(message, index, _chunk(index), _header(remote, message, index, _chunk(index), file=wrong), sha256=wrong)
    assert (response.status_code, response.json()["error"]) == (422, "file_hash")
    assert ReceivedFile.objects.count() == 0
    assert ReceivedChunk.objects.count() == 0
    assert _refusals() == [(422, "file_hash")]


def test_the_staging_of_a_file_never_completed_is_swept_after_the_set_days_and_audited_with_counts(
    remote: Remote, message: str
) -> None:
    _send(remote, message, 0)
    _send(remote, message, 1)
    staged = list(ReceivedChunk.objects.values_list("stored_name", flat=True))
    with override_settings(FEDERATION_STAGING_MAX_DAYS=7):
        assert files_inbox.sweep_staging(NOW + timedelta(days=6)) == files_inbox.Swept(0, 0)  # it may still resume
        assert files_inbox.sweep_staging(NOW + timedelta(days=7, seconds=1)) == files_inbox.Swept(1, 2)
    assert not ReceivedFile.objects.exists()
    assert not ReceivedChunk.objects.exists()
    assert not any(storages["exchange"].exists(name) for name in staged)
    swept = AuditEntry.objects.get(details__action="federation_staging_swept")
    assert (swept.details["files"], swept.details["chunks"], swept.details["older_than_days"]) == (1, 2, 7)
    assert swept.details["swept"] == [{"peer": remote.instance_id, "sha256": SHA256, "name": "mail.mbox"}]
    assert _held(remote, message).json()["received"] == []  # the sender starts again from the first chunk


def test_a_complete_file_is_never_swept(remote: Remote, message: str) -> None:
    for index in range(3):
        _send(remote, message, index)
    assert files_inbox.sweep_staging(NOW + timedelta(days=365)) == files_inbox.Swept(0, 0)
    assert b"".join(files_inbox.open_received(ReceivedFile.objects.get())) == CONTENT
    assert not AuditEntry.objects.filter(details__action="federation_staging_swept").exists()
