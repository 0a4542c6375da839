"""Approval that follows Article 4, in a real browser, with the demo users of `serve --demo`:

| step | who        | does                                                                          |
|------|------------|-------------------------------------------------------------------------------|
| 1    | prosecutor | drafts an EPOC for traffic data to a provider in Germany, saves it             |
| 2    | prosecutor | is not offered "Issue", and is refused at the issue page: Art 4(2)             |
| 3    | prosecutor | submits it for approval                                                       |
| 4    | judge      | finds it under "Awaiting my approval" on the dashboard, validates it           |
| 5    | prosecutor | issues it after the confirmation step; the page shows who validated and when   |

Screenshots of each step go to /tmp/approval-shots/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cyberspex.web.cases import services
from cyberspex.web.demo import load_demo
from tests.web.cases.test_deadlines_you_can_trust import ENFORCING
from tests.web.concurrency import empty_audit_trail
from tests.web.e2e.browser import new_page
from tests.web.e2e.test_main_journey import arrive, log_in_demo
from tests.web.helpers import CASE_FIELDS, REVIEW, form_data

VIEWPORT = {"width": 1280, "height": 900}
SHOTS = Path("/tmp/approval-shots")  # noqa: S108  # where a person looks at the pages afterwards


@pytest.fixture
def demo_case(transactional_db: None) -> Iterator[int]:  # noqa: ARG001  # the live server needs committed data
    """The demo organisations and users, and a case of the demo prosecutor."""
    load_demo()
    prosecutor = User.objects.get(username="prosecutor")
    case = services.case_create(
        user=prosecutor, reference="PAR-E2E-0042", retention_review_date=REVIEW, now=timezone.now(), **CASE_FIELDS
    )
    yield case.pk
    empty_audit_trail()


@pytest.fixture
def page() -> Iterator[Any]:
    with new_page(locale="en-GB", viewport=VIEWPORT) as opened:
        yield opened


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def traffic_epoc() -> dict[str, Any]:
    """An EPOC for traffic data on an Art 5(4) ground, the enforcing authority notified; the
    prosecutor issues as "another competent authority" (Art 4(2)(b))."""
    data = form_data("eu-epoc", "DE")
    data["data_sought"]["category"] = "traffic"
    return data | {
        "issuing_authority_type": "other_authority",
        "art5_4_ground": "max_penalty_3_years",
        "enforcing_notified": True,
        "enforcing_authority": ENFORCING,
    }


def test_a_prosecutor_cannot_issue_a_traffic_epoc_alone_and_a_judge_validates_it_before_it_is_issued(
    demo_case: int, live_server: Any, page: Any
) -> None:
    base = live_server.url

    # 1. The prosecutor drafts and saves the order.
    log_in_demo(page, base, "prosecutor")
    page.goto(f"{base}/cases/{demo_case}/requests/new/?form=eu-epoc&provider_state=DE&category=traffic&measure=production")
    page.click("details.advanced summary")  # the JSON import, an advanced option of the guided editor
    skeleton = json.loads(page.input_value("#id_form_data"))
    page.fill("#id_form_data", json.dumps({**skeleton, **traffic_epoc()}, ensure_ascii=False))
    page.click("button[value=import]")
    page.click("button[value=save]")
    arrive(page, re.compile(r".*/requests/\d+/edit/$"))
    request_url = page.url.removesuffix("edit/")
    page.goto(request_url)
    request_id = int(request_url.rstrip("/").rsplit("/", 1)[1])

    # 2. "Issue" is not offered; the reason is on the page, and the issue page refuses with it.
    main = page.inner_text("main")
    assert "A public prosecutor may not issue this order alone" in main
    assert "Regulation (EU) 2023/1543 Art 4(2)" in main
    assert page.get_by_role("link", name="Issue…").count() == 0
    shot(page, "1-prosecutor-draft")
    page.goto(f"{request_url}issue/")
    refusal = page.inner_text("main")
    assert "This cannot be done" in refusal
    assert "validated by a judge, a court or an investigating judge (Regulation (EU) 2023/1543 Art 4(2))" in refusal
    shot(page, "2-prosecutor-refused")

    # 3. The prosecutor submits it for approval.
    page.goto(request_url)
    page.click("button[value=awaiting_approval]")
    page.get_by_text("The request is now: Awaiting approval.").wait_for()

    # 4. The demo judge, in another browser context, finds it in the queue and validates it.
    prosecutors_page, page = page, page.context.browser.new_context(locale="en-GB", viewport=VIEWPORT).new_page()
    log_in_demo(page, base, "judge")
    queue = page.locator("section[aria-labelledby=approval-queue-heading]")
    queue.get_by_text("PAR-E2E-0042").wait_for()
    shot(page, "3-judge-dashboard")
    queue.get_by_role("link", name=f"Request {request_id}").click()
    arrive(page, request_url)
    page.get_by_role("button", name="Approve / validate").click()
    page.get_by_text("The request is now: Validated, ready to issue.").wait_for()
    shot(page, "4-judge-validated")

    # 5. The prosecutor issues it, after the confirmation step.
    page = prosecutors_page
    page.goto(request_url)
    page.get_by_role("link", name="Issue…").click()
    arrive(page, f"{request_url}issue/")
    confirm = page.inner_text("main")
    assert "You are about to issue European Production Order Certificate (EPOC) to" in confirm
    assert "This is a legal order" in confirm
    shot(page, "5-prosecutor-confirm")
    page.check("#id_confirm")
    page.get_by_role("button", name="Issue the order").click()
    arrive(page, request_url)
    page.get_by_text("The request is now: Issued.").wait_for()
    issued = page.inner_text("main")
    today = timezone.now().date().isoformat()
    assert re.search(
        r"Validated by\s+Paul Lefèvre \(demo\) — Judge, court or investigating judge, Parquet de Paris \(demo\), "
        r"on \d{4}-\d\d-\d\d \d\d:\d\d \w+",
        issued,
    )
    assert re.search(rf"Issued by\s+Claire Martin \(demo\) — Public prosecutor, Parquet de Paris \(demo\), on {today}", issued)
    shot(page, "6-issued")
