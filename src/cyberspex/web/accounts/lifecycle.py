"""The life cycle of an account: creation by an administrator, one-time enrolment links for the
first authenticator, recovery codes, password change, reset of the second factor, change of
role and deactivation.

"Administrator" is a member with the role ``administrator`` (Action.MANAGE_ACCOUNTS); they
manage the members of their own organisation only, and never their own role or activity (so
an organisation cannot lose its last administrator by a slip). Members of another
organisation do not exist for them (NotFound). Each change runs in one transaction with its
audit record (event ``change`` or ``create``, object ``user``, ``details.action`` naming it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.access import Action, can, membership, role_fits
from cyberspex.web.accounts.models import (
    EnrolmentLink,
    LoginFailure,
    Membership,
    Organisation,
    RecoveryCode,
    RecoveryDevice,
    Role,
    recovery_digest,
)
from cyberspex.web.accounts.services import login_locked
from cyberspex.web.api.auth import digest, tokens_revoke_for_user
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError, NotFound

COMMAND_ACTOR = "cyberspex account"  # the actor recorded for the command line
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, none easily confused: 5 bits each
RECOVERY_LENGTH = 12  # 60 bits


def _audit(*, actor: str, subject: User, now: datetime, event: Event, details: dict[str, Any]) -> None:
    found = membership(subject)
    append(
        at=now,
        actor=actor[:150],
        organisation=found.organisation.name if found else "",
        event=event,
        object_type="user",
        object_id=str(subject.pk),
        details={"user": subject.get_username(), **details},
    )


def _password_problems(password: str, user: User | None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [str(message) for message in error.messages]
    return []


# -- administrators ---------------------------------------------------------------------


def _managed(actor: User, user_id: int, *, lock: bool = False) -> User:
    """A member of ``actor``'s organisation that ``actor`` administers (not themselves)."""
    own = membership(actor)
    if own is None or not can(actor, Action.MANAGE_ACCOUNTS):
        raise ApplicationError(_("Only an administrator of your organisation can do this."), status=403)
    users = User.objects.select_for_update() if lock else User.objects.all()
    found = users.filter(pk=user_id, membership__organisation_id=own.organisation_id).first()
    if found is None:
        raise NotFound("user")
    if found.pk == actor.pk:
        raise ApplicationError(_("Ask another administrator to change your own account."), status=409)
    return found


def members(*, actor: User) -> list[Membership]:
    """The members of the administrator's organisation, by username."""
    own = membership(actor)
    if own is None or not can(actor, Action.MANAGE_ACCOUNTS):
        raise ApplicationError(_("Only an administrator of your organisation can do this."), status=403)
    return list(Membership.objects.filter(organisation_id=own.organisation_id).select_related("user").order_by("user__username"))


def _new_link(*, user: User, created_by: str, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)  # one live link at a time
    EnrolmentLink.objects.create(
        user=user,
        digest=digest(token),
        created_at=now,
        expires_at=now + timedelta(hours=settings.ENROLMENT_LINK_HOURS),
        created_by=created_by[:150],
    )
    return token


def enrolment_url(token: str) -> str:
    return f"{settings.SITE_ROOT.rstrip('/')}/accounts/enrol/{token}/"


@dataclass(frozen=True)
class Created:
    user: User
    enrolment_token: str  # shown once to the administrator, who passes the link on


def user_create(*, actor: User, username: str, email: str, role: str, password: str, now: datetime) -> Created:
    """A new member of the administrator's organisation, with a one-time enrolment link."""
    own = membership(actor)
    if own is None or not can(actor, Action.MANAGE_ACCOUNTS):
        raise ApplicationError(_("Only an administrator of your organisation can do this."), status=403)
    if role not in Role.values:
        raise ApplicationError(_("Choose one of the roles."), field="role", status=422)
    if not role_fits(role, own.organisation):
        raise ApplicationError(_("Trainee and trainer are roles of an exercise organisation only."), field="role", status=422)
    problems = _password_problems(password, User(username=username, email=email))
    if problems:
        raise ApplicationError(" ".join(problems), field="password", status=422)
    hashed = make_password(password)  # slow on purpose: outside the write transaction
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ApplicationError(_("This username is taken."), field="username", status=409)
        user = User.objects.create(username=username, email=email, password=hashed)
        Membership.objects.create(user=user, organisation_id=own.organisation_id, role=role)
        token = _new_link(user=user, created_by=actor.get_username(), now=now)
        _audit(
            actor=actor.get_username(),
            subject=user,
            now=now,
            event=Event.CREATE,
            details={"action": "user_created", "role": role},
        )
    return Created(user, token)


