"""The log of signed checkpoints, kept outside the database (``AUDIT_CHECKPOINT_DIR``).

One JSON object per line in ``checkpoints.jsonl``, appended by the worker every
``AUDIT_CHECKPOINT_INTERVAL`` seconds (and by ``cyberspex restore``). The latest checkpoint is
the validly signed one with the latest signing time: a line copied again to the end of the
file (a replay) does not make an old checkpoint the latest, and a line that is not validly
signed is reported and never used.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings

from cyberspex.web.audit.chain import checkpoint, head, signature_valid

LOG_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Log:
    """What the checkpoint log holds: the latest valid checkpoint, and the lines that were refused."""

    latest: dict[str, Any] | None
    refused: list[str] = field(default_factory=list)  # "line N: why"


def log_path(directory: Path | None = None) -> Path:
    return (directory or Path(settings.AUDIT_CHECKPOINT_DIR)) / LOG_NAME


def _well_formed(point: Any) -> bool:
    return (
        isinstance(point, dict)
        and isinstance(point.get("seq"), int)
        and not isinstance(point.get("seq"), bool)
        and point["seq"] >= 0
        and isinstance(point.get("hash"), str)
        and isinstance(point.get("signature"), str)
        and isinstance(point.get("at"), str)
    )


def read(directory: Path | None = None) -> Log:
    """The latest validly signed checkpoint of the log (None when there is no log or no valid line)."""
    path = log_path(directory)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return Log(None)
    latest: dict[str, Any] | None = None
    refused = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            point = json.loads(line)
        except json.JSONDecodeError:
            refused.append(f"line {number}: not JSON")
            continue
        if not _well_formed(point):
            refused.append(f"line {number}: not a checkpoint (seq, hash, at, signature)")
            continue
        if not signature_valid(point):
            refused.append(f"line {number}: the signature is not valid")
            continue
        if latest is None or _time(point) >= _time(latest):
            latest = point
    return Log(latest, refused)


EARLIEST = datetime.min.replace(tzinfo=UTC)


def _time(point: dict[str, Any]) -> datetime:
    """The signing time; a signed time without a zone or unreadable sorts first."""
    try:
        at = datetime.fromisoformat(point["at"])
    except ValueError:
        return EARLIEST
    return at if at.tzinfo is not None else EARLIEST


def record(*, at: datetime, directory: Path | None = None) -> dict[str, Any]:
    """Sign a checkpoint of the current head and append it to the log (flushed to disk)."""
    point = checkpoint(at=at)
    path = log_path(directory)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(point, sort_keys=True) + "\n")
        log.flush()
        os.fsync(log.fileno())
    return point


def record_if_due(*, now: datetime, interval: int, directory: Path | None = None) -> dict[str, Any] | None:
    """The worker's step: a new checkpoint when the head moved and the latest is ``interval`` seconds old."""
    if interval <= 0:
        return None
    latest = read(directory).latest
    if latest is not None:
        if (latest["seq"], latest["hash"]) == head():
            return None  # nothing new to vouch for
        if now - _time(latest) < timedelta(seconds=interval):
            return None
    return record(at=now, directory=directory)
