"""/what-if/: a public page with the form, the counts, the heat map with its table and the
changed rows, each linked to the advisor; bad input shown in the form with the API's messages."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

AS_OF = "2026-11-28"
EU_IN_FORCE = {"ratified": "all-eu", "in_force": "true", "as_of": AS_OF, "data": "subscriber"}

pytestmark = pytest.mark.django_db


def _page(params: dict[str, str] | None = None) -> tuple[int, str]:
    response = Client().get("/what-if/", params or {})
    return response.status_code, html.unescape(response.content.decode())


def test_a_visitor_sees_the_question_and_is_told_the_first_answer_may_take_a_few_seconds() -> None:
    status, page = _page()
    assert status == 200
    assert 'name="ratified"' in page
    assert 'name="in_force"' in page
    assert "may take a few seconds" in page
    assert "Changes per route" not in page


def test_the_eu_signatories_case_shows_counts_the_heat_map_its_table_and_rows_explained_in_the_advisor() -> None:
    status, page = _page(EU_IN_FORCE)
    assert status == 200
    assert "Changes per route" in page
    assert re.search(r"<code>2ap-7</code></th><td>[1-9]\d*</td>", page)
    assert '<svg class="heat" id="what-if-heat" role="img"' in page
    assert '<table class="heat-table">' in page
    assert "Explain in the advisor" in page
    link = re.search(r'href="(/advisor/\?[^"]+)"', page)
    assert link is not None
    advisor = Client().get(link.group(1))
    assert advisor.status_code == 200


def test_the_list_of_changed_rows_is_paginated() -> None:
    _, first = _page(EU_IN_FORCE)
    assert re.search(r"Rows 1 to 50 of \d+", first)
    assert "page=2" in first
    status, second = _page({**EU_IN_FORCE, "page": "2"})
    assert status == 200
    assert "Rows 51 to" in second


def test_bad_input_is_shown_in_the_form_with_the_same_messages_as_the_api() -> None:
    status, page = _page({"ratified": "FR,QQ", "in_force": "maybe"})
    assert status == 400
    assert "unknown State codes: 'QQ'" in page
    assert "in_force must be true or false, not 'maybe'" in page
    api = Client().get("/api/v1/what-if", {"ratified": "FR,QQ", "in_force": "maybe"}).json()
    assert {e["message"] for e in api["extra"]["errors"]} <= set(re.findall(r"<li>([^<]+)</li>", page))


class DefaultSubmission(HTMLParser):
    """What a browser sends when the page's form is submitted as it comes: each text box's value,
    each select's selected option (else its first), no unticked checkbox."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.required: set[str] = set()
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name") or ""
        if tag == "input" and found.get("type") not in {"checkbox", "hidden"} and name:
            self.values[name] = found.get("value") or ""
            if "required" in found:
                self.required.add(name)
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and (self._select not in self.values or "selected" in found):
            self.values[self._select] = found.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def test_the_form_submitted_as_it_comes_answers_for_every_signatory_and_the_box_is_required() -> None:
    form = DefaultSubmission()
    form.feed(_page()[1])
    assert form.values["ratified"] == "all-signatories"
    assert "ratified" in form.required
    status, page = _page(form.values)
    assert status == 200
    assert "Changes per route" in page


def test_an_empty_question_is_refused_in_the_form() -> None:
    status, page = _page({"ratified": "", "in_force": "true"})
    assert status == 400
    assert "give the States to treat as Parties" in page


def test_without_in_force_the_page_explains_that_nothing_changes_on_the_date() -> None:
    status, page = _page({"ratified": "all-eu", "as_of": AS_OF, "data": "subscriber"})
    assert status == 200
    assert "would enter into force on" in page
    assert "on the date itself nothing changes" in page
