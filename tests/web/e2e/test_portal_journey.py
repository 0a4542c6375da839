"""The knowledge portal in a real browser (Playwright driving Debian's Chromium):

| step | who      | does                                                                             |
|------|----------|----------------------------------------------------------------------------------|
| 1    | visitor  | opens the treaty status page: the map of Europe, its legend and the table beside it |
| 2    | visitor  | follows Serbia on the map to its State profile                                   |
| 3    | visitor  | runs a what-if: all EU signatories as Parties, the Protocol in force              |
| 4    | visitor  | asks the route advisor Serbia -> Hungary, subscriber data: Article 7 is not open  |
| 5    | curator  | proposes that France ratified CETS 224, with its source                           |
| 6    | curator  | cannot publish their own change                                                  |
| 7    | curator2 | reviews the change and publishes it                                              |
| 8    | visitor  | asks the same question again: Article 7 is now open                              |

The data are the shipped ones plus one change published before the journey (Germany's
consent, hypothetical): with France's, five consents bring the Protocol into force (Art 16(3)),
so the publication in step 7 is what opens the route. Screenshots go to /tmp/portal-shots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from cyberspex.web.accounts.models import Organisation, OrganisationKind, Role
from cyberspex.web.knowledge import curation
from cyberspex.web.knowledge.curation_facts import Fact, propose_fact
from tests.web.concurrency import empty_audit_trail
from tests.web.e2e.browser import new_page
from tests.web.e2e.test_main_journey import _person, arrive
from tests.web.e2e.test_provider_journey import log_in

VIEWPORT = {"width": 1280, "height": 900}
SHOTS = Path("/tmp/portal-shots")  # noqa: S108  # where a person looks at the pages afterwards
ART_7 = re.compile(r"Article 7\b|Art(?:icle)?\.? 7\b")


@pytest.fixture
def curators(transactional_db: None) -> Iterator[dict[str, bytes]]:  # noqa: ARG001  # the live server needs committed data
    secretariat = Organisation.objects.create(name="Secretariat (e2e)", kind=OrganisationKind.SECRETARIAT, country="FR")
    keys = {name: _person(name, Role.CURATOR, secretariat) for name in ("curator", "curator2")}
    source = curation.SourceInput(
        url="https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=224",
        title="CoE Treaty Office chart, CETS 224",
        kind="official",
        as_of=date(2026, 3, 2),
        verified_by="J. Novak",
        reason="instrument deposited (hypothetical, for the journey)",
    )
    germany = Fact(state="DE", treaty="cets224", what="consent", date=date(2026, 3, 2), kind="ratification")
    change = propose_fact(User.objects.get(username="curator2"), fact=germany, source=source, now=timezone.now())
    curation.publish(User.objects.get(username="curator"), change_id=change.pk, now=timezone.now())
    yield keys
    empty_audit_trail()


@pytest.fixture
def page() -> Iterator[Any]:
    with new_page(locale="en-GB", viewport=VIEWPORT) as opened:
        yield opened


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_routes(page: Any, base: str) -> str:
    """The advisor's table of open routes, Serbia to a provider in Hungary, subscriber data."""
    page.goto(f"{base}/advisor/")
    page.select_option("#id_issuing", "RS")
    page.select_option("#id_provider_state", "HU")
    page.select_option("#id_category", "subscriber")
    page.get_by_role("button", name="Show the routes").click()
    arrive(page, re.compile(r".*/advisor/\?.*"))
    compared = page.locator("section[aria-labelledby='compared-heading']")
    return compared.inner_text() if compared.count() else ""


def test_a_visitor_reads_the_portal_and_a_publication_by_a_second_curator_changes_the_advice(
    curators: dict[str, bytes], live_server: Any, page: Any
) -> None:
    base = live_server.url

    # 1. The treaty map, its legend and the accessible table beside it.
    page.goto(f"{base}/treaties/")
    page.get_by_role("heading", level=1).wait_for()
    serbia = page.locator("svg a[href$='/states/RS/']").first
    assert serbia.count() == 1, "the map links Serbia to its State profile"
    assert page.locator("table").count() >= 1
    shot(page, "1-treaty-map")

    # 2. Serbia's profile, from the map.
    serbia.click()
    arrive(page, re.compile(r".*/states/RS/$"))
    assert "Serbia" in page.inner_text("main")
    shot(page, "2-state-profile")

    # 3. What if every EU signatory were a Party and the Protocol in force?
    page.goto(f"{base}/what-if/")
    page.fill("#id_ratified", "all-eu")
    page.select_option("#id_in_force", "true")
    page.get_by_role("button", name="Compare with today").click()
    arrive(page, re.compile(r".*/what-if/\?.*"))
    page.locator("svg").first.wait_for(timeout=60000)
    assert re.search(r"Article 7|2ap-7", page.inner_text("main"))
    shot(page, "3-what-if")

    # 4. Today, Article 7 is not among the open routes: the Protocol is not in force.
    before = open_routes(page, base)
    assert not ART_7.search(before), before
    shot(page, "4-advice-before")

    # 5. The first curator proposes France's ratification, with its source.
    log_in(page, base, "curator", curators["curator"])
    page.goto(f"{base}/curation/propose/")
    page.select_option("#id_state", "FR")
    page.select_option("#id_treaty", "cets224")
    page.select_option("#id_what", "consent")
    page.get_by_role("button", name="Show the current value").click()
    page.fill("#id_date", "2026-03-01")
    page.select_option("#id_kind", "ratification")
    page.fill("#id_source_url", "https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=224")
    page.fill("#id_source_title", "CoE Treaty Office chart, CETS 224")
    page.select_option("#id_source_kind", "official")
    page.fill("#id_as_of", "2026-03-02")
    page.fill("#id_verified_by", "S. Rossi")
    page.fill("#id_reason", "Instrument of ratification deposited (hypothetical, for the journey)")
    shot(page, "5-propose")
    page.get_by_role("button", name="Propose").click()
    arrive(page, re.compile(r".*/curation/changes/\d+/$"))
    change_url = page.url

    # 6. The proposer cannot publish their own change: the button is disabled and says why.
    assert page.get_by_role("button", name="Publish").is_disabled()
    shot(page, "6-own-change")

    # 7. The second curator reviews and publishes it.
    page.context.clear_cookies()
    log_in(page, base, "curator2", curators["curator2"])
    page.goto(change_url)
    page.get_by_role("button", name="Publish").click()
    page.get_by_text(re.compile(r"[Pp]ublished")).first.wait_for()
    shot(page, "7-published")

    # 8. The advisor's answer changes at once: Article 7 is open.
    page.context.clear_cookies()
    after = open_routes(page, base)
    assert ART_7.search(after), after
    shot(page, "8-advice-after")
