"""The pages and documents in German: the catalogue is complete and compiled, the switcher
offers it, and a request to a provider in Germany has its documents in German."""

from __future__ import annotations

import gettext
import html

from django.test import Client

from cyberspex.web.accounts.models import Role
from tests.web.conftest import Org
from tests.web.helpers import make_case, make_request, move
from tests.web.pages.conftest import logged_in
from tests.web.pages.test_i18n import CATALOGUE, _entries

GERMAN = CATALOGUE.parent.parent / "de" / "LC_MESSAGES"


def test_the_german_and_french_catalogues_are_complete_without_fuzzy_entries() -> None:
    for folder, language in ((GERMAN, "de"), (CATALOGUE, "fr")):
        entries = _entries((folder / "django.po").read_text(encoding="utf-8"))
        header, messages = entries[0], entries[1:]
        assert f"Language: {language}" in header["msgstr"]
        assert [e["msgid"] for e in messages if not all(e[k] for k in e if k.startswith("msgstr"))] == []
        assert not any("fuzzy" in e["#"] for e in entries)
        with (folder / "django.mo").open("rb") as compiled:
            mo = gettext.GNUTranslations(compiled)
        singular = [e for e in messages if "msgid_plural" not in e]
        stale = [e["msgid"] for e in singular if _compiled(mo, e) != e["msgstr"]]
        assert stale == [], f"django.mo of {language} is older than django.po: compile it"


def test_the_log_in_page_is_in_german_and_offers_the_three_languages(client: Client) -> None:
    page = html.unescape(client.get("/accounts/login/", headers={"accept-language": "de"}).content.decode())
    assert '<html lang="de">' in page
    assert "Anmelden" in page
    assert "Benutzername" in page
    for code in ("en", "fr", "de"):
        assert f'<option value="{code}" lang="{code}"' in page


def test_a_german_document_renders_with_german_headings(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = move(prosecutor, make_request(prosecutor, make_case(prosecutor), recipient_state="DE"), "issued")
    logged_in(browser, prosecutor)
    base = f"/requests/{request.pk}/packages"
    document = browser.get(f"{base}/provider.html", {"lang": "de"})
    assert document.status_code == 200
    text = html.unescape(document.content.decode())
    assert "Bescheinigung über eine Europäische Herausgabeanordnung (EPOC)" in text
    assert "Abschnitt B: Adressat" in text
    assert "Verordnung (EU) 2023/1543 Art. 5 Abs. 4" in text  # citations in the German convention
    pdf = browser.get(f"{base}/provider.pdf", {"lang": "de"})
    assert (pdf.status_code, pdf.content[:4]) == (200, b"%PDF")
    assert pdf["Content-Disposition"].endswith('-provider-de.pdf"')


def test_the_route_advice_is_in_german(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    query = {"provider_state": "DE", "category": "traffic", "measure": "production"}
    page = browser.get(f"/cases/{case.pk}/routes/", query, headers={"accept-language": "de"})
    text = html.unescape(page.content.decode())
    assert "Übermittlung der Daten spätestens" in text
    assert "Erhalt der EPOC" in text
    assert "[Verordnung (EU) 2023/1543 Art. 10 Abs. 3]" in text
    assert "receipt of the EPOC" not in text


def _compiled(mo: gettext.GNUTranslations, entry: dict[str, str]) -> str:
    """The compiled text of an entry, in its context where it has one ("Draft" the verb)."""
    return mo.pgettext(entry["msgctxt"], entry["msgid"]) if "msgctxt" in entry else mo.gettext(entry["msgid"])
