"""Documents in French and German: the route advice stored in English in a draft is printed in
the document's language, and the citations follow the language's convention."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import pytest

from cyberspex.forms.i18n import catalogue, catalogues
from cyberspex.forms.package import build_document
from cyberspex.forms.prefill import prefill
from cyberspex.forms.render_text import render_text
from cyberspex.law.advisor import assess
from cyberspex.law.scenario import DataCategory, Scenario
from cyberspex.refdata.loader import load_reference_data
from cyberspex.refdata.yamlio import load as load_yaml
from tests.forms.helpers import example


def _with_route_advice() -> dict[str, Any]:
    data = load_reference_data()
    scenario = Scenario(issuing="FR", provider_state="DE", data=DataCategory.TRAFFIC, as_of=date(2026, 11, 28))
    skeleton = prefill(data, "eu-epoc", assess(data, scenario))
    return example("eu-epoc") | {"route_advice": skeleton["route_advice"], "recipient_state": "DE"}


@pytest.mark.parametrize(
    ("language", "wanted"),
    [
        ("de", ["Erhalt der EPOC", "die Anordnungsbehörde von Frankreich (FR)", "Verordnung (EU) 2023/1543 Art. 10 Abs. 3"]),
        ("fr", ["réception de l'EPOC", "l'autorité d'émission de France (FR)", "règlement (UE) 2023/1543, art. 10, par. 3"]),
    ],
)
def test_the_stored_route_advice_is_printed_in_the_documents_language(language: str, wanted: list[str]) -> None:
    text = render_text(build_document("eu-epoc", _with_route_advice(), package="full", language=language))
    assert [w for w in wanted if w not in text] == []
    assert "receipt of the EPOC" not in text
    assert "Regulation (EU) 2023/1543 Art" not in text


def test_english_documents_are_unchanged() -> None:
    text = render_text(build_document("eu-epoc", _with_route_advice(), package="full", language="en"))
    assert "receipt of the EPOC" in text
    assert "Regulation (EU) 2023/1543 Art 10(3)" in text


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_certificate_whose_names_are_not_checked_against_the_official_annexes_says_so_in_the_file_copy(
    language: str,
) -> None:
    document = build_document("eu-epoc", _with_route_advice(), package="full", language=language)
    sent = build_document("eu-epoc", _with_route_advice(), package="provider", language=language)
    assert catalogue(language).labels_verified is False
    assert catalogue(language)("ui.unverified_translation") in document.footer
    assert catalogue(language)("ui.unverified_translation") not in sent.footer


def test_english_certificates_and_other_forms_carry_no_translation_mark() -> None:
    english = build_document("eu-epoc", _with_route_advice(), package="provider", language="en")
    assert catalogue("en")("ui.unverified_translation") not in english.footer
    order = build_document("2ap-7-order", example("2ap-7-order"), package="provider", language="de")
    assert catalogue("de")("ui.unverified_translation") not in order.footer


def test_every_catalogue_records_whether_its_certificate_names_were_verified() -> None:
    for found in catalogues().values():
        raw = load_yaml((resources.files("cyberspex.forms") / "i18n" / f"{found.language}.yaml").read_text(encoding="utf-8"))
        labels = raw["labels"]
        assert labels["verified"] is found.labels_verified
        # A verified name needs an official source (or an exact copy of one) that was read.
        if labels["verified"]:
            assert any(s["kind"] in ("official", "official-copy") for s in labels["sources"])
