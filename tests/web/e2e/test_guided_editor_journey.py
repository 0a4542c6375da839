"""The guided editor in a real browser (Playwright driving Debian's Chromium): the demo prosecutor
drafts a CETS 224 Article 7 order without touching JSON.

| step | does                                                                                      |
|------|-------------------------------------------------------------------------------------------|
| 1    | logs in (password and TOTP), consults the case, asks the route advice FR -> US, picks Art 7 |
| 2    | finds the issuing authority pre-filled from the organisation profile, fills the provider  |
| 3    | saves the draft incomplete, leaves for the dashboard                                      |
| 4    | resumes the draft, sees each problem once next to its field, completes it                 |
| 5    | reviews both packages side by side (provider; notified authority), submits for approval   |

Screenshots go to /tmp/editor-shots/ (or $EDITOR_SHOTS).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cyberspex.web.accounts.models import Membership
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Case
from cyberspex.web.demo import load_demo
from tests.web.concurrency import empty_audit_trail
from tests.web.e2e.browser import new_page, playwright
from tests.web.e2e.test_main_journey import arrive, log_in_demo
from tests.web.helpers import REVIEW

SHOTS = Path(os.environ.get("EDITOR_SHOTS", "/tmp/editor-shots"))  # noqa: S108  # screenshots to look at


@pytest.fixture
def demo(transactional_db: None) -> Iterator[Case]:  # noqa: ARG001  # the live server needs committed data
    load_demo()
    prosecutor = Membership.objects.get(user__username="prosecutor").user
    from django.utils import timezone  # noqa: PLC0415

    case = services.case_create(
        user=prosecutor,
        reference="PAR-2026-EDIT",
        title="Phishing against bank customers",
        offences=[
            {
                "description": "Organised fraud by phishing",
                "provisions": "Code pénal, art. 313-1 and 313-2",
                "max_penalty_years": 10,
            }
        ],
        summary_of_facts="More than 300 customers of French banks received phishing e-mails from one account.",
        identifiers=[{"kind": "email", "value": "j.doe.1987@mail.example.com"}],
        persons=[],
        classification="restricted",
        retention_review_date=REVIEW,
        now=timezone.now(),
    )
    yield case
    empty_audit_trail()


@pytest.fixture
def page() -> Iterator[Any]:
    with new_page(locale="en-GB", viewport={"width": 1280, "height": 900}) as opened:
        yield opened


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{name}-top.png"))  # what the user sees first


@pytest.mark.usefixtures("exercise_instance")  # CETS 224 is assumed in force: a what-if draft, issued only in exercise mode
def test_the_demo_prosecutor_drafts_saves_resumes_reviews_and_submits_an_article_7_order(
    demo: Case, live_server: Any, page: Any
) -> None:
    base = live_server.url
    log_in_demo(page, base, "prosecutor")

    page.goto(f"{base}/cases/{demo.pk}/")
    page.fill("#id_justification", "Preparing an order for the subscriber of the phishing account")
    page.get_by_role("button", name="Consult the case").click()
    page.get_by_text("This consultation was recorded in the audit trail").wait_for()
    page.goto(
        f"{base}/cases/{demo.pk}/routes/?provider_state=US&category=subscriber&measure=production"
        "&assume_in_force=on&assume_ratified=FR%2CUS"
    )
    page.locator("a[href*='form=2ap-7-order']").first.click()  # the verdict's "Draft this order"
    arrive(page, re.compile(r".*/requests/new/.*"))
    shot(page, "1-new-draft")

    # Pre-filled: the issuing authority from the profile, the offences and identifier from the case.
    assert page.input_value("#f-issuing_authority-address").startswith("Tribunal judiciaire de Paris")
    assert page.input_value("#f-offences-0-provisions") == "Code pénal, art. 313-1 and 313-2"
    assert page.input_value("#f-data_sought-identifiers-0-value") == "j.doe.1987@mail.example.com"
    page.fill("#f-provider-name", "Example Mail Services LLC")
    page.fill("#f-provider-address", "1 Example Way, Mountain View, CA 94043")
    page.select_option("#f-provider-country", "US")
    page.get_by_role("button", name="Save draft").click()
    arrive(page, re.compile(r".*/requests/\d+/edit/$"))
    page.get_by_text("Draft saved at").wait_for()
    draft_url = page.url
    saved = json.loads(page.input_value("#id_form_data"))  # the draft as stored (the advanced export)
    assert saved["provider"]["name"] == "Example Mail Services LLC"
    assert "legal_grounds" not in saved  # saved incomplete

    page.goto(f"{base}/")  # leave
    page.goto(draft_url)  # and resume
    assert page.input_value("#f-provider-name") == "Example Mail Services LLC"
    page.get_by_role("button", name="Check").click()
    page.locator("#issues-heading").wait_for()
    shot(page, "2-resumed-with-problems")
    summary = page.inner_text(".error-summary")
    assert summary.count("Domestic legal grounds for issuing the order") == 1  # each problem once, linked to its field
    page.click(".error-summary a[href='#f-legal_grounds']")

    page.fill("#f-legal_grounds", "Code de procédure pénale, art. 60-1 and 60-2 (requisition by the public prosecutor)")
    page.fill("#f-data_sought-description", "Subscriber information of the account used to send the phishing e-mails")
    page.fill("#f-return_time_frame-manner", "By e-mail to the contact authority, as an encrypted archive")
    page.select_option("#f-preservation-sought", "no")
    page.fill("#f-provider-legal_entity", "Example Mail Services LLC (Delaware)")
    page.select_option("#f-recipient_languages", ["en"])
    page.fill("#f-summary_of_facts", "More than 300 customers of French banks received phishing e-mails from one account.")
    page.get_by_role("button", name="Save and review").click()
    arrive(page, re.compile(r".*/requests/\d+/review/$"))
    shot(page, "3-review")

    provider = page.inner_text("section[aria-labelledby=package-provider]")
    notified = page.inner_text("section[aria-labelledby=package-notification]")
    assert "The provider will see" in provider
    assert "The notified authority will see" in notified
    assert "Example Mail Services LLC" in provider
    assert "phishing e-mails from one account" in notified
    assert "phishing e-mails from one account" not in provider  # the summary of facts is for the notified authority only
    assert page.locator(".error-summary li.issue--error").count() == 0, page.inner_text(".error-summary")  # warnings only

    page.get_by_role("button", name="Submit for approval").click()
    arrive(page, re.compile(r".*/requests/\d+/$"))
    page.get_by_text("Awaiting approval").first.wait_for()
    shot(page, "4-submitted")

    page.goto(draft_url)  # submitted: read-only, with the reason
    page.get_by_text("can no longer be edited").wait_for()
    shot(page, "5-read-only")


def test_a_draft_too_large_to_send_is_not_sent_and_the_text_stays(demo: Case, live_server: Any, page: Any) -> None:
    """The editor's script checks the size before sending (the limit lowered on the page for the test)."""
    base = live_server.url
    log_in_demo(page, base, "prosecutor")
    page.goto(f"{base}/cases/{demo.pk}/requests/new/?form=2ap-7-order")
    url = page.url
    page.eval_on_selector("#editor-form", "form => form.setAttribute('data-limit', '60000')")
    long_text = "The account was used to send phishing e-mails. " * 1500  # about 70 kB
    page.fill("#f-legal_grounds", long_text)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.get_by_role("button", name="Save draft").click()
    try:
        page.get_by_role("alert").filter(has_text="too large to send").wait_for(timeout=10000)
    except playwright.TimeoutError:
        pytest.fail(f"no message; at {page.url}; console: {errors}")
    shot(page, "6-too-large")
    assert page.url == url  # not sent
    assert page.input_value("#f-legal_grounds") == long_text  # nothing typed is lost


def test_a_new_draft_is_autosaved_when_the_page_is_hidden(demo: Case, live_server: Any, page: Any) -> None:
    """The script saves what was typed when the user leaves the tab (visibilitychange), then into that draft."""
    base = live_server.url
    log_in_demo(page, base, "prosecutor")
    page.goto(f"{base}/cases/{demo.pk}/requests/new/?form=2ap-7-order")
    page.select_option("#f-recipient_state", "US")
    page.fill("#f-legal_grounds", "Code de procédure pénale, art. 60-1")
    hide = (
        "() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    page.evaluate(hide)
    page.locator("#autosave-status").filter(has_text=re.compile(r"Saved at \d\d:\d\d")).wait_for()
    arrive(page, re.compile(r".*/requests/\d+/edit/$"))  # the address of the draft now made
    page.goto(page.url)  # reload: the typed text was saved on the server (never in the browser's storage)
    assert page.input_value("#f-legal_grounds") == "Code de procédure pénale, art. 60-1"
    assert page.evaluate("() => window.localStorage.length + window.sessionStorage.length") == 0
