"""The receiving side in French and German: the inbox, an item in each capacity, the directory,
the statistics and the issuing side's request page show none of the catalogue's English texts."""

from __future__ import annotations

import html
import os
import re
from importlib.resources import files
from pathlib import Path

import pytest
from django.test import Client

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import OrganisationKind, Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request
from cyberspex.web.exchange.models import Delivery, DeliveryRole, Function
from tests.web.conftest import Org
from tests.web.exchange.conftest import organisation
from tests.web.exchange.test_emergency import accept, received, take_call
from tests.web.exchange.test_requested_party import answer, art8_order, complete, serve, to_requested_party
from tests.web.helpers import JUSTIFICATION, NOW, form_data, make_case, move, verified_session
from tests.web.pages.test_i18n import _entries

LOCALE = files("cyberspex") / "web" / "locale"


def english_texts(language: str) -> list[str]:
    """The catalogue's English texts of more than one word that the language translates otherwise,
    without their placeholders (the pieces between them)."""
    entries = _entries((LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))[1:]
    texts = set()
    for entry in entries:
        if entry.get("msgstr", entry.get("msgstr[0]")) == entry["msgid"]:
            continue
        pieces = (p.strip(" .,:;()") for p in re.split(r"%\([a-z_]+\)[.0-9]*[sdf]", entry["msgid"]))
        texts.update(p for p in pieces if p.count(" ") >= 2)
    return sorted(texts)


def visible_text(page: bytes) -> str:
    text = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page.decode())
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture
def exchanged(rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf) -> dict[str, tuple[Org, Role, str]]:
    """An Art 8 order served on the provider through the requested Party and answered, and an Art 7
    order delivered to the provider and its notified authority: each page and who opens it."""
    art8 = art8_order(rs, bfj, rehearsal)
    requested = to_requested_party(art8)
    complete(bfj, requested)
    served = serve(bfj, requested, provider_de)
    answer(provider_de, served)
    data = form_data("2ap-7-order", "DE")
    data["notification_made"] = True
    art7, _ = services.request_draft(
        user=rs[Role.PROSECUTOR],
        case_id=art8.case_id,
        form_id="2ap-7-order",
        data=data,
        now=NOW,
        what_if=rehearsal,
        recipient_organisation=provider_de.organisation.pk,
    )
    art7 = move(rs[Role.PROSECUTOR], art7, "issued")
    unchecked, _ = services.request_draft(
        user=rs[Role.PROSECUTOR],
        case_id=art8.case_id,
        form_id="2ap-8-order",
        data=form_data("2ap-8-order", "DE"),
        now=NOW,
        what_if=rehearsal,
        recipient_organisation=bfj.organisation.pk,
    )
    checklist = to_requested_party(move(rs[Role.PROSECUTOR], unchecked, "issued"))
    notified = Delivery.objects.get(request=art7, role=DeliveryRole.NOTIFIED)
    addressee = Delivery.objects.get(request=art7, role=DeliveryRole.ADDRESSEE)
    return {
        "inbox": (bfj, Role.NOTIFIED_AUTHORITY, "/inbox/"),
        "requested-party": (bfj, Role.NOTIFIED_AUTHORITY, f"/inbox/{requested.pk}/"),
        "checklist": (bfj, Role.NOTIFIED_AUTHORITY, f"/inbox/{checklist.pk}/"),
        "notified": (bfj, Role.NOTIFIED_AUTHORITY, f"/inbox/{notified.pk}/"),
        "addressee": (provider_de, Role.RESPONDER, f"/inbox/{addressee.pk}/"),
        "served": (provider_de, Role.RESPONDER, f"/inbox/{served.pk}/"),
        "directory": (provider_de, Role.RESPONDER, "/directory/"),
        "directory-entry": (provider_de, Role.RESPONDER, f"/directory/{bfj.organisation.pk}/"),
        "policy": (provider_de, Role.ADMINISTRATOR, "/directory/policy/"),
        "statistics": (bfj, Role.NOTIFIED_AUTHORITY, "/statistics/"),
        "request-art8": (rs, Role.PROSECUTOR, f"/requests/{art8.pk}/"),
        "request-art7": (rs, Role.PROSECUTOR, f"/requests/{art7.pk}/"),
    }


@pytest.fixture
def contact_de(db: None) -> Org:  # noqa: ARG001
    return organisation("c247", "BKA 24/7-Kontaktstelle", OrganisationKind.CONTACT_247, "DE", [Function.CONTACT_247])


@pytest.fixture
def urgent(rs: Org, contact_de: Org, provider_de: Org, rehearsal: WhatIf) -> dict[str, tuple[Org, Role, str]]:  # noqa: ARG001
    """An Art 9 emergency request checked by the 24/7 point of contact, another still to check, and
    an oral request: each page and who opens it."""
    case = make_case(rs[Role.PROSECUTOR])
    data = form_data("2ap-9-request", "DE")
    data["issuing_authority"]["name"] = "Guardia Civil"  # the example names its 24/7 point of contact in English

    def art9() -> Delivery:
        made, _ = services.request_draft(
            user=rs[Role.PROSECUTOR],
            case_id=case.pk,
            form_id="2ap-9-request",
            data=data,
            now=NOW,
            what_if=rehearsal,
            recipient_organisation=contact_de.organisation.pk,
        )
        return received(move(rs[Role.PROSECUTOR], made, "issued"))

    checked, to_check = art9(), art9()
    accept(contact_de, checked)
    oral = take_call(contact_de, caller_authority="Guardia Civil")
    contact = (contact_de, Role.CONTACT_247)
    return {
        "contact-inbox": (*contact, "/inbox/"),
        "emergency-check": (*contact, f"/inbox/{to_check.pk}/"),
        "hand-off": (*contact, f"/inbox/{checked.pk}/"),
        "oral-new": (*contact, "/inbox/oral/new/"),
        "oral-detail": (*contact, f"/inbox/oral/{oral.pk}/"),
        "keys": (contact_de, Role.ADMINISTRATOR, "/directory/keys/"),
        "request-art9": (rs, Role.PROSECUTOR, f"/requests/{checked.request_id}/"),
    }


def english_on(pages: dict[str, tuple[Org, Role, str]], language: str) -> dict[str, list[str]]:
    """The catalogue's English texts found on each page opened in ``language``."""
    texts = english_texts(language)
    found = {}
    for name, (org, role, url) in pages.items():
        browser = Client(headers={"accept-language": language})
        verified_session(browser, org[role])
        if url.startswith("/requests/"):
            case_id = Request.objects.get(pk=int(url.split("/")[2])).case_id
            browser.post(f"/cases/{case_id}/", {"justification": JUSTIFICATION})
        page = browser.get(url)
        assert page.status_code == 200, (name, page.status_code)
        text = visible_text(page.content)
        if folder := os.environ.get("I18N_PAGES"):  # to read the pages' text
            (Path(folder) / f"{language}-{name}.txt").write_text(text, encoding="utf-8")
        english = [t for t in texts if t in text]
        if english:
            found[name] = english
    return found


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_receiving_side_shows_no_english_text_of_the_catalogue(
    exchanged: dict[str, tuple[Org, Role, str]], language: str
) -> None:
    assert english_on(exchanged, language) == {}


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_24_7_point_of_contacts_pages_show_no_english_text_of_the_catalogue(
    urgent: dict[str, tuple[Org, Role, str]], language: str
) -> None:
    assert english_on(urgent, language) == {}
