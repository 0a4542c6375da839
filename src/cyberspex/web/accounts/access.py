"""Per-object access control, in one place. Every view, API endpoint and command asks here.

The rule: a person acts only within their own organisation, with the actions their role
grants. Objects of another organisation are treated as not existing (HTTP 404), so their
existence never leaks. A member of an exercise organisation (training) may perform only the
training actions, whatever their role: nobody there can touch a real case or inbox.

A person's membership is read once per web request: :func:`membership_read_once` (opened by the
middleware ``accounts.middleware.membership_once``) keeps what was read for the request's
duration, and a saved or deleted membership or organisation is forgotten at once (signals in
``accounts/apps.py``). Outside a request (commands, tests calling services), every call reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as UserModel

from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role


class Action(StrEnum):
    VIEW_CASE = "view_case"
    EDIT_CASE = "edit_case"
    DRAFT_REQUEST = "draft_request"
    SUBMIT_FOR_APPROVAL = "submit_for_approval"
    APPROVE = "approve"
    ISSUE = "issue"
    RECORD_OUTCOME = "record_outcome"
    WITHDRAW = "withdraw"
    DOWNLOAD_PACKAGE = "download_package"
    VIEW_AUDIT = "view_audit"
    RUN_RETENTION = "run_retention"
    MANAGE_ACCOUNTS = "manage_accounts"  # users, their roles, second factors and API tokens
    # The receiving side (cyberspex/web/exchange): acting on what was delivered to one's organisation.
    VIEW_INBOX = "view_inbox"
    ANSWER = "answer"  # a provider's or registrar's answer, its produced files, a clarification
    DECIDE = "decide"  # a notified, enforcing, requested-Party or 24/7 authority's decision
    MANAGE_DIRECTORY = "manage_directory"  # the organisation's policy profile and signing keys
    # Training (cyberspex/web/training), in an exercise organisation only.
    ATTEMPT_EXERCISE = "attempt_exercise"  # open an exercise of the library, answer it, see one's results
    TRAIN = "train"  # a trainer's: cohorts and their results, training sessions
    # The reference data (cyberspex/web/knowledge/curation.py): propose, publish, reject and import
    # curated changes. Not tied to an organisation; a curator never publishes their own change.
    CURATE = "curate"
    # The instance's exchange with other instances (web/federation): its peers and its outbox. An
    # administrator of a real organisation of the instance; never an exercise organisation's.
    MANAGE_FEDERATION = "manage_federation"


ISSUING = {Role.INVESTIGATOR, Role.JUDGE, Role.PROSECUTOR, Role.OTHER_AUTHORITY, Role.SUPERVISOR}
# Who may approve (validate) or issue a request at all; whether the law lets this person validate
# or issue this order alone is decided per form and data category (cyberspex/forms/authority.py).
VALIDATING = {Role.JUDGE, Role.PROSECUTOR, Role.SUPERVISOR}
# Those who work an inbox: what is delivered to their organisation (cyberspex/web/exchange).
RECEIVING = {Role.RESPONDER, Role.NOTIFIED_AUTHORITY, Role.CENTRAL_AUTHORITY, Role.CONTACT_247}
GRANTS: dict[Action, frozenset[Role]] = {
    Action.VIEW_CASE: frozenset(ISSUING),
    Action.EDIT_CASE: frozenset(ISSUING),
    Action.DRAFT_REQUEST: frozenset(ISSUING),
    Action.SUBMIT_FOR_APPROVAL: frozenset(ISSUING),
    Action.APPROVE: frozenset(VALIDATING),
    Action.ISSUE: frozenset(VALIDATING | {Role.OTHER_AUTHORITY}),
    Action.RECORD_OUTCOME: frozenset(ISSUING),
    Action.WITHDRAW: frozenset(VALIDATING | {Role.OTHER_AUTHORITY}),
    Action.DOWNLOAD_PACKAGE: frozenset(ISSUING),
    Action.VIEW_AUDIT: frozenset({Role.AUDITOR}),
    Action.RUN_RETENTION: frozenset({Role.ADMINISTRATOR}),
    Action.MANAGE_ACCOUNTS: frozenset({Role.ADMINISTRATOR}),
    Action.VIEW_INBOX: frozenset(RECEIVING),
    Action.ANSWER: frozenset({Role.RESPONDER}),
    Action.DECIDE: frozenset({Role.NOTIFIED_AUTHORITY, Role.CENTRAL_AUTHORITY, Role.CONTACT_247}),
    Action.MANAGE_DIRECTORY: frozenset({Role.ADMINISTRATOR}),
    Action.ATTEMPT_EXERCISE: frozenset({Role.TRAINEE, Role.TRAINER}),
    Action.TRAIN: frozenset({Role.TRAINER}),
    Action.CURATE: frozenset({Role.CURATOR}),
    Action.MANAGE_FEDERATION: frozenset({Role.ADMINISTRATOR}),
}
TRAINING = frozenset({Action.ATTEMPT_EXERCISE, Action.TRAIN})
# What an exercise organisation does: training, and managing its own members and reading its own
# audit trail (neither touches a case). Training happens nowhere else.
IN_EXERCISE = TRAINING | {Action.MANAGE_ACCOUNTS, Action.VIEW_AUDIT}
TRAINING_ROLES = frozenset({Role.TRAINEE, Role.TRAINER})

User = UserModel | AnonymousUser


# user id -> membership (or None), for the request being served; None outside a request.
_read_in_this_request: ContextVar[dict[int, Membership | None] | None] = ContextVar("cyberspex_memberships", default=None)


@contextmanager
def membership_read_once() -> Iterator[None]:
    """Within the block, each person's membership is read from the database once."""
    token = _read_in_this_request.set({})
    try:
        yield
    finally:
        _read_in_this_request.reset(token)


def forget_memberships(sender: Any, instance: Any, **kwargs: Any) -> None:  # noqa: ARG001  # a signal receiver
    """A membership or an organisation changed: what this request read of them is read again."""
    read = _read_in_this_request.get()
    if read is not None:
        read.clear()


def membership(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    read = _read_in_this_request.get()
    if read is None:
        return Membership.objects.select_related("organisation").filter(user=user).first()
    if user.pk not in read:
        read[user.pk] = Membership.objects.select_related("organisation").filter(user=user).first()
    return read[user.pk]


def organisation(user: User) -> Organisation | None:
    found = membership(user)
    return found.organisation if found else None


def role_fits(role: str, organisation: Organisation) -> bool:
    """Trainee and trainer are roles of an exercise organisation only (any other role there can
    do no more than manage its members and read its audit trail)."""
    return role not in TRAINING_ROLES or organisation.kind == OrganisationKind.EXERCISE


def can(user: User, action: Action, owner: Organisation | None = None) -> bool:
    """Whether ``user`` may perform ``action`` on an object owned by ``owner``."""
    found = membership(user)
    if found is None or Role(found.role) not in GRANTS[action]:
        return False
    # Training and real work never mix: training happens only in an exercise organisation, and
    # no case, request or inbox is touched there.
    exercise = found.organisation.kind == OrganisationKind.EXERCISE
    if (action in TRAINING and not exercise) or (exercise and action not in IN_EXERCISE):
        return False
    return owner is None or owner.pk == found.organisation_id
