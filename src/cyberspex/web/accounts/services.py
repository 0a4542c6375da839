"""Log-in with lockout, the TOTP second factor, and secret calendar links.

Each function that changes something runs in one transaction and writes its audit record
inside it. A refused attempt is recorded and committed *before* the error is raised, so a
failure is never rolled back by its own error. Log-in attempts are throttled in
accounts/throttle.py, and passwords are hashed outside any transaction.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts import throttle
from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.accounts.models import CalendarFeed, EnrolmentLink
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError, NotFound


def _audit(*, actor: str, user: User | None, now: datetime, event: Event, details: dict[str, Any]) -> None:
    found = membership(user) if user is not None else None
    append(
        at=now,
        actor=actor[:150],
        organisation=found.organisation.name if found else "",
        event=event,
        object_type="user" if user is not None else "",
        object_id=str(user.pk) if user is not None else "",
        details=details,
    )


# -- log-in -----------------------------------------------------------------------------


def login_locked(*, username: str, now: datetime) -> bool:
    """Whether ``username`` has had LOCKOUT_ATTEMPTS failures within LOCKOUT_MINUTES (CJIS AC-7).

    Counted per name typed, whether or not such a user exists, so the lock reveals nothing."""
    return throttle.locks_now(username=username, now=now)


def _refusal_message(refusal: throttle.Refusal) -> str:
    if refusal is throttle.Refusal.ADDRESS:
        return _("Too many failed log-ins from your network: wait a minute, then try again.")
    if refusal is throttle.Refusal.SERVICE:
        return _("The service is receiving too many failed log-ins: wait a minute, then try again.")
    return _("Too many failed log-ins: this account is locked for %(minutes)d minutes. Try again later.") % {
        "minutes": settings.LOCKOUT_MINUTES
    }


def login_attempt(*, username: str, password: str, now: datetime, address: str = "") -> User:
    """The user whose password this is, or ApplicationError (throttling: accounts/throttle.py).

    An unknown user and a wrong password get the same message and status; while the name is
    locked, or the client address or the service is throttled, the password is not even
    checked. The password is hashed outside any transaction."""
    refusal = throttle.reserve(username=username, address=address, now=now)
    if refusal is not None:
        raise ApplicationError(_refusal_message(refusal), status=429)
    user = authenticate(None, username=username, password=password)
    if isinstance(user, User):
        with transaction.atomic():
            throttle.succeeded(username=username)
            _audit(actor=username, user=user, now=now, event=Event.LOGIN, details={"step": "password"})
        throttle.summarise(now=now)
        return user
    if User.objects.filter(username=username).exists():
        details: dict[str, Any] = {"step": "password"}
        if throttle.locks_now(username=username, now=now):
            details["locked_for_minutes"] = settings.LOCKOUT_MINUTES
        with transaction.atomic():
            _audit(actor=username, user=None, now=now, event=Event.LOGIN_FAILED, details=details)
    else:
        throttle.count_refusal(throttle.Refusal.UNKNOWN_ACCOUNT, now=now)
    raise ApplicationError(_("The username or the password is not correct."), status=400)


# -- second factor (TOTP) ---------------------------------------------------------------


def totp_confirmed(*, user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


ENROLMENT_LINK_NEEDED = gettext_lazy(
    "To set up your authenticator, open the enrolment link your administrator gave you, then log in."
)


def _enrolment_link(*, user: User, link_digest: str, now: datetime, lock: bool = False) -> EnrolmentLink:
    """The user's live one-time enrolment link with this digest, or ApplicationError (403)."""
    links = EnrolmentLink.objects.select_for_update() if lock else EnrolmentLink.objects.all()
    found = links.filter(user=user, digest=link_digest, used_at__isnull=True, expires_at__gt=now).first() if link_digest else None
    if found is None:
        raise ApplicationError(str(ENROLMENT_LINK_NEEDED), status=403)
    return found


