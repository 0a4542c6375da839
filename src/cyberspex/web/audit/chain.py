"""Hashing, appending and verifying the audit chain, and signed checkpoints of its head.

Each record is sealed with HMAC-SHA256 under ``AUDIT_CHAIN_KEY``, a key kept outside the
database: someone who can write to the database but does not hold the key cannot append,
rewrite or re-link records without :func:`verify` noticing. Records written before a key was
configured were sealed with plain SHA-256; they stay verifiable as before, and the first keyed
record (the start of the keyed "epoch") binds them: from there on every record must be keyed,
and the last record must be sealed with the current key. Keys can be rotated: retired keys,
listed oldest first in ``AUDIT_CHAIN_RETIRED_KEYS``, still verify the records they sealed.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field

from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.audit.personal import Sealer, check_texts

GENESIS = "0" * 64
AUDIT_LOCK = 0x5C1A0D17  # advisory lock key of the audit chain (PostgreSQL)
LOCK = f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})"  # held until the transaction ends
KEY_MIN_LENGTH = 32  # characters of AUDIT_CHAIN_KEY: e.g. `python -c "import secrets; print(secrets.token_urlsafe(48))"`


class AuditKeyError(RuntimeError):
    """A key needed to seal or check the chain, or to sign or check a checkpoint, is missing or unusable."""


def canonical(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def entry_hash(previous_hash: str, fields: dict[str, Any], key: str | None = None) -> str:
    """The seal of a record over a leaf prefix, the previous hash and the canonical record (RFC 6962 style).

    HMAC-SHA256 under ``key``; plain SHA-256 without one (records before the keyed epoch).
    """
    message = b"\x00" + previous_hash.encode("ascii") + canonical(fields)
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.digest(key.encode("utf-8"), message, "sha256").hex()  # one-shot: the same value as hmac.new(...).hexdigest()


@functools.cache
def key_id(key: str) -> str:
    """A public name of a key, stored with each record it seals (it reveals nothing of the key)."""
    return hmac.new(key.encode("utf-8"), b"cyberspex audit chain key id", hashlib.sha256).hexdigest()[:16]


def chain_keys() -> list[str]:
    """The keys of the chain, oldest first: the retired keys, then ``AUDIT_CHAIN_KEY`` (last). Empty: no key."""
    current = settings.AUDIT_CHAIN_KEY
    retired = list(settings.AUDIT_CHAIN_RETIRED_KEYS)
    if not current:
        if retired:
            raise AuditKeyError("AUDIT_CHAIN_RETIRED_KEYS is set but AUDIT_CHAIN_KEY is not")
        return []
    for name, key in [*(("AUDIT_CHAIN_RETIRED_KEYS", k) for k in retired), ("AUDIT_CHAIN_KEY", current)]:
        if len(key) < KEY_MIN_LENGTH:
            raise AuditKeyError(f"{name}: a key must have at least {KEY_MIN_LENGTH} characters")
    return [*retired, current]


def current_key() -> str | None:
    keys = chain_keys()
    return keys[-1] if keys else None


# The columns a record's seal covers, in the order _sealed() reads them.
SEALED_COLUMNS = ("seq", "at", "actor", "organisation", "event", "object_type", "object_id", "justification", "details")


def _sealed(values: Sequence[Any]) -> dict[str, Any]:
    """What a record's seal covers (``canonical`` of it), from the values of ``SEALED_COLUMNS``."""
    seq, at, actor, organisation, event, object_type, object_id, justification, details = values
    return {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "organisation": organisation,
        "event": event,
        "object_type": object_type,
        "object_id": object_id,
        "justification": justification,
        "details": details,
    }


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return _sealed([getattr(entry, column) for column in SEALED_COLUMNS])


def _head_row(connection: BaseDatabaseWrapper) -> tuple[int, str, str | None] | None:
    """The number, hash and key id of the last record, or None for an empty chain; on PostgreSQL,
    once the chain's lock is held.

    Appenders are serialised before reading the head: ``select_for_update`` alone would let a
    waiting transaction reuse the old head's number. On PostgreSQL the lock and the read go in
    one round trip, as two statements: under READ COMMITTED each statement takes its own
    snapshot, so the read sees the head the previous holder committed. SQLite serialises writers
    already (IMMEDIATE transactions). Plain SQL: on every write, the ORM's query building cost
    more than the query (bench/audit.py).
    """
    read = f"SELECT seq, hash, key_id FROM {connection.ops.quote_name(AuditEntry._meta.db_table)} ORDER BY seq DESC LIMIT 1"  # noqa: S608  # our own table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(read)
        elif connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):  # one statement per call there
            cursor.execute(LOCK)
            cursor.execute(read)
        else:
            cursor.execute(f"{LOCK}; {read}")
            cursor.nextset()
        row = cursor.fetchone()
    return (int(row[0]), str(row[1]), row[2]) if row else None


