"""The federation's records in the audit trail (web/audit/chain.py): every peer change, key
rotation, message received, delivered, re-queued or refused. Written in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event

INSTANCE = "cyberspex-instance"  # the actor for what the instance does itself (its commands, its worker)
PEER = "federation"  # the actor for what a peer sent


def record(
    now: datetime,
    event: Event,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
    *,
    actor: str = INSTANCE,
    organisation: str = "",
) -> None:
    append(
        at=now,
        actor=actor,
        organisation=organisation,
        event=event,
        object_type=object_type,
        object_id=object_id[:50],
        details=details,
    )