@transaction.atomic
def enrolment_link_create(*, actor: User, user_id: int, now: datetime) -> str:
    """A new one-time enrolment link for a member who has no authenticator (yet, or any more)."""
    user = _managed(actor, user_id, lock=True)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ApplicationError(_("This person has an authenticator: reset it first."), status=409)
    token = _new_link(user=user, created_by=actor.get_username(), now=now)
    _audit(actor=actor.get_username(), subject=user, now=now, event=Event.CHANGE, details={"action": "enrolment_link_created"})
    return token


@transaction.atomic
def totp_reset(*, actor: User, user_id: int, now: datetime) -> str:
    """Remove a member's authenticators and recovery codes (a lost phone); return a new enrolment link."""
    user = _managed(actor, user_id, lock=True)
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    RecoveryDevice.objects.filter(user=user).delete()
    token = _new_link(user=user, created_by=actor.get_username(), now=now)
    details = {"action": "totp_reset", "devices_removed": removed}
    _audit(actor=actor.get_username(), subject=user, now=now, event=Event.CHANGE, details=details)
    return token


@transaction.atomic
def role_change(*, actor: User, user_id: int, role: str, now: datetime) -> Membership:
    """Give a member another role within the same organisation."""
    user = _managed(actor, user_id, lock=True)
    if role not in Role.values:
        raise ApplicationError(_("Choose one of the roles."), field="role", status=422)
    found = Membership.objects.select_for_update().select_related("organisation").get(user=user)
    if not role_fits(role, found.organisation):
        raise ApplicationError(_("Trainee and trainer are roles of an exercise organisation only."), field="role", status=422)
    before = found.role
    if before != role:
        found.role = role
        found.save(update_fields=["role"])
        details = {"action": "role_changed", "from": before, "to": role}
        _audit(actor=actor.get_username(), subject=user, now=now, event=Event.CHANGE, details=details)
    return found


@transaction.atomic
def user_deactivate(*, actor: User, user_id: int, now: datetime) -> User:
    """Deactivate a member: their sessions end, their API tokens are revoked, calendar links stop."""
    user = _managed(actor, user_id, lock=True)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        revoked = tokens_revoke_for_user(user=user, actor=actor, now=now)
        details = {"action": "deactivated", "tokens_revoked": revoked}
        _audit(actor=actor.get_username(), subject=user, now=now, event=Event.CHANGE, details=details)
    return user


# -- the command line: the first administrator -------------------------------------------


def first_administrator(
    *, username: str, email: str, password: str, organisation: str, kind: str, country: str, now: datetime
) -> Created:
    """An administrator of ``organisation`` (made if missing), with a one-time enrolment link."""
    problems = _password_problems(password, User(username=username, email=email))
    if problems:
        raise ApplicationError(" ".join(problems), field="password", status=422)
    hashed = make_password(password)
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ApplicationError(f"the username {username!r} is taken", field="username", status=409)
        org, _created = Organisation.objects.get_or_create(name=organisation, defaults={"kind": kind, "country": country})
        user = User.objects.create(username=username, email=email, password=hashed)
        Membership.objects.create(user=user, organisation=org, role=Role.ADMINISTRATOR)
        token = _new_link(user=user, created_by=COMMAND_ACTOR, now=now)
        details = {"action": "user_created", "role": Role.ADMINISTRATOR.value}
        _audit(actor=COMMAND_ACTOR, subject=user, now=now, event=Event.CREATE, details=details)
    return Created(user, token)