@functools.cache
def _insert_columns() -> tuple[Field[Any, Any], ...]:
    """The columns a record is written with: every stored field but the automatic primary key."""
    return tuple(f for f in AuditEntry._meta.concrete_fields if not f.primary_key)


def _insert(entry: AuditEntry, connection: BaseDatabaseWrapper) -> None:
    """``INSERT`` one record, its values prepared by its fields as ``Model.save`` prepares them;
    the record is then the saved instance (its ``pk`` set). AuditEntry has no save signals."""
    fields = _insert_columns()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    returning = connection.features.can_return_columns_from_insert
    sql = f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608  # our own names
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(f"{sql} RETURNING {quote(AuditEntry._meta.pk.column)}", values)
            entry.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql, values)
            entry.pk = cursor.lastrowid
    entry._state.adding = False
    entry._state.db = connection.alias


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
    using: str | None = None,
) -> AuditEntry:
    """Append one record, sealed with the current key. Must run inside the transaction of the change it records.

    The justification and ``personal_details`` (merged into ``details``) are personal text: the
    record hashes a salted commitment to each, and the text is kept apart (personal.py).
    """
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        raise RuntimeError("audit records are written in the transaction of the change they record")
    if at.tzinfo is None:
        raise ValueError("audit times must carry a time zone")
    at = at.astimezone(UTC)  # hashed as the database gives it back
    key = current_key()
    # Only what the new record needs of the head (its number, its hash and its key), under the chain's lock.
    last_seq, last_hash, last_key_id = _head_row(connection) or (0, GENESIS, None)
    sealed_with = key_id(key) if key else None
    if last_key_id and sealed_with is None:
        raise AuditKeyError(
            f"the audit chain is sealed with a key (record {last_seq}: key id {last_key_id}) and AUDIT_CHAIN_KEY is not set"
        )
    if last_key_id and last_key_id != sealed_with and last_key_id not in {key_id(k) for k in chain_keys()}:
        raise AuditKeyError(
            f"the audit chain is sealed with key id {last_key_id} (record {last_seq}), which is neither AUDIT_CHAIN_KEY "
            "nor listed in AUDIT_CHAIN_RETIRED_KEYS"
        )
    sealer = Sealer()
    entry = AuditEntry(
        seq=last_seq + 1,
        at=at,
        actor=actor,
        organisation=organisation,
        event=event,
        object_type=object_type,
        object_id=str(object_id),
        justification=sealer.seal("justification", justification),
        details={**(details or {}), **{k: sealer.seal(f"details.{k}", v) for k, v in (personal_details or {}).items()}},
        previous_hash=last_hash,
        key_id=sealed_with,
    )
    entry.hash = entry_hash(entry.previous_hash, _fields(entry), key)
    _insert(entry, connection)
    sealer.store(entry, using=connection.alias)
    return entry


def seal(*, at: datetime, actor: str = "cyberspex-system") -> AuditEntry | None:
    """Start a keyed epoch: when the head is not sealed with the current key, append a record that is.

    Run when a process starts with a key (``serve``, ``worker``, ``audit seal``), so that a chain
    written without the key, or with a retired one, is bound by the current key at once.
    """
    key = current_key()
    if key is None:
        return None
    with transaction.atomic():
        last = _head_row(transaction.get_connection())  # under the same lock as append(): one epoch record, not two
        if last is None or last[2] == key_id(key):
            return None
        last_seq, _, last_key_id = last
        return append(
            at=at,
            actor=actor,
            organisation="",
            event=Event.CHAIN_KEYED,
            object_type="audit",
            details={"previous_key_id": last_key_id, "key_id": key_id(key), "after_record": last_seq},
        )


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify(checkpoint: dict[str, Any] | None = None, *, using: str = "default") -> Verdict:  # noqa: PLR0911  # one return per kind of break
    """Recompute the chain; name the first record that was edited, removed, inserted, moved or not sealed.

    With a checkpoint (see :func:`checkpoint`), a chain cut short after it is detected too.
    Raises :class:`AuditKeyError` when keyed records exist and no key is configured.
    """
    keys = chain_keys()
    ring = {key_id(key): (rank, key) for rank, key in enumerate(keys)}  # rank: position, oldest first
    previous, expected_seq, checked, rank = GENESIS, 1, 0, -1  # rank -1: the unkeyed prefix
    last: tuple[int, str | None] | None = None  # the number and key id of the last record checked
    # Plain rows, not model instances: the walk reads every record once, and building a model per
    # record cost more than the hashing (bench/audit.py).
    rows = (
        AuditEntry.objects.using(using)
        .order_by("seq")
        .values_list(*SEALED_COLUMNS, "previous_hash", "hash", "key_id")
        .iterator(chunk_size=2000)
    )
    for row in rows:
        seq, previous_hash, sealed_hash, sealed_with = row[0], row[-3], row[-2], row[-1]
        if seq != expected_seq:
            return Verdict(False, checked, expected_seq, f"record {expected_seq} is missing (next is {seq})")
        if previous_hash != previous:
            return Verdict(False, checked, seq, "the link to the previous record is broken (removed, inserted or reordered)")
        key = None
        if sealed_with:
            if not ring:
                raise AuditKeyError(
                    f"records from {seq} on are sealed with a key (key id {sealed_with}): "
                    "set AUDIT_CHAIN_KEY (and AUDIT_CHAIN_RETIRED_KEYS) to verify them"
                )
            if sealed_with not in ring:
                return Verdict(
                    False,
                    checked,
                    seq,
                    f"the record is sealed with an unknown key (key id {sealed_with}); "
                    "a retired key must be listed in AUDIT_CHAIN_RETIRED_KEYS",
                )
            entry_rank, key = ring[sealed_with]
            if entry_rank < rank:
                return Verdict(False, checked, seq, "the record is sealed with a retired key after a newer key")
            rank = entry_rank
        elif rank >= 0:
            return Verdict(False, checked, seq, "the record is not sealed with a key although earlier records are")
        if entry_hash(previous, _sealed(row[:-3]), key) != sealed_hash:
            return Verdict(False, checked, seq, "the record's content does not match its hash (edited)")
        previous, expected_seq, checked, last = sealed_hash, expected_seq + 1, checked + 1, (seq, sealed_with)
    return _after_the_walk(last, checked, keys=keys, checkpoint=checkpoint, using=using)


