"""The route advice answers first (web/cases/advice.py, templates/cases/_advice.html): a verdict
with the recommended route, why, the main deadline and what must happen first, and the button to
draft it carrying every choice made; then the open routes side by side, the closed ones folded
with a one-line reason, the full reasoning one click away; no command-line wording anywhere."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from django.test import Client

from cyberspex.web.accounts.models import Role
from tests.web.conftest import Org
from tests.web.helpers import make_case
from tests.web.pages.conftest import logged_in

TRAFFIC_TO_DE = {"provider_state": "DE", "category": "traffic", "measure": "production"}


def _page(browser: Client, fr: Org, query: dict[str, str]) -> tuple[str, int]:
    case = make_case(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.PROSECUTOR])
    response = browser.get(f"/cases/{case.pk}/routes/", query)
    assert response.status_code == 200
    return html.unescape(response.content.decode()), case.pk


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_the_verdict_names_the_route_why_its_deadline_and_what_must_happen_first(browser: Client, fr: Org) -> None:
    page, _case = _page(browser, fr, {**TRAFFIC_TO_DE, "offence_threshold": "met"})
    verdict = _text(_section(page, '<section class="verdict', "</section>"))
    assert "Recommended route: European Production Order Certificate (EPOC) Available" in verdict
    assert "Why: Binding order served directly on the provider's EU addressee" in verdict  # ranking.yaml
    assert re.search(r"Main deadline: 10 days \(data transmitted .*from receipt of the EPOC\)", verdict)
    assert "[Regulation (EU) 2023/1543 Art 10(" in verdict
    # First: the Art 4(2) validation, the notification of the enforcing authority, the EU addressee.
    assert "not a public prosecutor" in verdict
    assert "[Regulation (EU) 2023/1543 Art 4(2)]" in verdict
    assert "Notify: May apply For traffic or content data the EPOC goes to the enforcing authority of Germany (DE)" in verdict
    assert "designated establishment or legal representative in Germany (DE)" in verdict
    assert page.index('class="verdict') < page.index('class="compare"') < page.index('class="route-form"')


def test_the_draft_button_carries_the_threshold_the_emergency_and_the_what_if_switches(browser: Client, fr: Org) -> None:
    query = {**TRAFFIC_TO_DE, "offence_threshold": "met", "assume_in_force": "on", "assume_ratified": "FR"}
    page, case_id = _page(browser, fr, query)
    verdict = _section(page, '<section class="verdict', "</section>")
    link = re.search(r'<a class="button" href="([^"]+)">Draft this order</a>', verdict)
    assert link is not None
    address = urlsplit(link.group(1))
    assert address.path == f"/cases/{case_id}/requests/new/"
    assert parse_qs(address.query) == {
        "form": ["eu-epoc"],
        "provider_state": ["DE"],
        "category": ["traffic"],
        "measure": ["production"],
        "offence_threshold": ["met"],
        "assume_in_force": ["on"],
        "assume_ratified": ["FR"],
    }
    draft = browser.get(link.group(1))
    assert draft.status_code == 200  # the guided editor, pre-filled from this advice
    assert 'name="assume_ratified" value="FR"' in draft.content.decode()


def test_a_conditional_verdict_says_what_it_depends_on(browser: Client, fr: Org) -> None:
    page, _case = _page(browser, fr, {"provider_state": "CN", "category": "subscriber", "measure": "production"})
    verdict = _text(_section(page, '<section class="verdict', "</section>"))
    assert "Conditional" in verdict
    assert "Only if: this route depends on facts the reference data do not record:" in verdict
    assert "the reference data does not record bilateral treaties" in verdict


def test_the_open_routes_are_compared_in_a_table_and_the_closed_ones_are_folded_with_a_reason(browser: Client, fr: Org) -> None:
    page, _case = _page(browser, fr, TRAFFIC_TO_DE)
    table = _section(page, '<table class="compare">', "</table>")
    headers = re.findall(r'<th scope="col">([^<]*)<', table)
    assert headers == ["Route", "Status", "Deadline", "What is needed", "Data categories (forms)", ""]  # last: next step
    rows = re.findall(r'<th scope="row">([^<]*)', table)
    assert rows[0].strip() == "European Production Order Certificate (EPOC)"  # the ranking's order
    assert "European Investigation Order (EIO)" in [r.strip() for r in rows]
    assert "Issuing or validating authority" in table
    assert "Traffic data" in table

    folded = _section(page, '<details class="unavailable">', "</details>")
    assert re.search(r"<summary>\d+ routes are not available</summary>", folded)
    assert "<strong>Order for subscriber information to a provider (Art 7)</strong>: " in folded
    assert "disconnection clause" in folded  # its one-line reason
    assert "Order for subscriber information to a provider (Art 7)" not in table

    reasoning = _section(page, '<details class="reasoning">', "</details>\n</section>")
    assert reasoning.count('<article class="route') == 12


def test_no_web_page_shows_command_line_wording(browser: Client, fr: Org) -> None:
    page, case_id = _page(browser, fr, {**TRAFFIC_TO_DE, "offence_threshold": ""})  # the threshold stated as not known
    assert "qualifies is not stated" in page
    pages = {
        "route advice": page,
        "draft": browser.get(f"/cases/{case_id}/requests/new/", {**TRAFFIC_TO_DE, "form": "eu-epoc"}).content.decode(),
        "form picker": browser.get(f"/cases/{case_id}/requests/new/").content.decode(),
        "dashboard": browser.get("/").content.decode(),
        "case": browser.get(f"/cases/{case_id}/").content.decode(),
        "advisor": browser.get("/advisor/", {"issuing": "FR", **TRAFFIC_TO_DE}).content.decode(),
        "help": browser.get("/help/").content.decode(),
        "glossary": browser.get("/glossary/").content.decode(),
    }
    for name, content in pages.items():
        visible = _text(re.sub(r"<(script|style)\b.*?</\1>", "", html.unescape(content), flags=re.S))
        assert not re.findall(r"(?<![\w-])--[a-z][\w-]*", visible), name
        assert "cyberspex route" not in visible, name
