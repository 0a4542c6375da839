"""Personal text in the audit trail, kept apart from the hashed record so that it can be erased.

The chain must never change, and the personal data in it must be erasable once a case is past
its retention review date (2AP Art 14(5)). So a justification or a note is not hashed as such:
the record holds, where the text would be, a commitment ``sealed:sha256:<hex>``, the SHA-256 of a
domain prefix, 32 random bytes of salt and the text; the text and its salt are kept in an
:class:`~cyberspex.web.audit.models.AuditText` row. Verification checks the chain as before and,
for each text still kept, that it matches its commitment. Erasure deletes the row: the record,
its hash and the chain stay as they were, and without the salt the commitment cannot be used to
guess the text. Records written before this scheme hold their text in the hashed record (ADR 0013).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from cyberspex.web.audit.models import AuditEntry, AuditText, Event

SEALED = "sealed:sha256:"
ERASED = "[erased]"
_DOMAIN = b"cyberspex-audit-text\x00"


def commitment(salt: str, text: str) -> str:
    """The value hashed into the chain in place of ``text``."""
    return SEALED + hashlib.sha256(_DOMAIN + salt.encode("utf-8") + b"\x00" + text.encode("utf-8")).hexdigest()


@dataclass
class Sealer:
    """Seals the personal texts of one record before it is hashed and stores them once it is saved."""

    pending: list[tuple[str, str, str]] = field(default_factory=list)

    def seal(self, place: str, text: str) -> str:
        if not text:
            return text
        salt = secrets.token_hex(32)
        self.pending.append((place, salt, text))
        return commitment(salt, text)

    def store(self, entry: AuditEntry, *, using: str = "default") -> None:
        AuditText.objects.using(using).bulk_create([AuditText(entry=entry, place=p, salt=s, text=t) for p, s, t in self.pending])


def _value_at(entry: AuditEntry, place: str) -> Any:
    if place == "justification":
        return entry.justification
    if place.startswith("details.") and isinstance(entry.details, dict):
        return entry.details.get(place.removeprefix("details."))
    return None


def _sealed_places(entry: AuditEntry) -> list[str]:
    places = ["justification"] + [f"details.{key}" for key in (entry.details if isinstance(entry.details, dict) else {})]
    return [p for p in places if isinstance(value := _value_at(entry, p), str) and value.startswith(SEALED)]


def text_at(entry: AuditEntry, place: str) -> Any:
    """The value at ``place`` as a person reads it: the kept text, ``[erased]`` once it was
    erased, or the value itself where nothing was sealed (including records older than sealing)."""
    value = _value_at(entry, place)
    if not isinstance(value, str) or not value.startswith(SEALED):
        return value
    for kept in entry.texts.all():  # prefetched by the readers of the trail
        if kept.place == place:
            return kept.text
    return ERASED


def readable_details(entry: AuditEntry) -> dict[str, Any]:
    details = entry.details if isinstance(entry.details, dict) else {}
    return {key: text_at(entry, f"details.{key}") for key in details}


def erasure_scope(entries: QuerySet[AuditEntry]) -> set[tuple[str, str]]:
    """The objects whose texts an erasure record allows to be missing: the erased object and
    the objects listed in its ``details.covers`` (e.g. a case's requests)."""
    scope: set[tuple[str, str]] = set()
    for entry in entries.filter(event=Event.ERASE):
        scope.add((entry.object_type, entry.object_id))
        covers = entry.details.get("covers", {}) if isinstance(entry.details, dict) else {}
        for object_type, ids in covers.items() if isinstance(covers, dict) else ():
            scope.update((object_type, str(i)) for i in ids)
    return scope


def check_texts(*, using: str = "default") -> tuple[int, str] | None:
    """The first record whose personal text was edited, or removed without an erasure record."""
    records = AuditEntry.objects.using(using)
    erased = erasure_scope(records.all())
    entries = records.filter(justification__startswith=SEALED) | records.filter(details__icontains=SEALED)
    for entry in entries.order_by("seq").prefetch_related("texts").iterator(chunk_size=2000):
        kept = {t.place: t for t in entry.texts.all()}
        for place in _sealed_places(entry):
            text = kept.get(place)
            if text is None:
                if (entry.object_type, entry.object_id) not in erased:
                    return entry.seq, f"the {place} text of the record was removed without an erasure record"
            elif commitment(text.salt, text.text) != _value_at(entry, place):
                return entry.seq, f"the {place} text kept apart does not match the record's commitment (edited)"
    return None


def erase_texts(*, object_type: str, object_ids: list[str]) -> int:
    """Delete the personal texts of the records about these objects; the records stay."""
    deleted, _ = AuditText.objects.filter(entry__object_type=object_type, entry__object_id__in=object_ids).delete()
    return deleted
