"""Notes on what is not yet verified against the official text are for the issuing
authority: its own copy (the ``full`` package) carries them; a document sent to a recipient
(provider, authority, notified authority) carries neither such a note nor any claim that
the text is verified. The exercise mark stays on every document that has one."""

from __future__ import annotations

import pytest

from cyberspex.forms.definitions import forms
from cyberspex.forms.i18n import catalogue
from cyberspex.forms.model import FULL
from cyberspex.forms.package import build_document
from cyberspex.forms.render_html import render_html
from cyberspex.forms.render_text import render_text
from tests.forms.helpers import FORM_IDS, example, with_sentinels

RECIPIENTS = [
    pytest.param(f, p, lang, id=f"{f}:{p}:{lang}")
    for f in FORM_IDS
    for p in forms()[f].packages
    if p != FULL
    for lang in ("en", "fr")
]
# Words by which a document would speak of verification, in the languages tested.
VERIFICATION_WORDS = {"en": ("verified", "verification", "official text"), "fr": ("vérifi", "texte officiel")}


def document_text(form_id: str, package: str, language: str, *, exercise: bool = False) -> str:
    data, _ = with_sentinels(forms()[form_id])
    document = build_document(form_id, data, package=package, language=language, exercise=exercise)
    return render_text(document) + render_html(document)


@pytest.mark.parametrize(("form_id", "package", "language"), RECIPIENTS)
def test_a_recipient_document_says_nothing_about_verification(form_id: str, package: str, language: str) -> None:
    text = document_text(form_id, package, language).lower()
    assert [word for word in VERIFICATION_WORDS[language] if word in text] == []


@pytest.mark.parametrize("form_id", [f for f in FORM_IDS if not forms()[f].verified])
def test_the_file_copy_of_a_form_resting_on_an_unverified_summary_says_so(form_id: str) -> None:
    note = catalogue("en")("ui.unverified_form")
    assert note in document_text(form_id, FULL, "en")


def test_the_file_copy_of_an_epoc_names_its_unverified_sections() -> None:
    assert "Not yet verified against the official text: Section C: Deadlines" in document_text("eu-epoc", FULL, "en")


@pytest.mark.parametrize(("form_id", "package", "language"), RECIPIENTS)
def test_the_exercise_mark_stays_on_a_recipient_document(form_id: str, package: str, language: str) -> None:
    mark = catalogue(language)("ui.exercise")
    assert document_text(form_id, package, language, exercise=True).count(mark) >= 2  # text and page


@pytest.mark.parametrize("form_id", ["eu-epoc", "2ap-7-order"])
def test_an_order_sent_to_a_recipient_does_not_call_itself_not_legal_advice(form_id: str) -> None:
    data = example(form_id)
    texts = catalogue("en")
    for package in forms()[form_id].packages:
        footer = build_document(form_id, data, package=package, language="en").footer
        assert (texts("ui.generated") in footer) == (package == "full"), package
