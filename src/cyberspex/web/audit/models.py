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
