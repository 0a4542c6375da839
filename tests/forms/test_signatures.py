"""Every order and request carries one signature and seal block: the issuing authority, and
the validating authority where there is one, with name, capacity, authority and date, room
for the signature and the official seal; without signatories, lines to sign by hand."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from cyberspex.forms.definitions import forms
from cyberspex.forms.document import Signatory
from cyberspex.forms.package import build_document
from cyberspex.forms.render_docx import render_docx
from cyberspex.forms.render_html import render_html
from cyberspex.forms.render_pdf import render_pdf
from cyberspex.forms.render_text import BLANK, render_text
from cyberspex.forms.signatories import SignatoryError, signatories_from_json
from tests.forms.helpers import FORM_IDS, example
from tests.forms.test_package import docx_text, pdf_text

ISSUING = Signatory("issuing", "Claire Martin", "Deputy public prosecutor", "Parquet de Paris", date(2026, 12, 1))
VALIDATING = Signatory("validating", "Jean Dupont", "Investigating judge", "Tribunal judiciaire de Paris", date(2026, 12, 2))
ALL_PACKAGES = [pytest.param(f, p, id=f"{f}:{p}") for f in FORM_IDS for p in forms()[f].packages]
ORDERS = ("2ap-6-request", "2ap-7-order", "2ap-8-order", "2ap-9-request", "2ap-10-request", "bc-29-request")


def boxes(form_id: str, package: str, signatories: tuple[Signatory, ...] = ()) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    document = build_document(form_id, example(form_id), package=package, language="en", signatories=signatories)
    return [(box.title, box.rows) for section in document.sections for box in section.signatures]


@pytest.mark.parametrize(("form_id", "package"), ALL_PACKAGES)
def test_every_package_of_every_form_has_one_signature_block_for_the_issuing_authority(form_id: str, package: str) -> None:
    titles = [title for title, _ in boxes(form_id, package)]
    assert titles.count("Issuing authority") == 1


@pytest.mark.parametrize("form_id", ORDERS)
def test_the_orders_of_the_protocol_print_both_signatories_with_their_details(form_id: str) -> None:
    printed = dict(boxes(form_id, forms()[form_id].packages[0], signatories=(ISSUING, VALIDATING)))
    assert printed["Issuing authority"] == (
        ("Name", "Claire Martin"),
        ("Capacity", "Deputy public prosecutor"),
        ("Authority", "Parquet de Paris"),
        ("Date", "1 December 2026"),
    )
    assert printed["Validating authority"][0] == ("Name", "Jean Dupont")
    assert printed["Validating authority"][3] == ("Date", "2 December 2026")


def test_without_signatories_the_block_has_lines_to_sign_and_the_issuing_authority_from_the_form() -> None:
    text = render_text(build_document("2ap-7-order", example("2ap-7-order"), package="provider", language="en"))
    block = text[text.index("== Signature") :]
    assert f"Name: {BLANK}" in block
    assert f"Date: {BLANK}" in block
    assert f"Signature: {BLANK}" in block
    assert "Official seal:" in block
    assert "Authority: Parquet de Paris, section J3 (cybercriminalité)" in block
    assert "Validating authority" not in block  # the form names none and no signatory is given


def test_an_epoc_prints_the_block_in_its_sections_i_and_j_with_the_validating_authority_it_names() -> None:
    data = {**example("eu-epoc"), "validating_authority": example("eu-epoc")["issuing_authority"]}
    document = build_document("eu-epoc", data, package="provider", language="en")
    section = next(s for s in document.sections if s.signatures)
    assert section.title == "Sections I–J: Details of the issuing and validating authority"
    assert [box.title for box in section.signatures] == ["Issuing authority", "Validating authority"]


def test_an_epoc_pr_prints_the_block_in_its_section_on_the_issuing_and_validating_authority() -> None:
    document = build_document("eu-epoc-pr", example("eu-epoc-pr"), package="provider", language="fr")
    section = next(s for s in document.sections if s.signatures)
    assert section.title == "Coordonnées de l'autorité d'émission et de l'autorité de validation"
    assert section.signatures[0].title == "Autorité d'émission"


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_every_format_prints_both_signatories_and_room_for_signature_and_seal(fmt: str) -> None:
    document = build_document(
        "2ap-8-order", example("2ap-8-order"), package="provider", language="en", signatories=(ISSUING, VALIDATING)
    )
    if fmt == "html":
        text = render_html(document)
    else:
        text = pdf_text(render_pdf(document)) if fmt == "pdf" else docx_text(render_docx(document))
    text = " ".join(text.split())
    for expected in ("Issuing authority", "Validating authority", "Claire Martin", "Investigating judge"):
        assert expected in text
    for expected in ("1 December 2026", "2 December 2026", "Signature", "Official seal"):
        assert expected in text


def test_the_docx_gives_the_signature_and_the_seal_rows_room_to_write() -> None:
    document = build_document("2ap-7-order", example("2ap-7-order"), package="provider", language="en")
    word = docx.Document(io.BytesIO(render_docx(document)))
    rows = [row for table in word.tables for row in table.rows if row.cells[0].text in ("Signature", "Official seal")]
    assert len(rows) == 2
    assert all(row.height is not None and row.height.cm >= 2.5 for row in rows)


def test_a_signatory_in_an_unknown_capacity_or_twice_in_one_is_refused() -> None:
    judge = Signatory("judge")  # type: ignore[arg-type]  # a capacity that does not exist, under test
    with pytest.raises(ValueError, match="unknown signatory capacity 'judge'"):
        build_document("2ap-7-order", example("2ap-7-order"), package="provider", language="en", signatories=(judge,))
    with pytest.raises(ValueError, match="one signatory per capacity"):
        build_document("2ap-7-order", example("2ap-7-order"), package="provider", language="en", signatories=(ISSUING, ISSUING))


def test_signatories_are_read_from_json_with_their_date() -> None:
    read = signatories_from_json(
        [{"capacity": "validating", "name": "Jean Dupont", "role": "Investigating judge", "signed_on": "2026-12-02"}]
    )
    assert read == (Signatory("validating", "Jean Dupont", "Investigating judge", "", date(2026, 12, 2)),)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"capacity": "issuing"}, "expected a list"),
        ([{"capacity": "judge"}], r"signatories\[0\].capacity: expected one of issuing, validating"),
        ([{"capacity": "issuing", "signed_on": "1 Dec"}], r"signatories\[0\].signed_on: expected a date"),
        ([{"capacity": "issuing", "seal": "x"}], r"signatories\[0\].seal: unknown field"),
        ([{"capacity": "issuing", "name": 7}], r"signatories\[0\].name: expected text"),
        ([{"capacity": "issuing"}, {"capacity": "issuing"}], "more than one issuing signatory"),
    ],
)
def test_bad_signatories_are_refused_naming_the_entry_and_the_field(value: object, message: str) -> None:
    with pytest.raises(SignatoryError, match=message):
        signatories_from_json(value)
