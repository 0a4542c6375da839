"""The pages in French and in German, in a real browser (Playwright driving Debian's Chromium):

| step | language | the prosecutor                                                              |
|------|----------|-----------------------------------------------------------------------------|
| 1    | fr       | logs in with a French browser; sees the dashboard with the EPOC's deadlines  |
| 2    | fr       | opens the case, asks the route advisor FR -> DE for traffic data            |
| 3    | fr       | opens the issued EPOC: its deadlines and a validation problem               |
| 4    | fr       | opens a draft in the guided editor, checks it, and reviews its packages      |
| 5    | fr       | opens the confirmation before issuing a request a judge validated           |
| 6    | fr       | searches, consults the case and opens its edit page, then the preferences   |
| 7    | de       | switches the interface to German and sees the same pages                     |

On none of these pages does an English text of the catalogues appear (reasons, deadlines,
requirements, first steps, validation problems, who may issue and who validates, the roles):
each page's text is checked against every English phrase of the catalogues. Screenshots go to
/tmp/i18n-shots/ (or the folder in $I18N_SHOTS).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone, translation
from django_otp.oath import totp

from cyberspex.forms.authority import ENGLISH as AUTHORITY_TEXTS
from cyberspex.forms.issue_texts import ENGLISH as ISSUE_TEXTS
from cyberspex.law.message_ids import english_catalogue
from cyberspex.refdata.loader import load_reference_data
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request
from tests.web.cases.test_deadlines_you_can_trust import ENFORCING
from tests.web.e2e.browser import new_page
from tests.web.e2e.test_main_journey import PASSWORD, arrive, people  # noqa: F401  # fixture
from tests.web.helpers import CASE_FIELDS, REVIEW, form_data

SHOTS = Path(os.environ.get("I18N_SHOTS", "/tmp/i18n-shots"))  # noqa: S108  # screenshots for a person to look at
# Sentences of the web layer that quote the legal rules (cases/selectors.py) or name a role.
WEB_TEXTS = ("it is validated on this platform once you submit the draft for approval",)
JUSTIFICATION = "Checking the pages in French and German"
ROUTES = "routes/?provider_state=DE&category=traffic&measure=production&emergency=life"


def english_phrases() -> list[str]:
    """Every English sentence or phrase of the catalogues, split at its parameters, of three
    words or more: none may appear on a French or German page."""
    with translation.override("en"):
        roles = [str(label) for label in Role.labels]
    texts = [
        *english_catalogue(load_reference_data()).values(),
        *ISSUE_TEXTS.values(),
        *AUTHORITY_TEXTS.values(),
        *WEB_TEXTS,
        *roles,
    ]
    phrases = set()
    for text in texts:
        for piece in re.split(r"\{[a-z_0-9]+\}", text):
            part = piece.strip(" .;:,()")
            if len(part.split()) >= 3 and len(part) >= 15:
                phrases.add(part)
    return sorted(phrases)


@pytest.fixture
def request_id(people: dict[str, bytes]) -> tuple[int, int, int, int]:  # noqa: ARG001, F811  # the users must exist
    """A case with an issued traffic-data EPOC to Germany (deadlines) whose data then show a
    validation problem, a draft of another (for the editor) and a third the judge validated (for
    the confirmation before issue); written before Playwright starts its event loop."""
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
    # A draft issued by "another competent authority": the editor's check asks for its validation.
    draft, _ = services.request_draft(
        user=prosecutor,
        case_id=case.pk,
        form_id="eu-epoc",
        data={k: v for k, v in data.items() if k != "recipient_languages"} | {"issuing_authority_type": "other_authority"},
        now=now,
    )
    validated, _ = services.request_draft(user=prosecutor, case_id=case.pk, form_id="eu-epoc", data=data, now=now)
    services.request_transition(user=prosecutor, request_id=validated.pk, target="awaiting_approval", now=now)
    services.request_transition(user=judge, request_id=validated.pk, target="validated", now=now)
    return case.pk, issued.pk, draft.pk, validated.pk


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


def _visit(page: Any, url: str, shot: str, phrases: list[str], *, then: str = "") -> str:
    """Open ``url`` (then click the button ``then``, a CSS selector), take screenshots and
    return the page's main text, failing if an English phrase of the catalogues is on it."""
    page.goto(url)
    page.wait_for_load_state("load")
    if then:
        page.click(then)
        page.wait_for_load_state("load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    page.screenshot(path=str(SHOTS / f"{shot}-top.png"))  # the first screen, readable at a glance
    shown = [part for part in page.query_selector_all("main section, main article") if part.is_visible()]  # not folded
    for n, part in enumerate(shown[:4], start=1):
        part.screenshot(path=str(SHOTS / f"{shot}-part{n}.png"))  # the answer, the deadlines, the problems
    text = page.inner_text("main")
    english = [phrase for phrase in phrases if phrase in text]
    assert english == [], f"English legal text on {url}: {english}"
    return text


def _consult(page: Any, base: str, case_id: int) -> None:
    """Say why the case is consulted: its edit page opens only after."""
    page.goto(f"{base}/cases/{case_id}/")
    page.fill("#id_justification", JUSTIFICATION)
    page.locator("form:has(#id_justification) button[type=submit]").click()
    page.wait_for_load_state("load")


def _all_pages(page: Any, base: str, pages: dict[str, tuple[str, str]], language: str, phrases: list[str]) -> dict[str, str]:
    text = {}
    for name, (url, then) in pages.items():
        if name == "case-edit":
            _consult(page, base, int(url.rstrip("/").split("/")[-2]))
        text[name] = _visit(page, url, f"{language}-{name}", phrases, then=then)
    return text


def test_the_pages_show_no_english_legal_text_in_french_or_german(
    people: dict[str, bytes],  # noqa: F811  # the fixture
    request_id: tuple[int, int, int, int],
    live_server: Any,
) -> None:
    case_id, issued, draft, validated = request_id
    base = live_server.url
    phrases = english_phrases()
    pages = {
        "dashboard": (f"{base}/", ""),
        "case": (f"{base}/cases/{case_id}/", ""),
        "routes": (f"{base}/cases/{case_id}/{ROUTES}", ""),
        "request": (f"{base}/requests/{issued}/", ""),
        "editor": (f"{base}/requests/{draft}/edit/", "button[name=intent][value=check]"),
        "review": (f"{base}/requests/{draft}/review/", ""),
        "issue": (f"{base}/requests/{validated}/issue/", ""),
        "search": (f"{base}/search/?q=PAR-E2E-I18N", ""),
        "case-edit": (f"{base}/cases/{case_id}/edit/", ""),
        "preferences": (f"{base}/accounts/preferences/", ""),
    }
    with new_page(locale="fr-FR") as page:
        _log_in(page, base, people["prosecutor"], login="Se connecter", verify="Vérifier")
        text = _all_pages(page, base, pages, "fr", phrases)
        assert "réception de l'EPOC" in text["routes"]
        assert "règlement (UE) 2023/1543, art. 10, par. 4" in text["routes"]
        assert "réseau 24/7" in text["routes"]
        assert "données transmises à la fin du délai" in text["request"]
        assert "indiquer les langues acceptées par le destinataire" in text["request"]
        assert "règlement (UE) 2023/1543, art. 10" in text["dashboard"]
        assert "l'injonction doit être validée avant son envoi" in text["editor"]
        assert "elle est validée sur cette plateforme" in text["editor"]
        assert "Le fournisseur verra" in text["review"]
        assert "Confirmer\xa0: émettre cette injonction" in text["issue"]
        assert "Juge, juridiction ou juge d’instruction" in text["issue"]  # the validating judge's role
        assert "PAR-E2E-I18N" in text["search"]
        assert "Enregistrer le dossier" in text["case-edit"]
        assert "Fuseau horaire" in text["preferences"]

        page.select_option("#site-language", "de")
        page.locator("form[action$='/i18n/setlang/'] button").click()
        page.wait_for_load_state("load")
        text = _all_pages(page, base, pages, "de", phrases)
        assert "Erhalt der EPOC" in text["routes"]
        assert "Verordnung (EU) 2023/1543 Art. 10 Abs. 4" in text["routes"]
        assert "24/7-Netzwerk" in text["routes"]
        assert "Übermittlung der Daten am Ende der Frist" in text["request"]
        assert "die Sprachen angeben, die der Empfänger akzeptiert" in text["request"]
        assert "Fristen" in text["dashboard"]
        assert "die Anordnung muss vor dem Versand validiert werden" in text["editor"]
        assert "sie wird auf dieser Plattform validiert" in text["editor"]
        assert "Der Anbieter wird sehen" in text["review"]
        assert "Bestätigen: diese Anordnung erlassen" in text["issue"]
        assert "Richter, Gericht oder Ermittlungsrichter" in text["issue"]
        assert "PAR-E2E-I18N" in text["search"]
        assert "Den Fall speichern" in text["case-edit"]
        assert "Zeitzone" in text["preferences"]


def test_the_check_finds_english_legal_text() -> None:
    phrases = english_phrases()
    assert "The Protocol is in force on" in phrases
    assert "receipt of the EPOC" in phrases
    assert "may not issue this order alone: it must first be validated by" in phrases  # forms/authority.py
    assert "it is validated on this platform once you submit the draft for approval" in phrases
    assert "Judge, court or investigating judge" in phrases
