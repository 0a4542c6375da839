"""Case management in a real browser (Playwright driving Debian's Chromium):

| step | who        | does                                                                   |
|------|------------|------------------------------------------------------------------------|
| 1    | prosecutor | logs in, sees the case with its issued request's state and days left   |
|      |            | on the dashboard, opens the case, consults it                          |
| 2    | prosecutor | changes the title and adds a person; the page says it is saved         |
| 3    | prosecutor | attaches a PDF: its SHA-256 is shown                                   |
| 4    | prosecutor | searches from the header by the case's identifier and finds the case   |
| 5    | prosecutor | chooses New York time: the dashboard shows the deadline in it          |

Screenshots of each step go to /tmp/cases-shots/.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cyberspex.web.cases import services
from tests.web.e2e.test_main_journey import arrive, log_in, page, people  # noqa: F401  # fixtures
from tests.web.helpers import CASE_FIELDS, JUSTIFICATION, REVIEW, form_data

SHOTS = Path("/tmp/cases-shots")  # noqa: S108  # screenshots to look at, outside the repository
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def case_id(people: dict[str, bytes]) -> int:  # noqa: ARG001, F811  # the users must exist
    """The case, written before Playwright starts its event loop."""
    prosecutor = User.objects.get(username="procureur")
    case = services.case_create(
        user=prosecutor, reference="PAR-E2E-0003", retention_review_date=REVIEW, now=timezone.now(), **CASE_FIELDS
    )
    made, _ = services.request_draft(
        user=prosecutor, case_id=case.pk, form_id="eu-epoc", data=form_data("eu-epoc", "DE"), now=timezone.now()
    )
    services.request_transition(user=prosecutor, request_id=made.pk, target="issued", now=timezone.now())
    return case.pk


def _shot(browser_page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser_page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_prosecutor_edits_a_case_attaches_a_file_and_finds_the_case_by_searching(
    people: dict[str, bytes],  # noqa: F811  # the fixture
    case_id: int,
    live_server: Any,
    page: Any,  # noqa: F811  # the fixture
    tmp_path: Path,
) -> None:
    base = live_server.url
    log_in(page, base, "procureur", people["prosecutor"])

    page.get_by_text("PAR-E2E-0003").first.wait_for()
    assert "Issued" in page.inner_text("main")  # the dashboard's cases list: each request's state and days left
    _shot(page, "0-dashboard")
    page.goto(f"{base}/cases/{case_id}/")
    page.fill("#id_justification", JUSTIFICATION)
    page.get_by_role("button", name="Consult the case").click()
    page.get_by_text("This consultation was recorded").first.wait_for()
    page.get_by_role("link", name="Change the case, its review date or attachments").click()
    arrive(page, re.compile(rf".*/cases/{case_id}/edit/$"))
    _shot(page, "1-edit-form")

    page.fill("#id_title", "Phishing against bank customers, second wave")
    page.fill("#id_persons-1-name", "Jane Roe")
    page.fill("#id_persons-1-role", "witness")
    page.get_by_role("button", name="Save the case").click()
    page.get_by_text("The case is saved.").wait_for()
    assert page.input_value("#id_title") == "Phishing against bank customers, second wave"
    _shot(page, "2-saved")

    warrant = tmp_path / "warrant.pdf"
    warrant.write_bytes(PDF)
    page.set_input_files("#id_attachment-file", str(warrant))
    page.get_by_role("button", name="Attach the file").click()
    page.get_by_text("warrant.pdf is attached").wait_for()
    assert hashlib.sha256(PDF).hexdigest() in page.inner_text("main")
    _shot(page, "3-attached")

    page.fill("#site-search", "j.doe.1987")
    page.get_by_role("button", name="Go").click()
    arrive(page, re.compile(r".*/search/\?q=j\.doe\.1987$"))
    found = page.inner_text("main")
    assert "1 case" in found
    assert "PAR-E2E-0003" in found
    assert "second wave" in found
    _shot(page, "4-search")

    page.get_by_role("link", name="Preferences").click()
    page.select_option("#id_time_zone", "America/New_York")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Dates and times are now shown in America/New_York.").wait_for()
    _shot(page, "5-preferences")
    page.goto(f"{base}/")
    due = page.inner_text("main table")
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T", due), due  # the deadline in New York time
    _shot(page, "6-dashboard-new-york")
