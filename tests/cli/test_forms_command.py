"""``cyberspex forms`` as users meet it: exit statuses, messages, files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cyberspex.cli.main import main
from tests.forms.helpers import example

DATE = ["--as-of", "2026-11-28"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as stop:
        status = stop.code  # type: ignore[assignment]  # our parser exits with an int
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(example("2ap-8-order")), encoding="utf-8")
    return path


def test_list_names_every_form(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "forms", "list", "--json")
    assert status == 0
    assert [row["id"] for row in json.loads(out)][:3] == ["2ap-6-request", "2ap-7-order", "2ap-8-order"]


def test_schema_and_example_print_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert json.loads(run(capsys, "forms", "schema", "eu-epoc")[1])["$id"] == "urn:cyberspex:form:eu-epoc"
    assert json.loads(run(capsys, "forms", "example", "eu-epoc")[1])["form"] == "eu-epoc"


def test_validate_exits_0_for_a_valid_form(capsys: pytest.CaptureFixture[str], filled: Path) -> None:
    status, out, _ = run(capsys, "forms", "validate", "2ap-8-order", str(filled), *DATE)
    assert status == 0
    assert out.strip().splitlines()[-1].startswith("valid: 0 error(s)")


def test_validate_exits_1_with_a_json_list_of_issues(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = example("2ap-8-order")
    del data["relevance"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    status, out, _ = run(capsys, "forms", "validate", "2ap-8-order", str(path), "--json", *DATE)
    issues = json.loads(out)
    assert status == 1
    assert issues[0] == {
        "path": "$.relevance",
        "citation": "CETS 224 Art 8(3)(b)(v)",
        "code": "missing_element",
        "severity": "error",
        "message": "the mandatory element 'relevance' is missing",
        "rule": "schema",
    }


def test_malformed_json_is_invalid_content(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"form": ', encoding="utf-8")
    status, out, err = run(capsys, "forms", "validate", "2ap-8-order", str(path))
    assert (status, out) == (1, "")
    assert "not valid JSON" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["forms", "validate", "2ap-99-order", "x.json"], "unknown form id '2ap-99-order'"),
        (["forms", "validate", "2ap-8-order", "/nonexistent/x.json"], "cannot read '/nonexistent/x.json'"),
        (
            ["forms", "render", "2ap-8-order", "FILE", "--package", "notification", "--format", "txt", "-o", "OUT"],
            "has no 'notification' package",
        ),
        (
            ["forms", "render", "2ap-8-order", "FILE", "--package", "provider", "--format", "odt", "-o", "OUT"],
            "invalid choice: 'odt'",
        ),
        (
            ["forms", "render", "2ap-8-order", "FILE", "--package", "provider", "--format", "txt", "--lang", "de", "-o", "OUT"],
            "catalogue (de) is incomplete",
        ),
        (
            ["forms", "render", "2ap-8-order", "FILE", "--package", "provider", "--format", "txt", "-o", "/nonexistent/out.txt"],
            "folder '/nonexistent' does not exist",
        ),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], filled: Path, argv: list[str], fragment: str
) -> None:
    argv = [str(filled) if a == "FILE" else (str(filled.parent / "out") if a == "OUT" else a) for a in argv]
    status, out, err = run(capsys, *argv, *DATE)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert fragment in err


def test_render_writes_the_package_and_nothing_else(capsys: pytest.CaptureFixture[str], filled: Path) -> None:
    target = filled.parent / "provider.json"
    status, out, _ = run(
        capsys,
        "forms",
        "render",
        "2ap-8-order",
        str(filled),
        "--package",
        "provider",
        "--format",
        "json",
        "-o",
        str(target),
        *DATE,
    )
    assert status == 0
    assert "wrote" in out
    body = json.loads(target.read_text(encoding="utf-8"))
    assert body["package"] == "provider"
    assert "summary_of_facts" not in body["data"]
    assert sorted(p.name for p in filled.parent.iterdir()) == ["order.json", "provider.json"]


def test_render_refuses_an_invalid_form_and_writes_no_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = example("2ap-8-order")
    del data["provider"]
    source = tmp_path / "order.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "out.txt"
    status, _, err = run(
        capsys,
        "forms",
        "render",
        "2ap-8-order",
        str(source),
        "--package",
        "provider",
        "--format",
        "txt",
        "-o",
        str(target),
        *DATE,
    )
    assert status == 1
    assert "the form is not valid; nothing was written" in err
    assert '"path": "$.provider"' in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["order.json"]


def test_prefill_prints_a_skeleton_from_the_route_advisor(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "forms",
        "prefill",
        "2ap-8-order",
        "--issuing",
        "DE",
        "--provider-state",
        "JP",
        "--data",
        "traffic",
        *DATE,
        "--assume-in-force",
        "--assume-ratified",
        "DE",
    )
    skeleton = json.loads(out)
    assert status == 0
    assert skeleton["route_advice"]["channel"]["from"].startswith("the central authority of Germany (DE)")


def test_prefill_refuses_data_the_form_cannot_carry(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(
        capsys, "forms", "prefill", "2ap-6-request", "--issuing", "FR", "--provider-state", "US", "--data", "traffic"
    )
    assert status == 2
    assert "cannot carry traffic data" in err


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF-"), ("docx", b"PK\x03\x04"), ("html", b"<!DOCTYPE html>")])
def test_render_writes_pdf_docx_and_html(capsys: pytest.CaptureFixture[str], filled: Path, fmt: str, magic: bytes) -> None:
    target = filled.parent / f"order.{fmt}"
    status, _, _ = run(
        capsys,
        "forms",
        "render",
        "2ap-8-order",
        str(filled),
        "--package",
        "authority",
        "--format",
        fmt,
        "--lang",
        "fr",
        "-o",
        str(target),
        *DATE,
    )
    assert status == 0
    assert target.read_bytes().startswith(magic)


def test_render_prints_the_signatories_given_in_a_file(capsys: pytest.CaptureFixture[str], filled: Path) -> None:
    signatories = filled.parent / "signatories.json"
    signatories.write_text(
        json.dumps(
            [
                {"capacity": "issuing", "name": "Anna Weber", "role": "Staatsanwältin", "signed_on": "2026-11-27"},
                {"capacity": "validating", "name": "Jonas Klein", "role": "Ermittlungsrichter", "authority": "Amtsgericht Köln"},
            ]
        ),
        encoding="utf-8",
    )
    target = filled.parent / "provider.txt"
    argv = ["forms", "render", "2ap-8-order", str(filled), "--package", "provider", "--format", "txt"]
    status, _, _ = run(capsys, *argv, "--signatories", str(signatories), "-o", str(target), *DATE)
    assert status == 0
    text = target.read_text(encoding="utf-8")
    assert "Name: Anna Weber" in text
    assert "Date: 27 November 2026" in text
    assert "Authority: Amtsgericht Köln" in text


def test_render_refuses_bad_signatories_naming_the_field_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], filled: Path
) -> None:
    signatories = filled.parent / "signatories.json"
    signatories.write_text(json.dumps([{"capacity": "judge"}]), encoding="utf-8")
    target = filled.parent / "provider.txt"
    argv = ["forms", "render", "2ap-8-order", str(filled), "--package", "provider", "--format", "txt"]
    status, out, err = run(capsys, *argv, "--signatories", str(signatories), "-o", str(target), *DATE)
    assert status == 2
    assert out == ""
    assert "signatories[0].capacity" in err
    assert not target.exists()
