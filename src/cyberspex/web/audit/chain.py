"""Hashing, appending and verifying the audit chain, and signed checkpoints of its head."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.audit.personal import Sealer, check_texts

GENESIS = "0" * 64
AUDIT_LOCK = 0x5C1A0D17  # advisory lock key of the audit chain (PostgreSQL)


def canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def entry_hash(previous_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over a leaf prefix, the previous hash and the canonical record (RFC 6962 style)."""
    return hashlib.sha256(b"\x00" + previous_hash.encode("ascii") + canonical(fields)).hexdigest()


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "organisation": entry.organisation,
        "event": entry.event,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "justification": entry.justification,
        "details": entry.details,
    }


def append(
    *,
    at: datetime,
    actor: str,
    organisation: str,
    event: Event,
    object_type: str = "",
    object_id: str = "",
    justification: str = "",
    details: dict[str, Any] | None = None,
    personal_details: dict[str, str] | None = None,
) -> AuditEntry:
    """Append one record. Must run inside the transaction of the change it records.

    The justification and ``personal_details`` (merged into ``details``) are personal text: the
    record hashes a salted commitment to each, and the text is kept apart (personal.py).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit records are written in the transaction of the change they record")
    if at.tzinfo is None:
        raise ValueError("audit times must carry a time zone")
    at = at.astimezone(UTC)  # hashed as the database gives it back
    if connection.vendor == "postgresql":
        # Serialise appenders before reading the head; select_for_update alone lets a waiting
        # transaction reuse the old head's number. SQLite serialises writers already (IMMEDIATE).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK])
    last = AuditEntry.objects.order_by("-seq").first()
    sealer = Sealer()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=at,
        actor=actor,
        organisation=organisation,
        event=event,
        object_type=object_type,
        object_id=str(object_id),
        justification=sealer.seal("justification", justification),
        details={**(details or {}), **{k: sealer.seal(f"details.{k}", v) for k, v in (personal_details or {}).items()}},
        previous_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry_hash(entry.previous_hash, _fields(entry))
    entry.save()
    sealer.store(entry)
    return entry


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify(checkpoint: dict[str, Any] | None = None) -> Verdict:
    """Recompute the chain; name the first record that was edited, removed, inserted or moved.

    With a checkpoint (see :func:`checkpoint`), a chain cut short after it is detected too.
    """
    previous, expected_seq, checked = GENESIS, 1, 0
    head: AuditEntry | None = None
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return Verdict(False, checked, expected_seq, f"record {expected_seq} is missing (next is {entry.seq})")
        if entry.previous_hash != previous:
            return Verdict(
                False, checked, entry.seq, "the link to the previous record is broken (removed, inserted or reordered)"
            )
        if entry_hash(previous, _fields(entry)) != entry.hash:
            return Verdict(False, checked, entry.seq, "the record's content does not match its hash (edited)")
        previous, expected_seq, checked, head = entry.hash, expected_seq + 1, checked + 1, entry
    if bad_text := check_texts():  # personal texts kept apart (personal.py, ADR 0013)
        return Verdict(False, bad_text[0] - 1, *bad_text)
    if checkpoint is not None:
        problem = _against_checkpoint(checkpoint, head)
        if problem:
            return Verdict(False, checked, int(checkpoint["seq"]), problem)
    return Verdict(True, checked)


def _signature(seq: int, head_hash: str) -> str:
    key = settings.AUDIT_CHECKPOINT_KEY
    if not key:
        raise RuntimeError("AUDIT_CHECKPOINT_KEY is not set: checkpoints cannot be signed or checked")
    return hmac.new(key.encode("utf-8"), f"{seq}:{head_hash}".encode("ascii"), hashlib.sha256).hexdigest()


def checkpoint() -> dict[str, Any]:
    """A signed statement of the chain's head, to keep outside the database."""
    head = AuditEntry.objects.order_by("-seq").first()
    seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    return {"seq": seq, "hash": head_hash, "signature": _signature(seq, head_hash)}


def _against_checkpoint(point: dict[str, Any], head: AuditEntry | None) -> str:
    seq, head_hash = int(point["seq"]), str(point["hash"])
    if not hmac.compare_digest(_signature(seq, head_hash), str(point.get("signature", ""))):
        return "the checkpoint's signature is not valid"
    if seq == 0:
        return ""
    if head is None or head.seq < seq:
        return f"the chain ends at record {head.seq if head else 0}, before the checkpoint's record {seq} (truncated)"
    at_seq = AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first()
    return "" if at_seq == head_hash else f"record {seq} differs from the checkpoint"
