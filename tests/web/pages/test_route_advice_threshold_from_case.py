"""The route advice page works out the offence threshold of Regulation (EU) 2023/1543 Art 5(4)(a)
from the case's offences when the user did not state it, says so, and carries it to the draft."""

from __future__ import annotations

import html

from django.test import Client

from cyberspex.law.citations import parse_citation
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import services
from cyberspex.web.cases.editor_prefill import THRESHOLD_CITATION
from tests.web.conftest import Org
from tests.web.helpers import CASE_FIELDS, NOW, REVIEW
from tests.web.pages.conftest import logged_in

QUESTION = {"provider_state": "IE", "category": "traffic", "measure": "production"}
NOT_STATED = "whether this offence qualifies is not stated"


def _case(org: Org, max_penalty_years: int | None) -> int:
    offence = {"description": "Extortion by ransomware", "provisions": "Code pénal, art. 312-1"}
    if max_penalty_years is not None:
        offence["max_penalty_years"] = max_penalty_years
    fields = {**CASE_FIELDS, "offences": [offence]}
    case = services.case_create(
        user=org[Role.PROSECUTOR], reference=f"PAR-T-{max_penalty_years}", retention_review_date=REVIEW, now=NOW, **fields
    )
    return case.pk


def _advice(browser: Client, case_id: int, **extra: str) -> str:
    response = browser.get(f"/cases/{case_id}/routes/", {**QUESTION, **extra})
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_maximum_of_seven_years_meets_the_threshold_and_the_page_says_it_was_worked_out(browser: Client, fr: Org) -> None:
    case_id = _case(fr, 7)
    logged_in(browser, fr[Role.PROSECUTOR])
    page = _advice(browser, case_id)
    assert "Offence threshold worked out from the case" in page
    assert NOT_STATED not in page
    assert "offence_threshold=met" in page  # the draft link carries it


def test_a_threshold_the_user_states_is_kept(browser: Client, fr: Org) -> None:
    case_id = _case(fr, 7)
    logged_in(browser, fr[Role.PROSECUTOR])
    page = _advice(browser, case_id, offence_threshold="")
    assert "Offence threshold worked out from the case" not in page
    assert NOT_STATED in page


def test_a_lower_or_unknown_maximum_leaves_the_threshold_open(browser: Client, fr: Org) -> None:
    # Art 5(4)(b)-(d) may still apply: a maximum under 3 years is not taken as "not met".
    for years in (2, None):
        case_id = _case(fr, years)
        logged_in(browser, fr[Role.PROSECUTOR])
        page = _advice(browser, case_id)
        assert "Offence threshold worked out from the case" not in page
        assert NOT_STATED in page


def test_the_worked_out_threshold_shows_whether_its_provision_is_checked_against_the_official_text(
    browser: Client, fr: Org
) -> None:
    cited = parse_citation(THRESHOLD_CITATION)
    assert cited is not None
    case_id = _case(fr, 7)
    logged_in(browser, fr[Role.PROSECUTOR])
    page = _advice(browser, case_id)
    note = page.split('id="threshold-from-case"', 1)[1].split("</p>", 1)[0]
    assert ("unverified" in note) is (not cited.verified)
