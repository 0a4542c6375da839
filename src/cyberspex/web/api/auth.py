"""API authentication: bearer tokens, which only an MFA-verified session can create."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from ninja.security import HttpBearer

from cyberspex.web.accounts.access import membership
from cyberspex.web.accounts.models import ApiToken
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = ApiToken.objects.select_related("user").filter(digest=digest(token), revoked_at__isnull=True).first()
        if found is None or not found.user.is_active:
            return None
        request.user = found.user
        return found.user


@transaction.atomic
def token_create(*, user: User, name: str, verified: bool, now: datetime) -> str:
    """A new token for ``user``; ``verified`` says the session passed the second factor."""
    if not verified:
        raise ApplicationError("create API tokens from a session that passed the second factor (TOTP)", status=403)
    if not name.strip():
        raise ApplicationError("give the token a name", field="name", status=422)
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, digest=digest(token), created_at=now)
    found = membership(user)
    append(
        at=now,
        actor=user.get_username(),
        organisation=found.organisation.name if found else "",
        event=Event.TOKEN,
        details={"name": name},
    )
    return token
