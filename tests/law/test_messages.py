"""The message catalogues (src/cyberspex/data/messages): every message id of the advisor and
of the form checks in English, French and German, with the same named parameters; citations
written in each language's convention."""

from __future__ import annotations

import re

import pytest

from cyberspex.forms.authority import ENGLISH as AUTHORITY_TEXTS
from cyberspex.forms.issue_texts import ENGLISH as ISSUE_TEXTS
from cyberspex.law.citations import Instrument, cite, format_citation
from cyberspex.law.message_ids import english_catalogue
from cyberspex.law.messages import ENGLISH, LANGUAGES, Messages, parameters
from cyberspex.law.retranslate import Retranslator
from cyberspex.refdata.loader import load_reference_data
from cyberspex.refdata.messages import UnknownLanguage, messages, translations

TRANSLATED = [language for language in LANGUAGES if language != "en"]


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    """Every message id in English: the legal core's, the form checks' (forms/issue_texts.py) and the
    approval table's (forms/authority.py)."""
    return english_catalogue(load_reference_data()) | ISSUE_TEXTS | AUTHORITY_TEXTS


def test_it_knows_english_french_and_german() -> None:
    assert set(LANGUAGES) == {"en", "fr", "de"}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_id_has_a_translation(english: dict[str, str], language: str) -> None:
    texts = translations(language)
    assert sorted(set(english) - set(texts)) == []
    assert sorted(set(texts) - set(english)) == [], "ids that no longer exist in the English source"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_has_the_parameters_of_its_english_text(english: dict[str, str], language: str) -> None:
    texts = translations(language)
    wrong = {key: sorted(parameters(english[key]) ^ parameters(text)) for key, text in texts.items() if key in english}
    assert {key: diff for key, diff in wrong.items() if diff} == {}


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_is_empty_or_left_in_english(english: dict[str, str], language: str) -> None:
    texts = translations(language)
    assert [key for key, text in texts.items() if not text.strip() and english[key].strip()] == []
    # Texts that are only parameters, codes or names may be the same in every language.
    same = [key for key, text in texts.items() if text == english[key] and len(_words(english[key])) > 2]
    assert same == []


def _words(text: str) -> list[str]:
    return [w for w in re.sub(r"\{[a-z_0-9]+\}", " ", text).split() if w.isalpha()]


def test_the_check_of_parameters_finds_a_missing_one() -> None:
    assert parameters("{issuing} is not bound ({issuing_reg}).") == {"issuing", "issuing_reg"}
    assert parameters("{issuing} n'est pas lié.") != parameters("{issuing} is not bound ({issuing_reg}).")


def test_a_rule_id_addresses_the_text_of_its_rule(english: dict[str, str]) -> None:
    assert english["rule.reg.epoc.art10.3.normal.start"] == "receipt of the EPOC"
    assert messages("fr").rule("reg.epoc.art10.3.normal", "start", "receipt of the EPOC") == "réception de l'EPOC"
    assert messages("de").rule("reg.epoc.art10.3.normal", "start", "receipt of the EPOC") == "Erhalt der EPOC"


def test_english_needs_no_file_and_falls_back_to_the_source() -> None:
    assert messages("en") == Messages()
    assert messages("en")("report.eu.bound") == ENGLISH["report.eu.bound"]


def test_an_unknown_language_is_refused_by_name() -> None:
    with pytest.raises(UnknownLanguage, match="'es'"):
        messages("es")


def test_states_are_named_in_the_language() -> None:
    assert messages("de").state_names["FR"] == "Frankreich"
    assert messages("fr").state_names["DE"] == "Allemagne"


@pytest.mark.parametrize(
    ("instrument", "ref", "en", "fr", "de"),
    [
        (
            Instrument.REG_2023_1543,
            "7(5)(a)",
            "Regulation (EU) 2023/1543 Art 7(5)(a)",
            "règlement (UE) 2023/1543, art. 7, par. 5, point a)",
            "Verordnung (EU) 2023/1543 Art. 7 Abs. 5 Buchst. a",
        ),
        (
            Instrument.CETS_224,
            "7(9)(a)",
            "CETS 224 Art 7(9)(a)",
            "STCE 224, art. 7, par. 9, point a)",
            "SEV 224 Art. 7 Abs. 9 Buchst. a",
        ),
        (Instrument.ETS_185, "35(1)", "ETS 185 Art 35(1)", "STE 185, art. 35, par. 1", "SEV 185 Art. 35 Abs. 1"),
        (
            Instrument.DIR_2014_41,
            "12",
            "Directive 2014/41/EU Art 12",
            "directive 2014/41/UE, art. 12",
            "Richtlinie 2014/41/EU Art. 12",
        ),
        (
            Instrument.REG_2023_1543,
            "Recitals",
            "Regulation (EU) 2023/1543 Recitals",
            "règlement (UE) 2023/1543, considérants",
            "Erwägungsgründe Verordnung (EU) 2023/1543",
        ),
        (
            Instrument.REG_2023_1543,
            "Annex II",
            "Regulation (EU) 2023/1543 Annex II",
            "règlement (UE) 2023/1543, annexe II",
            "Anhang II Verordnung (EU) 2023/1543",
        ),
        (Instrument.USC_18, "2702(b)(8)", "18 U.S.C. § 2702(b)(8)", "18 U.S.C. § 2702(b)(8)", "18 U.S.C. § 2702(b)(8)"),
    ],
)
def test_citations_follow_the_convention_of_each_language(instrument: Instrument, ref: str, en: str, fr: str, de: str) -> None:
    citation = cite(instrument, ref)
    assert [format_citation(citation, lang) for lang in ("en", "fr", "de")] == [en, fr, de]
    assert format_citation(citation) == str(citation)


def test_stored_english_texts_are_put_into_the_language_they_came_from(english: dict[str, str]) -> None:
    r = Retranslator(english, messages("de"))
    assert r.translate("the issuing authority of France (FR)") == "die Anordnungsbehörde von Frankreich (FR)"
    stored = (
        "data transmitted at the latest: 10 days from receipt of the EPOC (if it applies) [Regulation (EU) 2023/1543 Art 10(3)]"
    )
    german = "Übermittlung der Daten spätestens: 10 Tage ab Erhalt der EPOC (falls zutreffend)"
    assert r.deadline(stored) == f"{german} [Verordnung (EU) 2023/1543 Art. 10 Abs. 3]"


def test_a_text_no_template_matches_is_not_guessed(english: dict[str, str]) -> None:
    r = Retranslator(english, messages("fr"))
    assert r.translate("a sentence typed by a person") is None
    assert r.deadline("something odd: 3 weeks from tomorrow [nowhere]") == "something odd: 3 weeks from tomorrow [nowhere]"


def test_french_elides_de_before_a_state_that_starts_with_a_vowel() -> None:
    m = messages("fr")
    assert m.polish("l'autorité d'exécution de Allemagne (DE)") == "l'autorité d'exécution d'Allemagne (DE)"
    assert m.polish("l'autorité d'émission de France (FR)") == "l'autorité d'émission de France (FR)"
    assert messages("de").polish("die Behörde de Allemagne (DE)") == "die Behörde de Allemagne (DE)"
