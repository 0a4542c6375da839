"""Each recipient sees only what the law lets it see: tested on data and on documents."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from cyberspex.forms.definitions import forms
from cyberspex.forms.package import PackageError, build_document, package_data
from cyberspex.forms.render_docx import render_docx
from cyberspex.forms.render_pdf import render_pdf
from cyberspex.forms.render_text import render_text
from tests.forms.helpers import FORM_IDS, example, leaf_paths, visible_paths, with_sentinels

CASES = [pytest.param(f, p, id=f"{f}:{p}") for f in FORM_IDS for p in forms()[f].packages]


@pytest.mark.parametrize(("form_id", "package"), CASES)
def test_a_package_holds_exactly_the_fields_its_recipients_may_see(form_id: str, package: str) -> None:
    form = forms()[form_id]
    data, sentinels = with_sentinels(form)
    allowed = visible_paths(form, package)
    text = str(package_data(form_id, data, package))
    for token, path in sentinels.items():
        assert (token in text) == (path in allowed), f"{path} in the {package} package: {token in text}"


@pytest.mark.parametrize(("form_id", "package"), CASES)
def test_a_package_holds_a_boolean_or_a_choice_only_where_its_recipients_may_see_it(form_id: str, package: str) -> None:
    """Numbers, dates and text carry sentinels; booleans and choices are checked by their paths."""
    form = forms()[form_id]
    data, _ = with_sentinels(form)
    allowed = visible_paths(form, package)
    fields = {node.name for node in form.fields()}
    held = {path for path in leaf_paths(package_data(form_id, data, package)) if path.split(".")[0] in fields}
    assert held == {path for path in leaf_paths(data) if path.split(".")[0] in fields} & allowed


@pytest.mark.parametrize(("form_id", "package"), CASES)
def test_the_rendered_document_holds_exactly_those_fields(form_id: str, package: str) -> None:
    form = forms()[form_id]
    data, sentinels = with_sentinels(form, printed=True)
    allowed = visible_paths(form, package)
    text = render_text(build_document(form_id, data, package=package, language="en"))
    for token, path in sentinels.items():
        assert (token in text) == (path in allowed), f"{path} in the {package} document"


def test_the_full_copy_holds_every_field() -> None:
    for form_id in FORM_IDS:
        form = forms()[form_id]
        data, sentinels = with_sentinels(form)
        text = str(package_data(form_id, data, "full"))
        assert all(token in text for token in sentinels), form_id


def test_the_article_8_provider_package_leaves_out_the_supporting_information() -> None:
    data = package_data("2ap-8-order", example("2ap-8-order"), "provider")
    assert "summary_of_facts" not in data
    assert "legal_grounds" not in data
    assert "provisions" not in data["offences"][0]
    assert data["offences"][0]["description"].startswith("Computer-related fraud")


def test_the_article_8_provider_never_learns_the_penalty_for_the_offence() -> None:
    """The applicable penalties are supporting information (CETS 224 Art 8(3)(b)(ii)): the
    maximum penalty is a penalty, as a number as much as in words."""
    order = example("2ap-8-order")
    provider = package_data("2ap-8-order", order, "provider")
    assert "max_penalty_years" not in provider["offences"][0]
    document = render_text(build_document("2ap-8-order", order, package="provider", language="en"))
    assert "Maximum penalty" not in document
    assert "ten years" not in document
    authority = package_data("2ap-8-order", order, "authority")
    assert authority["offences"][0]["max_penalty_years"] == 10


def test_a_form_refuses_a_package_it_does_not_have() -> None:
    with pytest.raises(PackageError, match="has no 'notification' package"):
        package_data("2ap-8-order", example("2ap-8-order"), "notification")


def test_free_text_in_a_language_the_recipient_does_not_accept_is_marked() -> None:
    document = build_document("2ap-7-order", example("2ap-7-order"), package="provider", language="en")
    flagged = [line.key for section in document.sections for line in section.lines if line.untranslated]
    assert "$.legal_grounds" in flagged
    assert "$.offences[0].description" in flagged
    assert any("needs translation" in note or "written in français" in note for note in document.footer)


def test_the_file_copy_of_an_unverified_form_says_so_in_its_footer() -> None:
    document = build_document("2ap-8-order", example("2ap-8-order"), package="full", language="fr")
    assert document.footer[0].startswith("Les éléments de ce formulaire suivent un résumé")
    epoc = build_document("eu-epoc", example("eu-epoc"), package="full", language="en")
    assert (
        epoc.footer[0]
        == "Not yet verified against the official text: Section C: Deadlines; Sections D–H: Data requested and underlying "
        "conditions; Sections I–J: Details of the issuing and validating authority."
    )


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join([*(p.text for p in document.paragraphs), *cells])


RENDERED = [
    pytest.param(f, p, fmt, id=f"{f}:{p}:{fmt}") for f in FORM_IDS for p in forms()[f].packages for fmt in ("pdf", "docx")
]


@pytest.mark.parametrize(("form_id", "package", "fmt"), RENDERED)
def test_the_rendered_pdf_and_docx_hold_exactly_the_fields_the_package_may_hold(form_id: str, package: str, fmt: str) -> None:
    """Every string field of the form carries a sentinel; the extracted text must show
    exactly the sentinels of the fields the package's recipients may see."""
    form = forms()[form_id]
    data, sentinels = with_sentinels(form, printed=True)
    allowed = visible_paths(form, package)
    document = build_document(form_id, data, package=package, language="en")
    text = pdf_text(render_pdf(document)) if fmt == "pdf" else docx_text(render_docx(document))
    text = " ".join(text.split())  # a written-out date may wrap at a space
    leaked = sorted(path for token, path in sentinels.items() if token in text and path not in allowed)
    missing = sorted(path for token, path in sentinels.items() if token not in text and path in allowed)
    assert (leaked, missing) == ([], [])
