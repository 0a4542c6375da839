"""The curation pages: a curator proposes through a form showing the current value and its source,
cannot review their own change (the page says why), another curator publishes; imports report
each bad row; stale values link to a proposal.

The treaty facts are hypothetical (France has signed CETS 224, not ratified it)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cyberspex.web.accounts.models import Role
from cyberspex.web.knowledge import curation
from cyberspex.web.knowledge.curation_facts import Fact, propose_fact
from cyberspex.web.knowledge.models import Change, ChangeStatus, Version
from tests.web.conftest import Org
from tests.web.helpers import NOW, verified_session

SOURCE_URL = "https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=224"
FORM = {
    "date": "2026-03-01",
    "kind": "ratification",
    "source_url": SOURCE_URL,
    "source_title": "CoE Treaty Office chart, CETS 224",
    "source_kind": "official",
    "as_of": "2026-03-02",
    "verified_by": "S. Rossi",
    "reason": "instrument deposited (hypothetical, for the tests)",
}
PROPOSE = "/curation/propose/?state=FR&treaty=cets224&what=consent"


@pytest.fixture
def curators(fr: Org, de: Org) -> tuple[User, User]:
    return fr[Role.CURATOR], de[Role.CURATOR]


def _as(user: User) -> Client:
    client = Client()
    verified_session(client, user)
    return client


def _proposed(user: User) -> Change:
    source = curation.SourceInput(SOURCE_URL, "chart", "official", date(2026, 3, 2), "S. Rossi", "deposit")
    fact = Fact(state="FR", treaty="cets224", what="consent", date=date(2026, 3, 1), kind="ratification")
    return propose_fact(user, fact=fact, source=source, now=NOW)


def test_the_propose_form_shows_the_current_value_and_its_source(curators: tuple[User, User]) -> None:
    page = _as(curators[0]).get(PROPOSE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "value: signatory" in text
    assert "Its source:" in text


def test_a_curator_proposes_through_the_form(curators: tuple[User, User]) -> None:
    answer = _as(curators[0]).post(PROPOSE, FORM)
    change = Change.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/curation/changes/{change.pk}/"
    assert (change.status, change.path) == (ChangeStatus.PROPOSED, "cets224")


def test_the_form_names_every_problem_of_an_invalid_proposal(curators: tuple[User, User]) -> None:
    answer = _as(curators[0]).post(PROPOSE, {**FORM, "date": "2026-05-01"})
    assert answer.status_code == 422
    assert "later than the as_of date of its source" in answer.content.decode()
    assert not Change.objects.exists()


def test_on_their_own_change_a_curator_sees_publish_disabled_with_the_reason(curators: tuple[User, User]) -> None:
    change = _proposed(curators[0])
    page = _as(curators[0]).get(f"/curation/changes/{change.pk}/").content.decode()
    assert "another curator must review it" in page
    assert 'disabled aria-describedby="own-reason"' in page
    refused = _as(curators[0]).post(f"/curation/changes/{change.pk}/publish/")
    assert refused.status_code == 403
    assert "another curator must review it" in refused.content.decode()


def test_another_curator_publishes_from_the_page_and_the_history_shows_it(curators: tuple[User, User]) -> None:
    change = _proposed(curators[0])
    reviewer = _as(curators[1])
    assert reviewer.post(f"/curation/changes/{change.pk}/publish/", {"reason": "checked"}).status_code == 302
    assert Version.objects.get().published_by == curators[1]
    history = reviewer.get("/curation/versions/").content.decode()
    assert "Version 1" in history
    assert f"Published by {curators[1].username}" in history
    assert "+  value: party" in history


def test_the_queue_lists_proposed_changes_and_filters_by_state(curators: tuple[User, User]) -> None:
    change = _proposed(curators[0])
    client = _as(curators[1])
    assert change.summary in client.get("/curation/").content.decode()
    assert change.summary not in client.get("/curation/?state=DE").content.decode()


def test_someone_who_is_not_a_curator_is_refused(fr: Org) -> None:
    answer = _as(fr[Role.PROSECUTOR]).get("/curation/")
    assert answer.status_code == 403
    assert "only a reference-data curator" in answer.content.decode()


def test_an_import_with_a_bad_row_shows_each_rows_problems_and_stores_nothing(curators: tuple[User, User]) -> None:
    text = (
        "state,treaty,what,date,kind,source_url,source_title,source_kind,as_of,verified_by,reason\n"
        f"XX,cets224,consent,2026-03-01,ratification,{SOURCE_URL},chart,official,2026-03-02,S. Rossi,r\n"
    )
    upload = SimpleUploadedFile("rows.csv", text.encode(), content_type="text/csv")
    answer = _as(curators[0]).post("/curation/import/", {"file": upload})
    assert answer.status_code == 400
    assert "state: &#x27;XX&#x27; is not a State the reference data has a record of" in answer.content.decode()
    assert not Change.objects.exists()


def test_stale_values_are_listed_with_a_link_to_propose_an_update(curators: tuple[User, User]) -> None:
    page = _as(curators[0]).get("/curation/stale/", {"days": "365"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "stale: as of" in text
    assert "/curation/propose/?state=" in text


def test_a_window_that_is_not_a_number_of_days_is_refused(curators: tuple[User, User]) -> None:
    assert _as(curators[0]).get("/curation/stale/", {"days": "soon"}).status_code == 400
