"""Curation of the reference data: proposed changes, their four-eyes review, and the versions
their publication makes (cyberspex/web/knowledge/curation.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SourceKind(models.TextChoices):
    """What the source of a curated value is worth (refdata/schema.py ``SourceKind``)."""

    OFFICIAL = "official", _("Official (the depositary's record, an Official Journal, an official gazette)")
    SECONDARY = "secondary", _("Secondary (news, a summary, a third-party copy): the value stays unverified")


class Change(models.Model):
    """A proposed change of one value of one reference-data document (refdata/overlay.py ``Patch``).

    Its source is added to the data as source ``curation-<id>``. Another curator publishes or
    rejects it; its proposer may withdraw it while it is proposed."""

    status = models.CharField(max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED, db_index=True)
    file = models.CharField(max_length=200)  # e.g. states/FR.yaml
    path = models.CharField(max_length=200)  # e.g. cets224.consent
    summary = models.CharField(max_length=300)  # what it changes, in words
    old_value = models.JSONField(null=True, blank=True)  # the value in the data when proposed (null: absent)
    new_value = models.JSONField(null=True, blank=True)  # null: remove the value
    source_url = models.URLField(max_length=500)
    source_title = models.CharField(max_length=300)
    source_kind = models.CharField(max_length=16, choices=SourceKind.choices)
    as_of = models.DateField()  # when the source was consulted
    verified_by = models.CharField(max_length=200)  # who checked the value against the source
    reason = models.TextField()
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="curation_proposals")
    proposed_at = models.DateTimeField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="curation_reviews"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ("-proposed_at", "-pk")

    def __str__(self) -> str:
        return f"change {self.pk}: {self.summary} ({self.status})"

    @property
    def source_id(self) -> str:
        return f"curation-{self.pk}"


class Version(models.Model):
    """A publication: the data version it makes, who published which change, when, and why."""

    number = models.PositiveIntegerField(unique=True)
    change = models.OneToOneField(Change, on_delete=models.PROTECT, related_name="version")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="curation_publications")
    published_at = models.DateTimeField()
    diff = models.TextField()
    reason = models.TextField()
    data_version = models.CharField(max_length=100)  # the data version it made, as then named
    # SHA-256 over the patches of publications 1..number (refdata/overlay.py ``fingerprint``): the
    # data version names it, so a number reused after a restore never serves data cached before.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ("-number",)

    def __str__(self) -> str:
        return f"version {self.number} ({self.data_version})"
