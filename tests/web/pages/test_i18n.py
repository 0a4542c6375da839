"""The pages in French: the catalogue is complete, compiled, and used."""

from __future__ import annotations

import ast
import gettext
from importlib.resources import files

from django.test import Client

from cyberspex.web.accounts.models import Role
from tests.web.conftest import Org
from tests.web.pages.conftest import logged_in

CATALOGUE = files("cyberspex") / "web" / "locale" / "fr" / "LC_MESSAGES"


def _entries(po: str) -> list[dict[str, str]]:
    """Each entry of a .po file as {keyword: text}; comments and flags under "#"."""
    entries = []
    for block in po.strip().split("\n\n"):
        entry: dict[str, str] = {"#": ""}
        key = ""
        for line in block.splitlines():
            if line.startswith("#"):
                entry["#"] += line + "\n"
                continue
            text = line
            if not line.startswith('"'):
                key, text = line.split(" ", 1)
                entry[key] = ""
            entry[key] += ast.literal_eval(text)
        entries.append(entry)
    return entries


def test_the_french_catalogue_is_complete_and_compiled() -> None:
    entries = _entries((CATALOGUE / "django.po").read_text(encoding="utf-8"))
    header, messages = entries[0], entries[1:]
    assert "Language: fr" in header["msgstr"]
    assert len(messages) > 200
    untranslated = [e["msgid"] for e in messages if not all(e[k] for k in e if k.startswith("msgstr"))]
    assert untranslated == []
    assert not any("fuzzy" in e["#"] for e in entries)

    with (CATALOGUE / "django.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    for entry in messages:
        if "msgid_plural" in entry:
            assert mo.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
            assert mo.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
        elif "msgctxt" in entry:  # the same English word in another sense ("Draft" the verb)
            assert mo.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"], "django.mo is older than django.po"
        else:
            assert mo.gettext(entry["msgid"]) == entry["msgstr"], "django.mo is older than django.po: compile it"


def test_the_log_in_page_follows_the_browser_language(client: Client) -> None:
    page = client.get("/accounts/login/", headers={"accept-language": "fr"}).content.decode()
    assert '<html lang="fr">' in page
    assert "Se connecter" in page
    assert "Nom d’utilisateur" in page


def test_the_dashboard_and_the_service_errors_are_in_french(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.INVESTIGATOR])
    page = browser.get("/", headers={"accept-language": "fr"}).content.decode()
    assert "Tableau de bord" in page
    assert "Aucune échéance en cours." in page
    refused = Client().post("/accounts/login/", {"username": "x", "password": "y"}, headers={"accept-language": "fr"})
    assert "Le nom d’utilisateur ou le mot de passe est incorrect." in refused.content.decode()
