"""Route advice with an emergency: the kind is chosen on the page (none / life /
infrastructure), the first steps in an emergency are shown, in English and in French."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from django.test import Client

from cyberspex.web.accounts.models import Role
from tests.web.conftest import Org
from tests.web.helpers import make_case
from tests.web.pages.conftest import consult, logged_in

TO_US = {"provider_state": "US", "category": "subscriber", "measure": "production"}


def _textarea(page: str) -> dict[str, Any]:
    match = re.search(r'<textarea id="id_form_data"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert match is not None
    return dict(json.loads(html.unescape(match.group(1))))


def test_the_form_offers_no_emergency_a_threat_to_life_or_to_critical_infrastructure(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    page = browser.get(f"/cases/{case.pk}/routes/").content.decode()
    assert '<select name="emergency"' in page
    for value in ('value=""', 'value="life"', 'value="infrastructure"'):
        assert value in page
    assert "Threat to a critical infrastructure" in page


def test_in_an_emergency_the_page_names_the_fast_channels_to_use_first(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    page = html.unescape(browser.get(f"/cases/{case.pk}/routes/", {**TO_US, "emergency": "life"}).content.decode())
    assert "First steps in an emergency" in page
    assert "The recommended route (bc-31) has no emergency procedure: use these fast channels first." in page
    assert "24/7 network" in page
    assert "[ETS 185 Art 35(1)]" in page
    assert "[18 U.S.C. § 2702(b)(8)]" in page
    assert page.index("First steps in an emergency") < page.index('id="route-eu-epoc"')

    calm = browser.get(f"/cases/{case.pk}/routes/", TO_US).content.decode()
    assert "First steps in an emergency" not in calm


def test_when_the_recommended_route_has_an_emergency_procedure_the_fast_channels_are_still_listed(
    browser: Client, fr: Org
) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    query = {"provider_state": "DE", "category": "subscriber", "measure": "production", "emergency": "life"}
    page = html.unescape(browser.get(f"/cases/{case.pk}/routes/", query).content.decode())
    assert "These fast channels exist whatever the route." in page
    assert "has no emergency procedure" not in page
    assert "[ETS 185 Art 35(1)]" in page


def test_an_infrastructure_emergency_closes_article_9_with_its_reason(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    query = {**TO_US, "category": "content", "emergency": "infrastructure", "assume_in_force": "on", "assume_ratified": "US"}
    page = html.unescape(browser.get(f"/cases/{case.pk}/routes/", query).content.decode())
    assert "critical infrastructure alone is not one" in page
    assert "[CETS 224 Art 3(2)(c)]" in page


def test_a_bad_kind_of_emergency_is_reported_next_to_its_field(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    response = browser.get(f"/cases/{case.pk}/routes/", {**TO_US, "emergency": "on"})
    assert response.status_code == 422
    assert 'id="id_emergency_error"' in response.content.decode()


def test_the_kind_of_emergency_reaches_the_draft(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    consult(browser, case.pk)
    route = {"provider_state": "DE", "category": "subscriber", "measure": "production", "emergency": "infrastructure"}
    skeleton = _textarea(browser.get(f"/cases/{case.pk}/requests/new/", {"form": "eu-epoc", **route}).content.decode())
    assert skeleton["emergency"] == "infrastructure"
    assert skeleton["deadline"] == {"hours": 8}


def test_the_emergency_advice_is_in_french(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    page = browser.get(f"/cases/{case.pk}/routes/", {**TO_US, "emergency": "life"}, headers={"accept-language": "fr"})
    text = html.unescape(page.content.decode())
    assert "Premières démarches en cas d’urgence" in text
    assert "Menace pour une infrastructure critique" in text
    assert "La voie recommandée (bc-31) n’a pas de procédure d’urgence" in text
