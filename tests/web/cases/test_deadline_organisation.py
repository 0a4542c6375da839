"""Every deadline carries its request's case's organisation (Deadline.organisation, the key of
the organisation's open deadlines by due date), whichever way it is made: at issue, for the
validation after issue (Art 4(5)), for the service of an Article 8 order and the clocks that
run from service, and by bench-data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F

from cyberspex.web.accounts.models import Role
from cyberspex.web.benchdata import add_requests
from cyberspex.web.cases import approval, services
from cyberspex.web.cases.models import Deadline, Request
from tests.web.cases.test_approval import emergency_epoc
from tests.web.cases.test_article8_service import SERVE, SERVED, article_8_order
from tests.web.conftest import Org
from tests.web.helpers import NOW, make_case, make_request, move


def _organisations(request: Request) -> set[int]:
    return set(request.deadlines.values_list("organisation_id", flat=True))


def test_the_deadlines_made_at_issue_carry_the_cases_organisation(fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    issued = move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "issued")
    assert issued.deadlines.exists()
    assert _organisations(issued) == {fr.organisation.pk}


def test_the_validation_after_issue_carries_the_cases_organisation(fr: Org) -> None:
    other = fr[Role.OTHER_AUTHORITY]
    issued = move(other, emergency_epoc(other), "issued")
    assert issued.deadlines.get(rule=approval.EX_POST_RULE).organisation == fr.organisation


@pytest.mark.usefixtures("exercise_instance")
def test_the_service_clock_and_the_clocks_from_service_carry_the_cases_organisation(fr: Org) -> None:
    order = article_8_order(fr, "traffic", "issued")
    order.deadlines.all().delete()
    services.start_service_clock(order, NOW)
    assert order.deadlines.get(rule=SERVE).organisation == fr.organisation
    services.request_record_service(user=fr[Role.PROSECUTOR], request_id=order.pk, now=SERVED, served_at=SERVED)
    assert order.deadlines.filter(due_at=SERVED + timedelta(days=45)).exists()
    assert _organisations(order) == {fr.organisation.pk}


def test_bench_data_gives_each_deadline_its_organisation(fr: Org, de: Org) -> None:
    add_requests(organisation=fr.organisation, user=fr[Role.PROSECUTOR], count=3, now=NOW)
    add_requests(organisation=de.organisation, user=de[Role.PROSECUTOR], count=2, now=NOW)
    assert Deadline.objects.filter(organisation=fr.organisation).count() == 3
    assert Deadline.objects.filter(organisation=de.organisation).count() == 2
    assert not Deadline.objects.exclude(organisation=F("request__case__organisation")).exists()
