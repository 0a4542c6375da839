"""Deadlines in a real browser: a traffic-data EPOC issued to a provider in Germany shows its
conditional Art 10 deadlines with the days left; the prosecutor marks one done with a reason;
once the request is answered, none is left open on the dashboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cyberspex.web.cases import services
from cyberspex.web.cases.models import Deadline
from tests.web.cases.test_deadlines_you_can_trust import ENFORCING
from tests.web.e2e.test_main_journey import arrive, log_in, page, people  # noqa: F401  # fixtures
from tests.web.helpers import CASE_FIELDS, REVIEW, form_data


@pytest.fixture
def epoc(people: dict[str, bytes]) -> tuple[int, int]:  # noqa: ARG001, F811  # the users must exist
    """The issued request and its first deadline, written before Playwright starts its event loop."""
    judge = User.objects.get(username="juge")  # traffic data: a judge issues it alone (Art 4(2)(a))
    now = timezone.now()
    case = services.case_create(user=judge, reference="PAR-E2E-0002", retention_review_date=REVIEW, now=now, **CASE_FIELDS)
    data = form_data("eu-epoc", "DE")
    data["data_sought"]["category"] = "traffic"
    data |= {
        "issuing_authority_type": "judge_court",
        "art5_4_ground": "max_penalty_3_years",
        "enforcing_notified": True,
        "enforcing_authority": ENFORCING,
    }
    made, _ = services.request_draft(user=judge, case_id=case.pk, form_id="eu-epoc", data=data, now=now)
    issued = services.request_transition(user=judge, request_id=made.pk, target="issued", now=now)
    first = Deadline.objects.filter(request=issued).order_by("due_at", "pk").first()
    assert first is not None
    return issued.pk, first.pk


def test_an_issued_epoc_shows_the_deadlines_its_notification_settles_which_close_when_it_is_answered(
    people: dict[str, bytes],  # noqa: F811  # the fixture
    epoc: tuple[int, int],
    live_server: Any,
    page: Any,  # noqa: F811  # the fixture
) -> None:
    request_id, first = epoc
    base = live_server.url
    log_in(page, base, "procureur", people["prosecutor"])

    page.goto(f"{base}/")
    page.get_by_text("Regulation (EU) 2023/1543 Art 10(2)").first.wait_for()
    dashboard = page.inner_text("main")
    assert "If it applies" not in dashboard  # the order says the enforcing authority was notified (Art 8(1))
    assert "10 days" in dashboard or "9 days" in dashboard

    page.goto(f"{base}/requests/{request_id}/")
    page.fill(f"#done-reason-{first}", "data received by other means")
    page.click(f"form[action$='/deadlines/{first}/done/'] button")
    arrive(page, re.compile(rf".*/requests/{request_id}/$"))
    page.get_by_text("The deadline is marked done.").wait_for()
    assert "data received by other means" in page.inner_text("main")

    page.click("button[value=answered]")
    page.get_by_text("The request is now:").wait_for()
    page.goto(f"{base}/")
    page.get_by_text("No open deadlines.").wait_for()
