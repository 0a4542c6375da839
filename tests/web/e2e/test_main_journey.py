"""The main journey in a real browser (Playwright driving Debian's Chromium):

| step | who          | does                                                                 |
|------|--------------|----------------------------------------------------------------------|
| 1    | investigator | logs in with password and TOTP                                        |
| 2    | investigator | opens a case, consults it with a justification                        |
| 3    | investigator | asks the route advisor FR -> US, subscriber data, what-if in force    |
| 4    | investigator | picks Article 7, imports the order as JSON, saves it, submits it      |
| 5    | prosecutor   | logs in with TOTP, validates, confirms and issues the order           |
| 6    | prosecutor   | downloads the provider package as PDF                                 |
| 7    | prosecutor   | sees the 30-day deadline of CETS 224 Art 7(7) on the dashboard        |

Runs where /usr/bin/chromium exists (.ci/run installs it); on CI a missing browser fails.
It runs on SQLite (make test) and on PostgreSQL (.ci/run).
"""

from __future__ import annotations

import binascii
import json
import os
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role
from cyberspex.web.demo import DEMO_PASSWORD, demo_secret
from tests.web.concurrency import empty_audit_trail
from tests.web.e2e.browser import new_page, playwright

PASSWORD = "a-long-password-for-e2e"  # noqa: S105  # test account


def _person(username: str, role: Role, org: Organisation) -> bytes:
    user = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.test")
    Membership.objects.create(user=user, organisation=org, role=role)
    key = os.urandom(20)
    TOTPDevice.objects.create(user=user, name="phone", key=binascii.hexlify(key).decode(), confirmed=True)
    return key


@pytest.fixture
def people(transactional_db: None) -> Iterator[dict[str, bytes]]:  # noqa: ARG001  # the live server needs committed data
    org = Organisation.objects.create(name="Parquet de Paris (e2e)", kind=OrganisationKind.ISSUING_AUTHORITY, country="FR")
    yield {
        "investigator": _person("enqueteur", Role.INVESTIGATOR, org),
        "prosecutor": _person("procureur", Role.PROSECUTOR, org),
        "judge": _person("juge", Role.JUDGE, org),
    }
    empty_audit_trail()  # the live server needs committed data; the flush must find no audit record


@pytest.fixture
def page() -> Iterator[Any]:
    with new_page(accept_downloads=True, locale="en-GB") as opened:
        yield opened


def arrive(page: Any, pattern: str | re.Pattern[str]) -> None:
    """Wait for a navigation; on failure say where the browser is and what it shows."""
    try:
        page.wait_for_url(pattern, timeout=15000)
    except playwright.TimeoutError:
        text = page.inner_text("main") if page.query_selector("main") else page.content()
        pytest.fail(f"expected {pattern}, still at {page.url}:\n{text[:2000]}")


def log_in(page: Any, base: str, username: str, key: bytes, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Log in").click()
    arrive(page, re.compile(r".*/accounts/mfa/.*"))
    page.fill("#id_code", f"{totp(key):06d}")
    page.get_by_role("button", name="Verify").click()
    arrive(page, f"{base}/")


def log_in_demo(page: Any, base: str, username: str) -> None:
    """A demo user (web/demo.py), with its published password and TOTP secret. A TOTP code works
    only once: each person logs in once, in their own browser context."""
    log_in(page, base, username, demo_secret(username), DEMO_PASSWORD)


def the_order() -> dict[str, Any]:
    path = resources.files("cyberspex") / "data" / "forms" / "examples" / "2ap-7-order.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.usefixtures("exercise_instance")  # what-if drafts are issued only in exercise mode
def test_log_in_open_a_case_pick_article_7_approve_issue_download_and_see_the_deadline(
    people: dict[str, bytes], live_server: Any, page: Any
) -> None:
    # Fixture order matters: the data are written before Playwright starts its event loop.
    base = live_server.url
    log_in(page, base, "enqueteur", people["investigator"])

    page.goto(f"{base}/cases/new/")
    page.fill("#id_reference", "PAR-E2E-0001")
    page.fill("#id_title", "Phishing against bank customers")
    page.fill("#id_retention_review_date", "2028-01-31")
    page.fill("#id_summary_of_facts", "More than 300 customers of French banks received phishing e-mails.")
    page.fill("#id_offences-0-description", "Organised fraud by phishing")
    page.fill("#id_offences-0-provisions", "Code pénal, art. 313-1 and 313-2")
    page.click("main form button[type=submit]")
    arrive(page, re.compile(r".*/cases/\d+/$"))
    case_url = page.url

    page.fill("#id_justification", "Preparing an order for the subscriber of the phishing account")
    page.get_by_role("button", name="Consult the case").click()
    page.get_by_text("This consultation was recorded in the audit trail").wait_for()

    page.goto(
        f"{case_url}routes/?provider_state=US&category=subscriber&measure=production&assume_in_force=on&assume_ratified=FR%2CUS"
    )
    page.get_by_text("What-if, for planning:").wait_for()
    page.locator("a[href*='form=2ap-7-order']").first.click()  # the verdict's "Draft this order"
    arrive(page, re.compile(r".*/requests/new/.*"))

    page.click("details.advanced summary")  # the JSON import, an advanced option of the guided editor
    skeleton = json.loads(page.input_value("#id_form_data"))
    page.fill("#id_form_data", json.dumps({**skeleton, **the_order()}, ensure_ascii=False))
    page.click("button[value=import]")
    assert page.input_value("#f-provider-name") == the_order()["provider"]["name"]
    page.click("button[value=save]")
    arrive(page, re.compile(r".*/requests/\d+/edit/$"))
    request_url = page.url.removesuffix("edit/")
    page.goto(request_url)
    page.click("button[value=awaiting_approval]")
    page.get_by_text("Awaiting approval").first.wait_for()

    page.context.clear_cookies()
    log_in(page, base, "procureur", people["prosecutor"])
    page.goto(request_url)
    page.get_by_role("button", name="Approve / validate").click()
    page.get_by_text("Validated by").first.wait_for()
    page.get_by_role("link", name="Issue…").click()
    arrive(page, re.compile(r".*/requests/\d+/issue/$"))
    page.check("#id_confirm")
    page.get_by_role("button", name="Issue the order").click()
    arrive(page, request_url)
    page.get_by_text("Issued").first.wait_for()
    page.get_by_text("EXERCISE — not a legal order").first.wait_for()  # drafted under what-if

    with page.expect_download() as download:
        page.click("a[href$='/packages/provider.pdf']")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.goto(f"{base}/")
    dashboard = page.content()
    assert "CETS 224 Art 7(7)" in dashboard
    assert "PAR-E2E-0001" in dashboard
