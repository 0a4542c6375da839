"""Golden tests of the rendered text, in English and French.

Each example form is rendered for its first recipient package and compared with a file in
tests/forms/golden/. After an intended change, regenerate with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/forms/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cyberspex.forms.definitions import forms
from cyberspex.forms.package import build_document
from cyberspex.forms.render_text import render_text
from tests.forms.helpers import FORM_IDS, example

GOLDEN = Path(__file__).parent / "golden"
CASES = [pytest.param(f, forms()[f].packages[0], lang, id=f"{f}:{lang}") for f in FORM_IDS for lang in ("en", "fr")]


@pytest.mark.parametrize(("form_id", "package", "language"), CASES)
def test_the_rendered_text_matches_the_golden_file(form_id: str, package: str, language: str) -> None:
    text = render_text(build_document(form_id, example(form_id), package=package, language=language))
    golden = GOLDEN / f"{form_id}.{package}.{language}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"missing {golden.name}: run with UPDATE_GOLDEN=1 and review it"
    assert text == golden.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_a_case() -> None:
    expected = {f"{c.values[0]}.{c.values[1]}.{c.values[2]}.txt" for c in CASES}
    assert {p.name for p in GOLDEN.glob("*.txt")} == expected
