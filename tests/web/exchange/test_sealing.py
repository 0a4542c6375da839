"""Files sealed as a stream of records (exchange/sealing.py): opened record after record, never
held whole; a record changed, moved or removed, or the file cut at a record boundary, does not
open; a file sealed whole (the older format) still opens."""

from __future__ import annotations

import io
import os

import pytest

from cyberspex.web.exchange import sealing

RECORD = 1024
PURPOSE = "produced_file:produced/1/a.sealed"


def _sealed(plain: bytes, purpose: str = PURPOSE) -> bytes:
    sink = io.BytesIO()
    assert sealing.seal_stream(io.BytesIO(plain), sink, purpose=purpose, record_bytes=RECORD) == len(plain)
    return sink.getvalue()


def _opened(blob: bytes, purpose: str = PURPOSE) -> bytes:
    return b"".join(sealing.open_stream(io.BytesIO(blob), purpose=purpose))


HEADER = len(sealing.STREAM_MAGIC) + 8 + 4
SEALED_RECORD = RECORD + 16


@pytest.mark.parametrize("size", [0, 1, RECORD - 1, RECORD, RECORD + 1, 3 * RECORD, 3 * RECORD + 17])
def test_a_file_of_any_size_opens_as_it_was_sealed(size: int) -> None:
    plain = os.urandom(size)
    blob = _sealed(plain)
    assert blob.startswith(sealing.STREAM_MAGIC)
    # Secrecy can only be checked on content long enough not to appear in random bytes by chance
    # (one random byte is in a 40-byte blob one time in seven); 16 bytes never are.
    if size >= 16:
        assert plain[:16] not in blob
        assert plain[-16:] not in blob
    assert _opened(blob) == plain


def test_the_content_comes_back_record_after_record_never_whole() -> None:
    pieces = list(sealing.open_stream(io.BytesIO(_sealed(os.urandom(3 * RECORD + 5))), purpose=PURPOSE))
    assert [len(p) for p in pieces] == [RECORD, RECORD, RECORD, 5]


def test_a_changed_byte_does_not_open() -> None:
    blob = bytearray(_sealed(os.urandom(3 * RECORD)))
    blob[HEADER + SEALED_RECORD + 10] ^= 1
    with pytest.raises(sealing.SealBroken, match="record 1 changed, moved or cut"):
        _opened(bytes(blob))


def test_records_swapped_do_not_open() -> None:
    blob = _sealed(os.urandom(3 * RECORD))
    first, second = blob[HEADER : HEADER + SEALED_RECORD], blob[HEADER + SEALED_RECORD : HEADER + 2 * SEALED_RECORD]
    swapped = blob[:HEADER] + second + first + blob[HEADER + 2 * SEALED_RECORD :]
    with pytest.raises(sealing.SealBroken):
        _opened(swapped)


def test_a_file_cut_at_a_record_boundary_does_not_open() -> None:
    blob = _sealed(os.urandom(3 * RECORD + 5))
    with pytest.raises(sealing.SealBroken, match="record 2"):
        _opened(blob[: HEADER + 3 * SEALED_RECORD])


def test_a_file_sealed_for_another_purpose_does_not_open() -> None:
    with pytest.raises(sealing.SealBroken):
        _opened(_sealed(b"data"), purpose="produced_file:produced/1/b.sealed")


def test_a_file_sealed_whole_in_the_older_format_still_opens() -> None:
    assert _opened(sealing.seal(b"older file", purpose=PURPOSE)) == b"older file"