@transaction.atomic
def enrolment_link_for(*, username: str, now: datetime) -> str:
    """From the command line: a new enrolment link for a user without an authenticator."""
    user = User.objects.select_for_update().filter(username=username, is_active=True).first()
    if user is None:
        raise ApplicationError(f"no active user {username!r}", field="username", status=404)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ApplicationError(f"{username!r} has an authenticator: an administrator must reset it first", status=409)
    token = _new_link(user=user, created_by=COMMAND_ACTOR, now=now)
    _audit(actor=COMMAND_ACTOR, subject=user, now=now, event=Event.CHANGE, details={"action": "enrolment_link_created"})
    return token


# -- the user themselves ----------------------------------------------------------------


def enrolment_link_valid(*, user: User | None, link_digest: str, now: datetime) -> EnrolmentLink | None:
    """The live link with this digest (for ``user`` when given), or None."""
    links = EnrolmentLink.objects.filter(digest=link_digest, used_at__isnull=True, expires_at__gt=now, user__is_active=True)
    if user is not None:
        links = links.filter(user=user)
    return links.first()


def password_change(*, user: User, current: str, new: str, now: datetime) -> None:
    """Change one's own password: the current one is required; the new one must pass the validators."""
    if not user.check_password(current):
        with transaction.atomic():
            details = {"action": "password_change_refused"}
            _audit(actor=user.get_username(), subject=user, now=now, event=Event.LOGIN_FAILED, details=details)
        raise ApplicationError(_("Your current password is not correct."), field="current_password", status=400)
    problems = _password_problems(new, user)
    if problems:
        raise ApplicationError(" ".join(problems), field="new_password", status=422)
    hashed = make_password(new)  # outside the write transaction
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(password=hashed)
        user.password = hashed
        _audit(actor=user.get_username(), subject=user, now=now, event=Event.CHANGE, details={"action": "password_changed"})


def recovery_codes_create(*, user: User, now: datetime) -> list[str]:
    """Ten new one-time recovery codes, shown once; any earlier codes stop working."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ApplicationError(_("Enrol an authenticator before making recovery codes."), status=409)
        RecoveryDevice.objects.filter(user=user).delete()
        device = RecoveryDevice.objects.create(user=user, name="recovery codes", confirmed=True, created_at=now)
        RecoveryCode.objects.bulk_create([RecoveryCode(device=device, digest=recovery_digest(code)) for code in codes])
        details = {"action": "recovery_codes_created", "count": len(codes)}
        _audit(actor=user.get_username(), subject=user, now=now, event=Event.CHANGE, details=details)
    return [f"{code[:4]}-{code[4:8]}-{code[8:]}" for code in codes]


def recovery_codes_left(*, user: User) -> int | None:
    """How many unused recovery codes ``user`` has; None when they never made any."""
    device = RecoveryDevice.objects.filter(user=user, confirmed=True).first()
    return None if device is None else int(device.codes.filter(used_at__isnull=True).count())


def recovery_code_verify(*, user: User, code: str, now: datetime) -> Any:
    """Accept one unused recovery code instead of a TOTP code; it is then used up. Returns the
    django-otp device (a RecoveryDevice) that verified the session."""
    if login_locked(username=user.get_username(), now=now):
        raise ApplicationError(
            _("Too many failed log-ins: this account is locked for %(minutes)d minutes. Try again later.")
            % {"minutes": settings.LOCKOUT_MINUTES},
            field="code",
            status=429,
        )
    with transaction.atomic():
        device = RecoveryDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(code):
            left = device.codes.filter(used_at__isnull=True).count()
            details = {"step": "recovery_code", "device": device.pk, "codes_left": left}
            _audit(actor=user.get_username(), subject=user, now=now, event=Event.LOGIN, details=details)
            return device
        details = {"step": "recovery_code"}
        LoginFailure.objects.create(username=user.get_username(), at=now)  # wrong codes count toward the lockout
        _audit(actor=user.get_username(), subject=user, now=now, event=Event.LOGIN_FAILED, details=details)
    raise ApplicationError(_("This recovery code is not valid or was used already."), field="code", status=400)
