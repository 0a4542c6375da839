"""The public front door (web/public): ``/`` explains the platform to a visitor, ``/advisor/``
answers the route question without a log-in and without personal data, ``/help/`` and
``/glossary/`` explain; a member at ``/`` sees the dashboard."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from cyberspex.web.accounts.models import Role
from cyberspex.web.public.glossary import TERMS
from tests.web.conftest import Org
from tests.web.pages.conftest import logged_in

QUESTION = {"issuing": "FR", "provider_state": "DE", "category": "traffic", "measure": "production"}
# What the advisor may ask: States, the data and measure, an emergency, a date, the threshold, what-if.
ALLOWED_FIELDS = {
    "issuing",
    "provider_state",
    "category",
    "measure",
    "offence_threshold",
    "emergency",
    "as_of",
    "assume_in_force",
    "assume_ratified",
}


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()  # the advisor's per-address counts
    yield
    cache.clear()


def _fields(page: str) -> set[str]:
    form = page[page.index('<form method="get" action="/advisor/"') : page.index("</form>", page.index('action="/advisor/"'))]
    return set(re.findall(r'name="([^"]+)"', form))


def test_a_visitor_at_the_root_sees_what_the_platform_is_and_the_way_to_the_advisor(browser: Client) -> None:
    response = browser.get("/")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    for part in ("Route advisor", "Forms", "Case platform", "Inboxes", "Knowledge portal"):
        assert f"<dt>{part}</dt>" in page
    assert '<a class="button" href="/advisor/">Ask the route advisor</a>' in page
    assert 'href="/accounts/login/"' in page
    assert "Open cases" not in page
    assert "/calendar/new/" not in page


def test_a_member_at_the_root_sees_the_dashboard(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.PROSECUTOR])
    page = browser.get("/").content.decode()
    assert "Ask the route advisor" not in page
    assert "/calendar/new/" in page


def test_the_advisor_answers_a_visitor_with_the_verdict_and_asks_no_personal_data(browser: Client) -> None:
    empty = browser.get("/advisor/")
    assert empty.status_code == 200
    assert _fields(empty.content.decode()) == ALLOWED_FIELDS

    response = browser.get("/advisor/", QUESTION)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert _fields(page) == ALLOWED_FIELDS
    assert "From France to a provider in Germany" in page
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Recommended route: European Investigation Order (EIO)" in text  # the EPOC waits on the threshold
    assert "European Production Order Certificate (EPOC) Conditional" in text
    assert "/requests/new/" not in page

    met = html.unescape(browser.get("/advisor/", {**QUESTION, "offence_threshold": "met"}).content.decode())
    verdict = met[met.index('<section class="verdict') : met.index("</section>", met.index('<section class="verdict'))]
    assert "European Production Order Certificate (EPOC)" in verdict
    assert '<a class="button" href="/accounts/login/">Log in to draft this order</a>' in verdict
    assert "/requests/new/" not in met
    assert '<details class="unavailable">' in page


def test_the_advisor_takes_the_date_the_threshold_and_the_what_if_switches(browser: Client) -> None:
    query = {**QUESTION, "as_of": "2027-01-15", "offence_threshold": "met", "assume_in_force": "on", "assume_ratified": "FR"}
    page = html.unescape(browser.get("/advisor/", query).content.decode())
    assert "on 2027-01-15" in page
    assert "What-if, for planning:" in page
    assert "qualifies is not stated" not in page


def test_a_bad_question_is_answered_next_to_its_field(browser: Client) -> None:
    response = browser.get("/advisor/", {**QUESTION, "issuing": "XX"})
    assert response.status_code == 422
    assert 'id="id_issuing_error"' in response.content.decode()


@override_settings(PUBLIC_ADVISOR_PER_MINUTE=2)
def test_the_advisor_limits_the_questions_of_one_address_and_keeps_the_question(browser: Client, fr: Org) -> None:
    assert browser.get("/advisor/", QUESTION).status_code == 200
    assert browser.get("/advisor/", QUESTION).status_code == 200
    refused = browser.get("/advisor/", QUESTION)
    assert refused.status_code == 429
    page = html.unescape(refused.content.decode())
    assert "Too many questions from your address" in page
    assert '<option value="DE" selected>' in page  # the question stays as typed
    assert browser.get("/advisor/").status_code == 200  # the empty form is not a question
    assert Client(REMOTE_ADDR="192.0.2.9").get("/advisor/", QUESTION).status_code == 200  # another address
    logged_in(browser, fr[Role.PROSECUTOR])
    assert browser.get("/advisor/", QUESTION).status_code == 200  # members are not counted


def test_the_glossary_cites_a_provision_for_every_term_and_marks_the_unverified(browser: Client) -> None:
    page = html.unescape(browser.get("/glossary/").content.decode())
    for term in TERMS:
        entry = page[page.index(f'<dt id="{term.slug}">') :]
        entry = entry[: entry.index("</dd>")]
        assert f"[{term.citation}]" in entry
        assert ("unverified" in entry) is not term.verified
    for word in ("EPOC-PR", "Enforcing State", "Designated establishment", "Legal representative", "24/7 network"):
        assert word in page
    assert "Mutual legal assistance (MLA)" in page
    assert "European Investigation Order (EIO)" in page


def test_the_help_page_explains_the_steps_and_the_layout_links_the_public_pages(browser: Client) -> None:
    page = html.unescape(browser.get("/help/").content.decode())
    assert "How to use the platform" in page
    assert page.count("<li>") >= 9
    footer = page[page.index('<footer class="site-footer">') :]
    for address in ("/advisor/", "/help/", "/glossary/", "/api/v1/docs"):
        assert f'href="{address}"' in footer


def test_the_glossary_writes_its_citations_the_way_the_pages_language_does(browser: Client) -> None:
    page = html.unescape(browser.get("/glossary/", headers={"accept-language": "de"}).content.decode())
    assert "[Verordnung (EU) 2023/1543 Art. 3 Abs. 2; Anhang II]" in page
    assert "[SEV 224 Art. 7 Abs. 5 Buchst. a und Art. 7 Abs. 5 Buchst. e]" in page
    assert "Regulation (EU)" not in page


def test_the_verdict_names_the_instrument_in_the_pages_language(browser: Client) -> None:
    page = html.unescape(browser.get("/advisor/", QUESTION, headers={"accept-language": "fr"}).content.decode())
    verdict = page[page.index('<section class="verdict') : page.index("</section>", page.index('<section class="verdict'))]
    assert "(directive 2014/41/UE)" in verdict
    assert "Directive 2014/41/EU" not in verdict
