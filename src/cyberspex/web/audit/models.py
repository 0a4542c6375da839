"""The append-only, hash-chained audit trail (2AP Art 14(8); LED Art 25)."""

from __future__ import annotations

from django.db import models


class Event(models.TextChoices):
    VIEW = "view", "Consultation of personal data"
    CREATE = "create", "Creation"
    CHANGE = "change", "Alteration"
    TRANSITION = "transition", "Change of state"
    APPROVE = "approve", "Approval"
    DISCLOSE = "disclose", "Disclosure (transmission to a recipient)"
    EXPORT = "export", "Export"
    ERASE = "erase", "Erasure or anonymisation"
    LOGIN = "login", "Log-in"
    LOGIN_FAILED = "login_failed", "Failed log-in"
    TOKEN = "token", "API token created or revoked"
    CHAIN_KEYED = "chain_keyed", "Audit chain sealed with a new key"
    RESTORE = "restore", "Database restored from a backup"


class AuditEntry(models.Model):
    """One record. Never updated or deleted: database triggers refuse it (migration 0002)."""

    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    organisation = models.CharField(max_length=200, blank=True)
    event = models.CharField(max_length=16, choices=Event.choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=50, blank=True)
    # Since migration 0004 the personal text of a justification is kept in AuditText and this
    # field holds its salted commitment (see personal.py and ADR 0013); older records hold the text.
    justification = models.TextField(blank=True)
    details = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # The key that seals the record (HMAC-SHA256), by its public identifier; NULL for records
    # sealed without a key (plain SHA-256, before the chain's first keyed record). Nullable so
    # that the column is added without rewriting the append-only table.
    key_id = models.CharField(max_length=16, null=True, blank=True)

    class Meta:
        ordering = ("seq",)
        # An auditor reads their own organisation's records in order (audit/selectors.py).
        indexes = [models.Index(fields=["organisation", "seq"], name="audit_organisation_seq")]

    @property
    def justification_text(self) -> str:
        """The justification as a person reads it: the text, or ``[erased]`` once retention erased it."""
        from cyberspex.web.audit.personal import text_at  # noqa: PLC0415  # personal.py imports this module

        return str(text_at(self, "justification"))


class AuditText(models.Model):
    """Personal text of an audit record (a justification, a note), kept outside the hashed record.

    The record holds, where the text would be, a salted commitment to it (SHA-256 over a random
    salt and the text). Deleting this row erases the text and its salt: the chain still verifies,
    and the commitment left behind reveals nothing (ADR 0013).
    """

    # Records are never deleted (triggers), so there is nothing to cascade, and no database
    # constraint: what proves the records is the chain, and each text its record's commitment.
    entry = models.ForeignKey(AuditEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="texts")
    place = models.CharField(max_length=100)  # "justification", or "details.<key>"
    salt = models.CharField(max_length=64)  # 32 random bytes, hex
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "place"], name="audit_text_one_per_place")]
