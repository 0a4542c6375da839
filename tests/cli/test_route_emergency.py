"""``cyberspex route --emergency life|infrastructure``: the kind of emergency, and the first steps."""

from __future__ import annotations

import json

import pytest

from cyberspex.cli.main import main

BASE = ["route", "--issuing", "FR", "--provider-state", "US", "--data", "subscriber", "--as-of", "2026-11-28"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("kind", ["life", "infrastructure"])
def test_the_json_echoes_the_kind_of_emergency(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    _, out, _ = run(capsys, *BASE, "--emergency", kind, "--json")
    scenario = json.loads(out)["scenario"]
    assert (scenario["emergency"], scenario["emergency_kind"]) == (True, kind)


def test_without_an_emergency_the_json_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *BASE, "--json")
    body = json.loads(out)
    assert (body["scenario"]["emergency"], body["scenario"]["emergency_kind"]) == (False, None)
    assert (body["emergency_first_steps"], body["recommended_emergency_procedure"]) == ([], None)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--emergency", "yes"], "argument --emergency: invalid choice: 'yes'"),
        (["--emergency"], "argument --emergency: expected one argument"),
    ],
)
def test_a_bad_kind_gives_one_line_and_exit_status_2(capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*BASE, *argv])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "expected one argument" in err or ("life" in err and "infrastructure" in err)


def test_the_table_lists_the_first_steps_after_the_recommendation(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *BASE, "--emergency", "life")
    lines = out.splitlines()
    at = lines.index("recommended: bc-31 (available)")
    assert lines[at + 1] == "first steps in an emergency (fast channels that exist whatever the route):"
    assert lines[at + 2].startswith("  1. 24/7 network: the 24/7 point of contact of France (FR) -> ")
    assert "[18 U.S.C. § 2702(b)(8)] (*)" in lines[at + 3]
    assert any(line.startswith("warning: Emergency: the recommended route bc-31 has no emergency procedure") for line in lines)


def test_explain_names_the_kind_and_the_first_steps_with_their_citations(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *BASE, "--emergency", "infrastructure", "--explain")
    assert "emergency (threat to a critical infrastructure)" in out.splitlines()[0]
    assert "First steps in an emergency (fast channels that exist whatever the route):" in out
    assert "    1. 24/7 network: Contact the 24/7 point of contact of United States of America (US)" in out
    # Art 25(3) was checked against copies of the official text (docs/reference-data.md, section 10)
    assert "by expedited means such as fax or e-mail" in out
    assert "[ETS 185 Art 25(3)]\n" in out


def test_explain_shows_why_an_infrastructure_emergency_closes_article_9(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*BASE, "--data", "content", "--emergency", "infrastructure", "--assume-in-force", "--assume-ratified", "FR,US"]
    _, out, _ = run(capsys, *argv, "--explain")
    assert "CETS 224 Art 3(2)(c) (cets224.art9.art3.2.c.emergency_kind) applies: Article 9 serves only an emergency" in out
