"""The access rule, in one place: your organisation's objects, with the actions your role grants."""

from __future__ import annotations

from itertools import product

import pytest
from django.contrib.auth.models import AnonymousUser, User

from cyberspex.web.accounts.access import (
    GRANTS,
    IN_EXERCISE,
    ISSUING,
    RECEIVING,
    TRAINING,
    Action,
    can,
    membership,
    organisation,
)
from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role
from tests.web.conftest import Org

OWNERS = ["own", "other", "none"]


def test_it_grants_every_action_to_someone_and_lists_no_unknown_action() -> None:
    assert set(GRANTS) == set(Action)
    assert all(GRANTS[action] for action in Action)


def test_it_keeps_audit_retention_and_accounts_apart_from_case_work() -> None:
    assert GRANTS[Action.VIEW_AUDIT] == {Role.AUDITOR}
    assert GRANTS[Action.RUN_RETENTION] == {Role.ADMINISTRATOR}
    assert GRANTS[Action.MANAGE_ACCOUNTS] == {Role.ADMINISTRATOR}
    assert {Role.INVESTIGATOR, Role.JUDGE, Role.PROSECUTOR, Role.OTHER_AUTHORITY, Role.SUPERVISOR} == ISSUING
    assert GRANTS[Action.MANAGE_DIRECTORY] == {Role.ADMINISTRATOR}
    assert GRANTS[Action.CURATE] == {Role.CURATOR}  # the reference data, not an organisation's cases
    assert GRANTS[Action.MANAGE_FEDERATION] == {Role.ADMINISTRATOR}  # the instance's peers and outbox
    apart = (
        Action.VIEW_AUDIT,
        Action.RUN_RETENTION,
        Action.MANAGE_ACCOUNTS,
        Action.MANAGE_DIRECTORY,
        Action.CURATE,
        Action.MANAGE_FEDERATION,
        *RECEIVING_ACTIONS,
        *TRAINING,
    )
    assert all(GRANTS[action] <= ISSUING for action in Action if action not in apart)


RECEIVING_ACTIONS = (Action.VIEW_INBOX, Action.ANSWER, Action.DECIDE)


def test_it_keeps_the_inbox_to_those_who_receive_and_answering_apart_from_deciding() -> None:
    assert GRANTS[Action.VIEW_INBOX] == RECEIVING
    assert GRANTS[Action.ANSWER] == {Role.RESPONDER}
    assert GRANTS[Action.DECIDE] == {Role.NOTIFIED_AUTHORITY, Role.CENTRAL_AUTHORITY, Role.CONTACT_247}
    assert not any(GRANTS[action] & ISSUING for action in RECEIVING_ACTIONS)


def test_it_decides_every_role_action_and_owner_from_grants_and_organisation(fr: Org, de: Org) -> None:
    wrong = []
    for role, action, owner in product(Role, Action, OWNERS):
        target = {"own": fr.organisation, "other": de.organisation, "none": None}[owner]
        expected = role in GRANTS[action] and owner != "other" and action not in TRAINING  # no training outside one
        if can(fr[role], action, target) is not expected:
            wrong.append((role.value, action.value, owner))
    assert wrong == []


def test_training_roles_are_granted_only_training(fr: Org) -> None:  # noqa: ARG001  # the database
    assert GRANTS[Action.ATTEMPT_EXERCISE] == {Role.TRAINEE, Role.TRAINER}
    assert GRANTS[Action.TRAIN] == {Role.TRAINER}
    assert not any({Role.TRAINEE, Role.TRAINER} & GRANTS[action] for action in Action if action not in TRAINING)


def test_in_an_exercise_organisation_every_role_may_only_train_manage_members_and_read_the_trail(fr: Org) -> None:
    centre = Organisation.objects.create(name="Training centre", kind=OrganisationKind.EXERCISE, country="FR")
    wrong = []
    for role in Role:
        user = User.objects.create(username=f"centre-{role.value}")
        Membership.objects.create(user=user, organisation=centre, role=role)
        for action, owner in product(Action, (centre, fr.organisation, None)):
            expected = role in GRANTS[action] and action in IN_EXERCISE and owner != fr.organisation
            if can(user, action, owner) is not expected:
                wrong.append((role.value, action.value, owner))
    assert wrong == []


@pytest.mark.parametrize("action", Action)
def test_it_grants_nothing_to_an_anonymous_visitor_or_to_a_user_without_membership(fr: Org, action: Action) -> None:
    stranger = User.objects.create(username="stranger")
    assert not can(AnonymousUser(), action)
    assert not can(AnonymousUser(), action, fr.organisation)
    assert not can(stranger, action)
    assert not can(stranger, action, fr.organisation)


def test_it_finds_a_users_membership_and_organisation(fr: Org, de: Org) -> None:
    found = membership(de[Role.CURATOR])
    assert found is not None
    assert (found.role, found.organisation) == (Role.CURATOR, de.organisation)
    assert organisation(fr[Role.AUDITOR]) == fr.organisation
    assert membership(AnonymousUser()) is None
    assert organisation(AnonymousUser()) is None
