"""The demo has a trainee and a trainer in an exercise organisation, and a cohort with the trainee."""

from __future__ import annotations

import pytest

from cyberspex.web.accounts.models import Membership, OrganisationKind, Role
from cyberspex.web.demo import COHORT, TRAINING_CENTRE, load_demo
from cyberspex.web.training.models import Cohort
from tests.web.helpers import NOW


@pytest.mark.django_db
def test_the_demo_trainee_and_trainer_work_in_an_exercise_organisation_with_a_cohort() -> None:
    load_demo(NOW)
    load_demo(NOW)  # again: nothing made twice
    members = {m.user.username: m for m in Membership.objects.select_related("user", "organisation")}
    assert (members["trainee"].role, members["trainer"].role) == (Role.TRAINEE, Role.TRAINER)
    assert members["trainee"].organisation.name == TRAINING_CENTRE
    assert members["trainer"].organisation.kind == OrganisationKind.EXERCISE
    cohort = Cohort.objects.get()
    assert cohort.name == COHORT
    assert list(cohort.trainees.values_list("username", flat=True)) == ["trainee"]
