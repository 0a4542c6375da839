"""An exercise organisation with a trainee, a second trainee and a trainer, and a cohort."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role
from cyberspex.web.training.models import Cohort
from tests.web.helpers import NOW


@dataclass
class Centre:
    organisation: Organisation
    trainee: User
    trainee2: User
    trainer: User
    cohort: Cohort


@pytest.fixture
def centre(db: None) -> Centre:  # noqa: ARG001  # needs the database
    organisation = Organisation.objects.create(name="Training centre", kind=OrganisationKind.EXERCISE, country="FR")
    people = {}
    for username, role in (("t-trainee", Role.TRAINEE), ("t-trainee2", Role.TRAINEE), ("t-trainer", Role.TRAINER)):
        people[username] = User.objects.create(username=username, first_name=username.upper())
        Membership.objects.create(user=people[username], organisation=organisation, role=role)
    cohort = Cohort.objects.create(organisation=organisation, name="Cohort A", created_at=NOW)
    cohort.trainees.add(people["t-trainee"], people["t-trainee2"])
    return Centre(organisation, people["t-trainee"], people["t-trainee2"], people["t-trainer"], cohort)
