"""Log-in throttling: per account (the lockout), per client address and for the whole service.

Every attempt first *reserves* a slot in a short transaction of its own: while the name is
locked, or the client address or the whole service has used up its attempts, the attempt is
refused without checking the password. Otherwise a ``LoginFailure`` row is written and
committed at once, and the password is hashed outside any transaction (Argon2 takes a
noticeable fraction of a second: holding a write transaction meanwhile stalled every other
write). A right password then removes the account's failures; a wrong one leaves the row as
the failure it is. Reservations are serialised (an advisory lock on PostgreSQL; SQLite's
IMMEDIATE transactions serialise writers already), so parallel attempts cannot check more
passwords than the limits allow.

Refusals before a password check, and wrong passwords for names that are no account, are not
audited one by one (a spray would otherwise write one audit record per request): they are
counted per window and recorded as one summary per window (``summarise``).
"""

from __future__ import annotations

import enum
import ipaddress
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from cyberspex.web.accounts.models import LoginFailure, LoginRefusalCount
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event

LOGIN_LOCK = 0x5C1A0D18  # advisory lock key of log-in reservations (PostgreSQL)


class Refusal(enum.StrEnum):
    """Why an attempt was refused before its password was checked (or, last, why it failed)."""

    ACCOUNT_LOCKED = "account_locked"
    ADDRESS = "address_throttled"
    SERVICE = "service_throttled"
    UNKNOWN_ACCOUNT = "unknown_account"  # a wrong password for a name that is no account


def client_address(request: HttpRequest) -> str:
    """The client's IP address: ``REMOTE_ADDR``, unless that is one of ``TRUSTED_PROXIES``; then
    the right-most address of ``X-Forwarded-For`` that is not a trusted proxy (the left part of
    the header is whatever the client sent, so it is never believed)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop if _is_address(hop) else remote
    return remote


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _serialise() -> None:
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOGIN_LOCK])


def _refusal(*, username: str, address: str, now: datetime) -> Refusal | None:
    """Why an attempt would be refused now, or None (reads only)."""
    account_since = now - timedelta(minutes=settings.LOCKOUT_MINUTES)
    throttle_since = now - timedelta(seconds=settings.LOGIN_THROTTLE_SECONDS)
    if LoginFailure.objects.filter(username=username, at__gt=account_since).count() >= settings.LOCKOUT_ATTEMPTS:
        return Refusal.ACCOUNT_LOCKED
    if address and LoginFailure.objects.filter(address=address, at__gt=throttle_since).count() >= settings.LOGIN_ADDRESS_ATTEMPTS:
        return Refusal.ADDRESS
    if LoginFailure.objects.filter(at__gt=throttle_since).count() >= settings.LOGIN_SERVICE_ATTEMPTS:
        return Refusal.SERVICE
    return None


def reserve(*, username: str, address: str, now: datetime) -> Refusal | None:
    """Reserve one password check for ``username`` from ``address``, or say why not.

    A refusal is found by reading alone, so a flood of refused attempts takes no write lock
    but the one statement that counts it. Otherwise the check is repeated and the slot taken in
    one short, serialised transaction: call this outside any other transaction."""
    refusal = _refusal(username=username, address=address, now=now)
    if refusal is None:
        with transaction.atomic():
            _serialise()
            refusal = _refusal(username=username, address=address, now=now)
            if refusal is None:
                oldest = now - max(
                    timedelta(minutes=settings.LOCKOUT_MINUTES), timedelta(seconds=settings.LOGIN_THROTTLE_SECONDS)
                )
                LoginFailure.objects.filter(at__lte=oldest).delete()  # expired
                LoginFailure.objects.create(username=username, address=address[:45], at=now)
                return None
    count_refusal(refusal, now=now)
    return refusal


def succeeded(*, username: str) -> None:
    """The password was right: the account's failures (the reservation included) are cleared."""
    LoginFailure.objects.filter(username=username).delete()


def locks_now(*, username: str, now: datetime) -> bool:
    """Whether this failure was the one that locked ``username``."""
    since = now - timedelta(minutes=settings.LOCKOUT_MINUTES)
    return LoginFailure.objects.filter(username=username, at__gt=since).count() >= settings.LOCKOUT_ATTEMPTS


# -- counted, not audited one by one ----------------------------------------------------


def _window(now: datetime) -> datetime:
    length = settings.LOGIN_SUMMARY_MINUTES * 60
    stamp = int(now.timestamp())
    return datetime.fromtimestamp(stamp - stamp % length, tz=UTC)


def count_refusal(reason: Refusal, *, now: datetime) -> None:
    """Count one refusal in the current window (one UPDATE); the first one of a window also
    records the summaries of the windows that have ended."""
    window = _window(now)
    if LoginRefusalCount.objects.filter(window_start=window, reason=reason.value).update(count=F("count") + 1):
        return
    with transaction.atomic():
        row, created = LoginRefusalCount.objects.get_or_create(window_start=window, reason=reason.value)
        if not created:  # another attempt created it meanwhile
            LoginRefusalCount.objects.filter(pk=row.pk).update(count=F("count") + 1)
        summarise(now=now)


def summarise(*, now: datetime) -> int:
    """Record one audit record per ended window that has uncounted refusals; return how many."""
    current = _window(now)
    length = timedelta(minutes=settings.LOGIN_SUMMARY_MINUTES)
    recorded = 0
    if not LoginRefusalCount.objects.filter(window_start__lt=current, audited_at__isnull=True).exists():
        return 0  # read first: most calls find nothing, and take no write lock
    with transaction.atomic():
        pending = LoginRefusalCount.objects.select_for_update().filter(window_start__lt=current, audited_at__isnull=True)
        windows: dict[datetime, dict[str, int]] = {}
        rows = list(pending.order_by("window_start", "reason"))
        for row in rows:
            windows.setdefault(row.window_start, {})[row.reason] = row.count
        for start, counts in windows.items():
            append(
                at=now,
                actor="",
                organisation="",
                event=Event.LOGIN_FAILED,
                details={
                    "step": "password",
                    "summary": True,
                    "from": start.isoformat(),
                    "to": (start + length).isoformat(),
                    "counts": counts,
                },
            )
            recorded += 1
        LoginRefusalCount.objects.filter(pk__in=[row.pk for row in rows]).update(audited_at=now)
    return recorded
