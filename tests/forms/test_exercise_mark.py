"""A document of an exercise (a request drafted under what-if assumptions) says so above its
title in every format and on every page of its PDF; a real order carries no such mark."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from cyberspex.forms.package import build_document
from cyberspex.forms.render_docx import render_docx
from cyberspex.forms.render_html import render_html
from cyberspex.forms.render_pdf import render_pdf
from cyberspex.forms.render_text import render_text
from tests.forms.helpers import example
from tests.forms.test_package import docx_text

MARKS = {"en": "EXERCISE — not a legal order", "fr": "EXERCICE — sans valeur juridique"}


@pytest.mark.parametrize("language", sorted(MARKS))
def test_the_text_of_an_exercise_document_opens_with_the_mark_in_its_language(language: str) -> None:
    doc = build_document("eu-epoc", example("eu-epoc"), package="provider", language=language, exercise=True)
    assert render_text(doc).splitlines()[0] == MARKS[language]
    assert MARKS[language] in render_html(doc)
    assert MARKS[language] in docx_text(render_docx(doc))


def test_every_page_of_the_pdf_of_an_exercise_carries_the_mark() -> None:
    doc = build_document("2ap-8-order", example("2ap-8-order"), package="full", language="en", exercise=True)
    pages = PdfReader(io.BytesIO(render_pdf(doc))).pages
    assert len(pages) > 1
    assert all(MARKS["en"] in page.extract_text() for page in pages)


def test_a_document_that_is_not_an_exercise_carries_no_mark() -> None:
    doc = build_document("eu-epoc", example("eu-epoc"), package="provider", language="en")
    assert doc.mark == ""
    assert MARKS["en"] not in render_text(doc)
    assert "EXERCISE" not in render_html(doc)
