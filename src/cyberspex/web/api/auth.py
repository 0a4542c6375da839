"""API authentication: bearer tokens, which only an MFA-verified session can create.

A token lives ``API_TOKEN_DAYS`` (30 by default) and dies earlier when it is revoked: by its
owner, by an administrator of the owner's organisation, by the log-out of the session that
created it, or by the owner's deactivation. Every use of an expired or revoked token, or of a
deactivated user's token, answers 401 with the usual error body (docs/configuration.md).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from cyberspex.web.accounts.access import Action, can, membership
from cyberspex.web.accounts.models import ApiToken, RevokedReason
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError, NotFound


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _refusal(found: ApiToken) -> str | None:
    """Why ``found`` no longer works, or None when it does. Reads the clock: web layer only."""
    if found.revoked_at is not None:
        return "revoked"
    if not found.user.is_active:
        return "deactivated"
    if found.expires_at <= timezone.now():
        return "expired"
    return None


REFUSALS = {
    "revoked": "this API token was revoked: create a new one from a logged-in session",
    "deactivated": "the owner of this API token is deactivated",
    "expired": "this API token has expired: create a new one from a logged-in session",
}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = ApiToken.objects.select_related("user").filter(digest=digest(token)).first()
        if found is None:
            return None  # ninja answers 401 "authentication required"
        reason = _refusal(found)
        if reason is not None:
            raise ApplicationError(REFUSALS[reason], status=401, extra={"reason": reason})
        request.user = found.user
        return found.user


class VerifiedSession(SessionAuth):
    """A browser session that passed the second factor (ninja checks its CSRF token)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if isinstance(user, User) and bool(getattr(user, "is_verified", lambda: False)()):
            return user
        return None


def _audit(*, actor: User, token: ApiToken, now: datetime, details: dict[str, Any]) -> None:
    found = membership(token.user)
    append(
        at=now,
        actor=actor.get_username(),
        organisation=found.organisation.name if found else "",
        event=Event.TOKEN,
        object_type="api_token",
        object_id=str(token.pk),
        details={"kind": "api_token", "name": token.name, "owner": token.user.get_username(), **details},
    )


def session_digest(session_key: str | None) -> str:
    """The SHA-256 of a session key: kept on the token instead of the key itself."""
    return digest(session_key) if session_key else ""


@transaction.atomic
def token_create(*, user: User, name: str, verified: bool, now: datetime, session_key: str | None = None) -> str:
    """A new token for ``user``; ``verified`` says the session passed the second factor.

    ``session_key`` is the key of the creating session: its log-out revokes the token."""
    if not verified:
        raise ApplicationError("create API tokens from a session that passed the second factor (TOTP)", status=403)
    if not name.strip():
        raise ApplicationError("give the token a name", field="name", status=422)
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]  # an int for a CharField
        raise ApplicationError("the token name is longer than 100 characters", field="name", status=422)
    token = secrets.token_urlsafe(32)
    made = ApiToken.objects.create(
        user=user,
        name=name,
        digest=digest(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS),
        session_digest=session_digest(session_key),
    )
    _audit(actor=user, token=made, now=now, details={"action": "created", "expires_at": made.expires_at.isoformat()})
    return token


def tokens_visible(*, user: User) -> QuerySet[ApiToken]:
    """The tokens ``user`` may list and revoke: their own; an administrator's, every token of
    the members of their organisation. Newest first."""
    found = membership(user)
    if found is not None and can(user, Action.MANAGE_ACCOUNTS):
        mine = ApiToken.objects.filter(user__membership__organisation_id=found.organisation_id)
    else:
        mine = ApiToken.objects.filter(user=user)
    return mine.select_related("user").order_by("-created_at", "-pk")


def token_state(token: ApiToken, now: datetime) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if token.revoked_at is not None:
        return "revoked"
    return "expired" if token.expires_at <= now else "active"


@transaction.atomic
def token_revoke(*, user: User, token_id: int, now: datetime) -> ApiToken:
    """Revoke one token that ``user`` may see (else NotFound). Revoking it again changes nothing."""
    found = tokens_visible(user=user).select_for_update(of=("self",)).filter(pk=token_id).first()
    if found is None:
        raise NotFound("API token")
    if found.revoked_at is None:
        reason = RevokedReason.OWNER if found.user_id == user.pk else RevokedReason.ADMINISTRATOR
        _revoke(found, actor=user, now=now, reason=reason)
    return found


def _revoke(token: ApiToken, *, actor: User, now: datetime, reason: RevokedReason) -> None:
    token.revoked_at = now
    token.revoked_reason = reason.value
    token.save(update_fields=["revoked_at", "revoked_reason"])
    _audit(actor=actor, token=token, now=now, details={"action": "revoked", "reason": reason.value})


@transaction.atomic
def tokens_revoke_for_session(*, user: User, session_key: str | None, now: datetime) -> int:
    """At log-out: revoke the live tokens this session created. Returns how many."""
    if not session_key:
        return 0
    live = ApiToken.objects.select_for_update().filter(
        user=user, session_digest=session_digest(session_key), revoked_at__isnull=True
    )
    revoked = 0
    for token in live.select_related("user"):
        _revoke(token, actor=user, now=now, reason=RevokedReason.LOGOUT)
        revoked += 1
    return revoked


def tokens_revoke_for_user(*, user: User, actor: User, now: datetime) -> int:
    """On deactivation: revoke every live token of ``user``. Runs inside the caller's transaction."""
    revoked = 0
    for token in ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).select_related("user"):
        _revoke(token, actor=actor, now=now, reason=RevokedReason.DEACTIVATION)
        revoked += 1
    return revoked
