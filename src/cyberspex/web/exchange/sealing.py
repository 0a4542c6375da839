"""Encryption at rest for what the exchange keeps: organisations' private signing keys and the
files providers produce. AES-256-GCM (``cryptography``) under ``DATA_KEY``; the purpose of each
blob is bound to it as associated data, so a sealed key cannot be opened as a file or moved to
another record. Files are sealed as a stream of records (``seal_stream``, ``open_stream``), never
held whole."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE_BYTES = 12


class SealBroken(Exception):
    """The blob was changed, or sealed under another key or for another purpose."""


def _key() -> bytes:
    configured: str = settings.DATA_KEY
    if configured:
        return base64.urlsafe_b64decode(configured + "=" * (-len(configured) % 4))
    # No DATA_KEY (a demo or a development instance): a key derived from SECRET_KEY, which
    # `cyberspex serve` keeps in the data directory. Production sets DATA_KEY (docs/configuration.md).
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"cyberspex data key").derive(settings.SECRET_KEY.encode())


def seal(plain: bytes, *, purpose: str) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(_key()).encrypt(nonce, plain, purpose.encode())


def unseal(blob: bytes, *, purpose: str) -> bytes:
    try:
        return AESGCM(_key()).decrypt(bytes(blob[:NONCE_BYTES]), bytes(blob[NONCE_BYTES:]), purpose.encode())
    except InvalidTag:
        raise SealBroken(
            f"the sealed {purpose.split(':', maxsplit=1)[0]} cannot be opened: changed, or sealed under another key"
        ) from None


# -- Files, streamed -----------------------------------------------------------------------------
# A file is sealed in records of STREAM_RECORD_BYTES (the last one shorter, possibly empty), so
# that neither sealing nor opening ever holds more than a record: a header (STREAM_MAGIC, an
# 8-byte random nonce prefix, the record size), then each record's AES-256-GCM ciphertext and
# tag. Record i's nonce is the prefix and i; its associated data binds the purpose, i and
# whether it is the last record, so records cannot be reordered, dropped, or the file cut at a
# record boundary. A blob without the header is the whole-blob format of ``seal`` (older files).
STREAM_MAGIC = b"CSXSEAL\x01"
STREAM_RECORD_BYTES = 1024 * 1024
_TAG_BYTES = 16
_PREFIX_BYTES = 8


class _Reader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...


def _record_aad(purpose: str, index: int, final: bool) -> bytes:
    return purpose.encode() + b"\x00" + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


def _read_full(source: _Reader, size: int) -> bytes:
    """Up to ``size`` bytes: fewer only at the end of ``source``."""
    parts, wanted = [], size
    while wanted:
        part = source.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def seal_stream(source: _Reader, sink: _Writer, *, purpose: str, record_bytes: int = STREAM_RECORD_BYTES) -> int:
    """Seal what ``source`` reads into ``sink``, record after record; returns the plain size."""
    aead, prefix = AESGCM(_key()), secrets.token_bytes(_PREFIX_BYTES)
    sink.write(STREAM_MAGIC + prefix + record_bytes.to_bytes(4, "big"))
    index, total = 0, 0
    record = _read_full(source, record_bytes)
    while True:
        following = _read_full(source, record_bytes) if len(record) == record_bytes else b""
        final = not following
        nonce = prefix + index.to_bytes(4, "big")
        sink.write(aead.encrypt(nonce, record, _record_aad(purpose, index, final)))
        total += len(record)
        if final:
            return total
        record, index = following, index + 1


def open_stream(sealed: _Reader, *, purpose: str) -> Iterator[bytes]:
    """The plain content of a sealed file, record after record (SealBroken when a record was
    changed, moved or removed); a blob in the whole-blob format of ``seal`` is opened whole."""
    head = _read_full(sealed, len(STREAM_MAGIC) + _PREFIX_BYTES + 4)
    if not head.startswith(STREAM_MAGIC):
        yield unseal(head + sealed.read(), purpose=purpose)
        return
    prefix, record_bytes = head[len(STREAM_MAGIC) : -4], int.from_bytes(head[-4:], "big")
    if len(prefix) != _PREFIX_BYTES or not 0 < record_bytes <= 64 * STREAM_RECORD_BYTES:
        raise SealBroken(f"the sealed {purpose.split(':', maxsplit=1)[0]} has a broken header")
    aead, index = AESGCM(_key()), 0
    record = _read_full(sealed, record_bytes + _TAG_BYTES)
    while True:
        following = _read_full(sealed, record_bytes + _TAG_BYTES) if len(record) == record_bytes + _TAG_BYTES else b""
        final = not following
        try:
            yield aead.decrypt(prefix + index.to_bytes(4, "big"), record, _record_aad(purpose, index, final))
        except InvalidTag:
            raise SealBroken(
                f"the sealed {purpose.split(':', maxsplit=1)[0]} cannot be opened: record {index} changed, moved or cut"
            ) from None
        if final:
            return
        record, index = following, index + 1
