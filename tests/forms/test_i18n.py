"""Translation catalogues: English and French complete, all EU languages present."""

from __future__ import annotations

import pytest

from cyberspex.forms.definitions import forms
from cyberspex.forms.i18n import LanguageError, catalogue, catalogues, complete_languages, reference_keys

EU_LANGUAGES = {
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
}


def keys_used() -> set[str]:
    used = {"ui.page", "ui.of", "ui.citation", "ui.needs_translation", "ui.generated"}
    for form in forms().values():
        used |= {f"form.{form.id}.title", f"form.{form.id}.statement", *(f"package.{p}" for p in form.packages)}
        used |= {f"section.{s.id}" for s in form.sections}
        stack = [(node, True) for node in form.fields()]
        while stack:
            node, top = stack.pop()
            used.add(f"field.{node.name}" if top else f"sub.{node.name}")
            used |= {f"enum.{v}" for v in node.values}
            stack += [(child, False) for child in node.children]
    return used


def test_there_is_a_catalogue_for_every_eu_official_language() -> None:
    assert set(catalogues()) == EU_LANGUAGES


def test_english_and_french_are_complete_and_have_the_same_keys() -> None:
    assert set(complete_languages()) >= {"en", "fr"}
    assert set(catalogue("en").texts) == set(catalogue("fr").texts)


def test_every_text_the_forms_use_is_in_the_catalogues() -> None:
    assert keys_used() - reference_keys() == set()


SAME_IN_FRENCH = (
    *("enum.url", "sub.contact", "sub.description", "sub.date", "sub.port", "sub.type", "ui.page", "sub.kind"),
    *("date.pattern", "section.signatures", "signature.date", "ui.signature"),
)


def test_french_texts_are_translated_not_copied() -> None:
    en, fr = catalogue("en").texts, catalogue("fr").texts
    same = [k for k in en if en[k] == fr[k] and not k.startswith(SAME_IN_FRENCH)]
    assert same == [], same


def test_an_incomplete_language_is_refused_with_the_count_of_missing_texts() -> None:
    with pytest.raises(
        LanguageError, match=r"the Deutsch catalogue \(de\) is incomplete: \d+ of \d+ texts missing; complete catalogues: en, fr"
    ):
        catalogue("de")


def test_a_language_outside_the_eu_set_is_refused() -> None:
    with pytest.raises(LanguageError, match="unsupported language 'ja'"):
        catalogue("ja")


def test_placeholders_match_between_languages() -> None:
    for key, text in catalogue("en").texts.items():
        assert sorted(part.split("}")[0] for part in text.split("{")[1:]) == sorted(
            part.split("}")[0] for part in catalogue("fr").texts[key].split("{")[1:]
        ), key
