"""Organisations, the roles people hold in them, failed log-ins, API tokens, enrolment links
and recovery codes."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class Role(models.TextChoices):
    INVESTIGATOR = "investigator", _("Investigator")
    # Regulation (EU) 2023/1543 Art 4 tells these three apart (cyberspex/forms/authority.py).
    JUDGE = "judge", _("Judge, court or investigating judge")
    PROSECUTOR = "prosecutor", _("Public prosecutor")
    OTHER_AUTHORITY = "other_authority", _("Other competent authority (its orders need validation)")
    SUPERVISOR = "supervisor", _("Supervisor")
    CENTRAL_AUTHORITY = "central_authority", _("Central authority officer")
    CONTACT_247 = "contact_247", _("24/7 point of contact")
    NOTIFIED_AUTHORITY = "notified_authority", _("Notified-authority officer (Art 7(5))")
    RESPONDER = "responder", _("Provider or registrar responder")
    CURATOR = "curator", _("Reference-data curator")
    # Training (cyberspex/web/training): only in an exercise organisation, never on real cases.
    TRAINEE = "trainee", _("Trainee")
    TRAINER = "trainer", _("Trainer")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class OrganisationKind(models.TextChoices):
    ISSUING_AUTHORITY = "issuing_authority", _("Issuing authority")
    CENTRAL_AUTHORITY = "central_authority", _("Central authority")
    CONTACT_247 = "contact_247", _("24/7 point of contact")
    PROVIDER = "provider", _("Service provider")
    REGISTRAR = "registrar", _("Registrar")
    NOTIFIED_AUTHORITY = "notified_authority", _("Authority notified under Art 7(5)")
    # Trainees and trainers work here: its members may act only on exercises (accounts/access.py).
    EXERCISE = "exercise", _("Exercise organisation (training)")
    # A project or network secretariat: curates the reference data, takes no part in an exchange.
    SECRETARIAT = "secretariat", _("Secretariat")


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(max_length=2)  # ISO 3166-1 alpha-2
    # What it does in an exchange (cyberspex.web.exchange.models.Function values), listed in the
    # directory: requests are delivered to an organisation by the function the route names.
    functions = models.JSONField(default=list, db_default=[], blank=True)  # db_default: rows made by older code
    # A mirror of an organisation a trusted peer hosts (docs/federation.md): requests are addressed
    # to it as to a local one and travel to the peer; it never has members. Null for our own.
    peer = models.ForeignKey("federation.Peer", on_delete=models.PROTECT, null=True, blank=True, related_name="mirrors")
    remote_id = models.CharField(
        max_length=64, blank=True, db_default=""
    )  # its id at the peer (the envelope's ``organisation``); db_default: rows made by older code

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["peer", "remote_id"], condition=models.Q(peer__isnull=False), name="one_mirror_per_remote"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class Membership(models.Model):
    """A person's single organisation and role: every permission is derived from it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=32, choices=Role.choices)

    def __str__(self) -> str:
        return f"{self.user} — {self.role} at {self.organisation}"


class Preference(models.Model):
    """A person's display preferences: the time zone in which every date and time is shown."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    time_zone = models.CharField(max_length=64)  # an IANA name, e.g. Europe/Brussels


class LoginFailure(models.Model):
    """One failed log-in (or one being checked), kept to lock an account after repeated failures
    and to throttle a client address and the whole service (accounts/throttle.py)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=45, blank=True, db_index=True)  # the client's IP address
    at = models.DateTimeField(db_index=True)


class LoginRefusalCount(models.Model):
    """How many log-ins were refused for one reason in one window: refusals before a password
    check and wrong passwords for unknown names are counted here, and recorded in the audit
    trail as one summary per window, not one record per attempt."""

    window_start = models.DateTimeField()
    reason = models.CharField(max_length=32)
    count = models.PositiveIntegerField(default=1)
    audited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["window_start", "reason"], name="login_refusal_count_unique")]
        indexes = [models.Index(fields=["audited_at", "window_start"], name="login_refusal_pending")]


class ApiToken(models.Model):
    """A token for integrations. Only its SHA-256 is stored; it is shown once, at creation.

    It works until ``expires_at`` (``API_TOKEN_DAYS`` after creation) unless revoked first: by
    its owner, by an administrator of the owner's organisation, by the log-out of the session
    that created it (``session_digest``: the SHA-256 of that session's key) or by the owner's
    deactivation. ``revoked_reason`` says which (``RevokedReason``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    session_digest = models.CharField(max_length=64, blank=True, db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=16, blank=True)


class RevokedReason(models.TextChoices):
    OWNER = "owner", "Revoked by its owner"
    ADMINISTRATOR = "administrator", "Revoked by an administrator"
    LOGOUT = "logout", "The session that created it logged out"
    DEACTIVATION = "deactivation", "Its owner was deactivated"


class CalendarFeed(models.Model):
    """A secret iCalendar URL for a user's deadlines. Only the token's SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)


class EnrolmentLink(models.Model):
    """A one-time link to enrol a first authenticator (TOTP), made by an administrator of the
    user's organisation or by `cyberspex account`. Only its SHA-256 is stored; it expires after
    ENROLMENT_LINK_HOURS and works once: the password alone never adds a second factor."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=150)  # a username, or "cyberspex account" for the command


class RecoveryDevice(Device):  # type: ignore[misc]  # django-otp ships no type hints
    """A user's set of one-time recovery codes, usable instead of a TOTP code (django-otp device).

    The codes are stored as SHA-256 digests: each is random (60 bits), so a slow hash adds
    nothing; each works once (a conditional UPDATE marks it used)."""

    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField()

    def verify_token(self, token: str) -> bool:
        from django.utils import timezone  # noqa: PLC0415  # the model module stays free of the clock at import

        used = self.codes.filter(digest=recovery_digest(token), used_at__isnull=True).update(used_at=timezone.now())
        return bool(used == 1)


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)


def recovery_digest(code: str) -> str:
    """The digest of a recovery code as typed: case, spaces and hyphens do not matter."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode("ascii", "replace")).hexdigest()


class OrganisationProfile(models.Model):
    """How the organisation signs its orders: the issuing authority's name, address and contact,
    pre-filled into every form it drafts (editable by its administrator)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="profile")
    authority_name = models.CharField(max_length=200, blank=True)  # empty: the organisation's name
    address = models.CharField(max_length=300, blank=True)
    contact_person = models.CharField(max_length=200, blank=True)
    email = models.EmailField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)  # E.164, e.g. +33144329000

    def __str__(self) -> str:
        return f"profile of {self.organisation}"