def _after_the_walk(
    last: tuple[int, str | None] | None, checked: int, *, keys: list[str], checkpoint: dict[str, Any] | None, using: str
) -> Verdict:
    """What the record-by-record walk cannot see: the head's key, the texts kept apart, a checkpoint.
    ``last``: the number and key id of the last record walked, None for an empty chain."""
    if last is not None and keys and last[1] != key_id(keys[-1]):
        # A key is configured, so the process that configured it sealed the head (seal()); a head
        # without the current key was appended or rewritten by someone who does not hold it.
        return Verdict(
            False,
            checked,
            last[0],
            "the last record is not sealed with the current AUDIT_CHAIN_KEY (appended or rewritten without it; "
            "if the key was only just configured, run `cyberspex audit seal`)",
        )
    if bad_text := check_texts(using=using):  # personal texts kept apart (personal.py, ADR 0013)
        return Verdict(False, bad_text[0] - 1, *bad_text)
    if checkpoint is not None:
        problem = _against_checkpoint(checkpoint, last, using)
        if problem:
            return Verdict(False, checked, int(checkpoint["seq"]), problem)
    return Verdict(True, checked)


def head(*, using: str = "default") -> tuple[int, str]:
    """The number and hash of the last record: ``(0, GENESIS)`` for an empty chain."""
    last = AuditEntry.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    return last if last else (0, GENESIS)


def _message(point: dict[str, Any]) -> bytes:
    """What a checkpoint's signature covers: the head, and the time of signing when the checkpoint has one."""
    at = point.get("at")
    return f"{int(point['seq'])}:{point['hash']}".encode("ascii") + (f":{at}".encode("ascii") if at else b"")


def _signature(point: dict[str, Any]) -> str:
    key = settings.AUDIT_CHECKPOINT_KEY
    if not key:
        raise AuditKeyError("AUDIT_CHECKPOINT_KEY is not set: checkpoints cannot be signed or checked")
    return hmac.new(key.encode("utf-8"), _message(point), hashlib.sha256).hexdigest()


def checkpoint(*, at: datetime | None = None, using: str = "default") -> dict[str, Any]:
    """A signed statement of the chain's head (and of the time ``at``), to keep outside the database."""
    seq, head_hash = head(using=using)
    point: dict[str, Any] = {"seq": seq, "hash": head_hash}
    if at is not None:
        point["at"] = at.astimezone(UTC).isoformat()
    return {**point, "signature": _signature(point)}


def signature_valid(point: dict[str, Any]) -> bool:
    return hmac.compare_digest(_signature(point), str(point.get("signature", "")))


def _against_checkpoint(point: dict[str, Any], last: tuple[int, str | None] | None, using: str) -> str:
    seq, head_hash = int(point["seq"]), str(point["hash"])
    if not signature_valid(point):
        return "the checkpoint's signature is not valid"
    if seq == 0:
        return ""
    if last is None or last[0] < seq:
        return f"the chain ends at record {last[0] if last else 0}, before the checkpoint's record {seq} (truncated)"
    at_seq = AuditEntry.objects.using(using).filter(seq=seq).values_list("hash", flat=True).first()
    return "" if at_seq == head_hash else f"record {seq} differs from the checkpoint"