@transaction.atomic
def totp_enrolment_device(*, user: User, link_digest: str, now: datetime) -> Any:
    """The unconfirmed TOTP device whose secret the enrolment page shows, made on the first visit.

    Needs a live one-time enrolment link (``link_digest``) of this user: a password alone must
    never add a device. Refused once the user has a confirmed device."""
    if totp_confirmed(user=user):
        raise ApplicationError(_("You already have an authenticator; ask an administrator to replace it."), status=409)
    _enrolment_link(user=user, link_digest=link_digest, now=now)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def _check_code(device: Any, code: str) -> ApplicationError | None:
    """None when ``code`` is accepted. django_otp refuses a code at or before ``last_t``, so a
    code works once only; the caller holds the device's row lock, so two requests cannot race."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return ApplicationError(_("Too many wrong codes: wait a few seconds, then enter a new code."), field="code", status=429)
    if not device.verify_token(code):
        return ApplicationError(
            _("This code is not valid. Enter the code your authenticator shows now; each code works only once."),
            field="code",
            status=400,
        )
    return None


def totp_confirm(*, user: User, code: str, now: datetime, link_digest: str) -> Any:
    """Confirm the enrolment with a first code; return the device, now confirmed. The
    enrolment link is used up in the same transaction."""
    with transaction.atomic():
        link = _enrolment_link(user=user, link_digest=link_digest, now=now, lock=True)
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            raise ApplicationError(_("No enrolment is waiting for confirmation: start again."), status=409)
        error = _check_code(device, code)
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            link.used_at = now
            link.save(update_fields=["used_at"])
            details = {"step": "totp_enrolment", "device": device.pk, "enrolment_link": link.pk}
            _audit(actor=user.get_username(), user=user, now=now, event=Event.LOGIN, details=details)
            return device
        details = {"step": "totp_enrolment", "device": device.pk}
        _audit(actor=user.get_username(), user=user, now=now, event=Event.LOGIN_FAILED, details=details)
    raise error


def totp_verify(*, user: User, code: str, now: datetime) -> Any:
    """Check a code against the user's (first) confirmed device; return the device."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise ApplicationError(_("You have no authenticator yet: enrol one first."), status=409)
        error = _check_code(device, code)
        details = {"step": "totp", "device": device.pk}
        if error is None:
            _audit(actor=user.get_username(), user=user, now=now, event=Event.LOGIN, details=details)
            return device
        _audit(actor=user.get_username(), user=user, now=now, event=Event.LOGIN_FAILED, details=details)
    raise error


def totp_secret_text(device: Any) -> str:
    """The secret in Base32, in groups of four, for typing into an authenticator by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: Any, *, title: str) -> str:
    """The ``otpauth://`` URI as an inline SVG QR code: made here, nothing is fetched."""
    qr = segno.make(device.config_url, error="m")
    return str(qr.svg_inline(scale=5, title=title, dark="#000", light="#fff", border=4))


# -- calendar links ---------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User, now: datetime) -> str:
    """A new secret calendar token; only its SHA-256 is kept, so it is shown once."""
    if not can(user, Action.VIEW_CASE):
        raise ApplicationError(_("Your role has no deadlines to follow."), status=403)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, digest=_digest(token), created_at=now)
    details = {"kind": "calendar_feed", "action": "created", "feed": feed.pk}
    _audit(actor=user.get_username(), user=user, now=now, event=Event.TOKEN, details=details)
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User, feed_id: int, now: datetime) -> None:
    feed = CalendarFeed.objects.select_for_update().filter(pk=feed_id, user=user, revoked_at__isnull=True).first()
    if feed is None:
        raise NotFound("calendar link")
    feed.revoked_at = now
    feed.save(update_fields=["revoked_at"])
    details = {"kind": "calendar_feed", "action": "revoked", "feed": feed.pk}
    _audit(actor=user.get_username(), user=user, now=now, event=Event.TOKEN, details=details)


def calendar_feed_user(*, token: str) -> User:
    """The owner of a live calendar token; NotFound for a revoked, unknown or inactive one."""
    feed = CalendarFeed.objects.select_related("user").filter(digest=_digest(token), revoked_at__isnull=True).first()
    if feed is None or not feed.user.is_active:
        raise NotFound("calendar")
    return feed.user
