"""The request page of a what-if draft does not offer to issue it on a normal instance and says
why; on an exercise instance the page and every document of the request say
"EXERCISE — not a legal order" (in French: "EXERCICE — sans valeur juridique")."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client
from pypdf import PdfReader

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases.models import Request
from tests.web.conftest import Org
from tests.web.helpers import make_case, make_request, move
from tests.web.pages.conftest import logged_in

MARK = "EXERCISE — not a legal order"
MARK_FR = "EXERCICE — sans valeur juridique"


def what_if_draft(org: Org) -> Request:
    prosecutor = org[Role.PROSECUTOR]
    return make_request(prosecutor, make_case(prosecutor), what_if=WhatIf(assume_in_force=True))


def test_the_page_of_a_what_if_draft_offers_no_issue_button_and_says_why(browser: Client, fr: Org) -> None:
    draft = what_if_draft(fr)
    page = logged_in(browser, fr[Role.PROSECUTOR]).get(f"/requests/{draft.pk}/").content.decode()
    assert f"/requests/{draft.pk}/issue/" not in page
    assert 'value="withdrawn"' in page
    assert "it was made under what-if assumptions, for planning only" in page
    assert MARK in page


def test_posting_the_issue_of_a_what_if_draft_on_the_page_is_refused_with_the_reason(browser: Client, fr: Org) -> None:
    draft = what_if_draft(fr)
    logged_in(browser, fr[Role.PROSECUTOR])
    assert browser.post(f"/requests/{draft.pk}/transition/", {"state": "issued"})["Location"] == f"/requests/{draft.pk}/issue/"
    response = browser.post(f"/requests/{draft.pk}/issue/", {"confirm": "on", "note": ""})
    assert response.status_code == 409
    assert "cannot be submitted for approval or issued on this instance" in response.content.decode()


def test_the_page_of_a_draft_made_without_what_if_offers_the_issue_button_and_no_exercise_mark(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor))
    page = logged_in(browser, prosecutor).get(f"/requests/{draft.pk}/").content.decode()
    assert f"/requests/{draft.pk}/issue/" in page
    assert MARK not in page


@pytest.mark.usefixtures("exercise_instance")
def test_on_an_exercise_instance_the_page_offers_the_issue_button_and_carries_the_exercise_mark(browser: Client, fr: Org) -> None:
    draft = what_if_draft(fr)
    page = logged_in(browser, fr[Role.PROSECUTOR]).get(f"/requests/{draft.pk}/").content.decode()
    assert f"/requests/{draft.pk}/issue/" in page
    assert MARK in page


@pytest.mark.usefixtures("exercise_instance")
def test_every_document_of_an_issued_exercise_says_it_is_not_a_legal_order(browser: Client, fr: Org) -> None:
    issued = move(fr[Role.PROSECUTOR], what_if_draft(fr), "issued")
    base = f"/requests/{issued.pk}/packages"
    logged_in(browser, fr[Role.PROSECUTOR])
    pdf = PdfReader(io.BytesIO(browser.get(f"{base}/provider.pdf").content))
    assert all(MARK in page.extract_text() for page in pdf.pages)
    with zipfile.ZipFile(io.BytesIO(browser.get(f"{base}/authority.docx").content)) as docx:
        assert MARK in docx.read("word/document.xml").decode()
        assert any(MARK in docx.read(name).decode() for name in docx.namelist() if name.startswith("word/header"))
    assert MARK in browser.get(f"{base}/full.html").content.decode()
    assert json.loads(browser.get(f"{base}/provider.json").content)["exercise"] == MARK
    assert MARK_FR in browser.get(f"{base}/full.html", {"lang": "fr"}).content.decode()


@pytest.mark.usefixtures("exercise_instance")
def test_the_french_page_of_an_exercise_carries_the_french_mark(browser: Client, fr: Org) -> None:
    draft = what_if_draft(fr)
    page = logged_in(browser, fr[Role.PROSECUTOR]).get(f"/requests/{draft.pk}/", headers={"accept-language": "fr"})
    assert MARK_FR in page.content.decode()


@pytest.mark.usefixtures("exercise_instance")
def test_on_an_exercise_instance_a_request_drafted_without_what_if_is_stamped_too(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    issued = move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "issued")
    page = logged_in(browser, prosecutor).get(f"/requests/{issued.pk}/").content.decode()
    assert MARK in page
    assert "This instance is in exercise mode: nothing issued on it is a legal order." in page
    assert "drafted under what-if assumptions" not in page
    base = f"/requests/{issued.pk}/packages"
    assert all(MARK in p.extract_text() for p in PdfReader(io.BytesIO(browser.get(f"{base}/provider.pdf").content)).pages)
    assert json.loads(browser.get(f"{base}/provider.json").content)["exercise"] == MARK
