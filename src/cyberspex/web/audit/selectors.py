"""Reading the audit trail: for auditors only, and every search is itself recorded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from cyberspex.web.accounts.access import Action, can, organisation
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.errors import ApplicationError


@transaction.atomic
def audit_search(
    *, user: User, now: datetime, justification: str, actor: str = "", event: str = "", object_type: str = "", object_id: str = ""
) -> QuerySet[AuditEntry]:
    """The records of the auditor's own organisation matching the filters; the search is logged."""
    own = organisation(user)
    if own is None or not can(user, Action.VIEW_AUDIT, own):
        raise ApplicationError("only auditors may read the audit trail", status=403)
    if not justification.strip():
        raise ApplicationError("a justification is required to read the audit trail", field="justification", status=422)
    if event and event not in Event.values:
        raise ApplicationError(f"unknown event {event!r}", field="event", status=422, extra={"accepted": list(Event.values)})
    filters: dict[str, Any] = {"organisation": own.name}
    filters |= {
        k: v for k, v in (("actor", actor), ("event", event), ("object_type", object_type), ("object_id", object_id)) if v
    }
    append(
        at=now,
        actor=user.get_username(),
        organisation=own.name,
        event=Event.VIEW,
        object_type="audit",
        justification=justification,
        details={"filters": {k: v for k, v in filters.items() if k != "organisation"}},
    )
    return AuditEntry.objects.filter(**filters).order_by("seq").prefetch_related("texts")  # personal texts (ADR 0013)
