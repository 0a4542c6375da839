"""The provider's journey in a real browser (Playwright driving Debian's Chromium), on an
exercise instance where an Article 7 order of Serbia is delivered to a provider in Germany:

| step | who           | does                                                                       |
|------|---------------|----------------------------------------------------------------------------|
| 1    | provider      | logs in with password and TOTP and lands in its inbox                       |
| 2    | provider      | opens the item and sees "Signature verified"                                 |
| 3    | provider      | answers "Data produced" with a CSV file; the page shows its SHA-256         |
| 4    | prosecutor-rs | opens the request: the answer, the same SHA-256, the request answered and its deadline closed |

Screenshots of each step go to /tmp/provider-shots/.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Organisation, OrganisationKind, Role
from cyberspex.web.cases import services
from cyberspex.web.cases.selectors import what_if
from cyberspex.web.exchange.models import Function
from tests.web.concurrency import empty_audit_trail
from tests.web.e2e.browser import new_page
from tests.web.e2e.test_main_journey import PASSWORD, _person, arrive
from tests.web.helpers import CASE_FIELDS, REVIEW, form_data

VIEWPORT = {"width": 1280, "height": 900}
SHOTS = Path("/tmp/provider-shots")  # noqa: S108  # where a person looks at the pages afterwards
PRODUCED = b"account,ip,time\nj.doe.1987@mail.example.com,198.51.100.7,2026-10-01T10:00:00Z\n"


@pytest.fixture
def exchange(transactional_db: None) -> Iterator[dict[str, Any]]:  # noqa: ARG001  # the live server needs committed data
    """Serbia's prosecutor issued an Art 7 order to a provider in Germany (rehearsed: what-if in force)."""
    with override_settings(EXERCISE_MODE=True):
        rs = Organisation.objects.create(name="Tužilaštvo (e2e)", kind=OrganisationKind.ISSUING_AUTHORITY, country="RS")
        provider = Organisation.objects.create(
            name="Beispiel Mail GmbH (e2e)", kind=OrganisationKind.PROVIDER, country="DE", functions=[Function.PROVIDER.value]
        )
        keys = {
            "prosecutor-rs": _person("prosecutor-rs", Role.PROSECUTOR, rs),
            "provider-de": _person("provider-de", Role.RESPONDER, provider),
        }
        prosecutor = User.objects.get(username="prosecutor-rs")
        now = timezone.now()
        case = services.case_create(
            user=prosecutor, reference="BG-E2E-0007", retention_review_date=REVIEW, now=now, **CASE_FIELDS
        )
        data = form_data("2ap-7-order", "DE") | {"notification_made": False}
        rehearsal: WhatIf = what_if(assume_in_force=True, assume_ratified="RS,DE")
        order, _ = services.request_draft(
            user=prosecutor,
            case_id=case.pk,
            form_id="2ap-7-order",
            data=data,
            now=now,
            what_if=rehearsal,
            recipient_organisation=provider.pk,
        )
        services.request_transition(user=prosecutor, request_id=order.pk, target="issued", now=now)
        yield {"keys": keys, "request_id": order.pk}
    empty_audit_trail()


@pytest.fixture
def page() -> Iterator[Any]:
    with new_page(locale="en-GB", viewport=VIEWPORT) as opened:
        yield opened


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page: Any, base: str, username: str, key: bytes) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    arrive(page, re.compile(r".*/accounts/mfa/.*"))
    page.fill("#id_code", f"{totp(key):06d}")
    page.get_by_role("button", name="Verify").click()
    arrive(page, re.compile(rf"^{re.escape(base)}/(inbox/)?$"))


def test_a_provider_verifies_the_order_and_answers_with_a_file_and_the_issuing_side_sees_the_same_hash(
    exchange: dict[str, Any], live_server: Any, page: Any
) -> None:
    base, digest = live_server.url, hashlib.sha256(PRODUCED).hexdigest()

    # 1. The provider logs in and lands in its inbox.
    log_in(page, base, "provider-de", exchange["keys"]["provider-de"])
    page.goto(f"{base}/inbox/")
    shot(page, "1-inbox")

    # 2. It opens the item: the signature is verified.
    page.get_by_role("link", name=re.compile(r"— item \d+")).click()
    arrive(page, re.compile(r".*/inbox/\d+/$"))
    page.get_by_role("heading", name="Signature verified").wait_for()
    shot(page, "2-item-verified")

    # 3. It answers with a file; the page shows the file's SHA-256.
    page.get_by_label("Data produced", exact=True).check()
    page.set_input_files("#answer-files", files=[{"name": "logins.csv", "mimeType": "text/csv", "buffer": PRODUCED}])
    page.get_by_role("button", name="Send the answer").click()
    page.get_by_text("Your answer was sent.").wait_for()
    assert digest in page.inner_text("main")
    shot(page, "3-answered")

    # 4. The issuing side sees the answer, the same hash, and its deadline closed.
    page = page.context.browser.new_context(locale="en-GB", viewport=VIEWPORT).new_page()
    log_in(page, base, "prosecutor-rs", exchange["keys"]["prosecutor-rs"])
    page.goto(f"{base}/requests/{exchange['request_id']}/")
    main = page.inner_text("main")
    assert digest in main
    assert "Data produced" in main
    assert "request answered" in main  # the deadline's "done" reason
    assert "Overdue" not in main
    shot(page, "4-issuer-sees-the-answer")
