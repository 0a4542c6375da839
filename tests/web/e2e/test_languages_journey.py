"""The pages in French and in German, in a real browser (Playwright driving Debian's Chromium):

| step | language | the prosecutor                                                              |
|------|----------|-----------------------------------------------------------------------------|
| 1    | fr       | logs in with a French browser; sees the dashboard with the EPOC's deadlines  |
| 2    | fr       | opens the case, asks the route advisor FR -> DE for traffic data            |
| 3    | fr       | opens the issued EPOC: its deadlines and a validation problem               |
| 4    | de       | switches the interface to German and sees the same pages                     |

On none of these pages does an English text of the legal core's catalogues appear (reasons,
deadlines, requirements, first steps, validation problems): each page's text is checked
against every English phrase of the catalogues. Screenshots go to /tmp/i18n-shots/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django_otp.oath import totp

from cyberspex.forms.issue_texts import ENGLISH as ISSUE_TEXTS
from cyberspex.law.message_ids import english_catalogue
from cyberspex.refdata.loader import load_reference_data
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request
from tests.web.cases.test_deadlines_you_can_trust import ENFORCING
from tests.web.e2e.browser import new_page
from tests.web.e2e.test_main_journey import PASSWORD, arrive, people  # noqa: F401  # fixture
from tests.web.helpers import CASE_FIELDS, REVIEW, form_data

SHOTS = Path("/tmp/i18n-shots")  # noqa: S108  # screenshots for a person to look at
ROUTES = "routes/?provider_state=DE&category=traffic&measure=production&emergency=life"


def english_phrases() -> list[str]:
    """Every English sentence or phrase of the catalogues, split at its parameters, of three
    words or more: none may appear on a French or German page."""
    texts = [*english_catalogue(load_reference_data()).values(), *ISSUE_TEXTS.values()]
    phrases = set()
    for text in texts:
        for piece in re.split(r"\{[a-z_0-9]+\}", text):
            part = piece.strip(" .;:,()")
            if len(part.split()) >= 3 and len(part) >= 15:
                phrases.add(part)
    return sorted(phrases)


@pytest.fixture
def request_id(people: dict[str, bytes]) -> tuple[int, int]:  # noqa: ARG001, F811  # the users must exist
    """An issued traffic-data EPOC to Germany (deadlines) whose data then show a validation problem;
    written before Playwright starts its event loop."""
    prosecutor = User.objects.get(username="procureur")
    now = timezone.now()
    case = services.case_create(user=prosecutor, reference="PAR-E2E-I18N", retention_review_date=REVIEW, now=now, **CASE_FIELDS)
    data = form_data("eu-epoc", "DE")
    data["data_sought"]["category"] = "traffic"
    data |= {
        "issuing_authority_type": "public_prosecutor",
        "art5_4_ground": "max_penalty_3_years",
        "enforcing_notified": True,
        "enforcing_authority": ENFORCING,
    }
    made, _ = services.request_draft(user=prosecutor, case_id=case.pk, form_id="eu-epoc", data=data, now=now)
    # Traffic data: a judge validates before the prosecutor issues (Regulation 2023/1543 Art 4(2)).
    judge = User.objects.get(username="juge")
    services.request_transition(user=prosecutor, request_id=made.pk, target="awaiting_approval", now=now)
    services.request_transition(user=judge, request_id=made.pk, target="validated", now=now)
    issued = services.request_transition(user=prosecutor, request_id=made.pk, target="issued", now=now)
    # A problem the checks find on the page: the recipient's languages are not stated.
    Request.objects.filter(pk=issued.pk).update(data={k: v for k, v in issued.data.items() if k != "recipient_languages"})
    return case.pk, issued.pk


def _log_in(page: Any, base: str, key: bytes, *, login: str, verify: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "procureur")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=login).click()
    arrive(page, re.compile(r".*/accounts/mfa/.*"))
    page.fill("#id_code", f"{totp(key):06d}")
    page.get_by_role("button", name=verify).click()
    page.wait_for_load_state("load")
    arrive(page, f"{base}/")


def _visit(page: Any, url: str, shot: str, phrases: list[str]) -> str:
    page.goto(url)
    page.wait_for_load_state("load")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{shot}-top.png"))  # the first screen, readable at a glance
    shown = [part for part in page.query_selector_all("main section, main article") if part.is_visible()]  # not folded
    for n, part in enumerate(shown[:4], start=1):
        part.screenshot(path=str(SHOTS / f"{shot}-part{n}.png"))  # the answer, the deadlines, the problems
    text = page.inner_text("main")
    english = [phrase for phrase in phrases if phrase in text]
    assert english == [], f"English legal text on {url}: {english}"
    return text


def test_the_pages_show_no_english_legal_text_in_french_or_german(
    people: dict[str, bytes],  # noqa: F811  # the fixture
    request_id: tuple[int, int],
    live_server: Any,
) -> None:
    case_id, issued = request_id
    base = live_server.url
    phrases = english_phrases()
    pages = {
        "dashboard": f"{base}/",
        "case": f"{base}/cases/{case_id}/",
        "routes": f"{base}/cases/{case_id}/{ROUTES}",
        "request": f"{base}/requests/{issued}/",
    }
    with new_page(locale="fr-FR") as page:
        _log_in(page, base, people["prosecutor"], login="Se connecter", verify="Vérifier")
        text = {name: _visit(page, url, f"fr-{name}", phrases) for name, url in pages.items()}
        assert "réception de l'EPOC" in text["routes"]
        assert "règlement (UE) 2023/1543, art. 10, par. 4" in text["routes"]
        assert "réseau 24/7" in text["routes"]
        assert "données transmises au plus tard" in text["request"]
        assert "indiquer les langues acceptées par le destinataire" in text["request"]
        assert "règlement (UE) 2023/1543, art. 10" in text["dashboard"]

        page.select_option("#site-language", "de")
        page.locator("form[action$='/i18n/setlang/'] button").click()
        page.wait_for_load_state("load")
        text = {name: _visit(page, url, f"de-{name}", phrases) for name, url in pages.items()}
        assert "Erhalt der EPOC" in text["routes"]
        assert "Verordnung (EU) 2023/1543 Art. 10 Abs. 4" in text["routes"]
        assert "24/7-Netzwerk" in text["routes"]
        assert "Übermittlung der Daten spätestens" in text["request"]
        assert "die Sprachen angeben, die der Empfänger akzeptiert" in text["request"]
        assert "Fristen" in text["dashboard"]


def test_the_check_finds_english_legal_text() -> None:
    assert "The Protocol is in force on" in english_phrases()
    assert "receipt of the EPOC" in english_phrases()
