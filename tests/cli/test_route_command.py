"""``cyberspex route`` as a user meets it: output, exit status, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cyberspex.cli.main import main
from cyberspex.law.routes import ROUTE_IDS

BASE = ["route", "--issuing", "FR", "--provider-state", "US", "--data", "subscriber", "--as-of", "2026-11-28"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_it_prints_the_json_contract_with_every_route_once(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, *BASE, "--json")
    body = json.loads(out)
    assert (status, err) == (0, "")
    assert body["schema"] == "cyberspex.route/1"
    assert {"as_of", "scenario", "routes", "recommended"} <= set(body)
    assert [r["id"] for r in body["routes"]] == list(ROUTE_IDS)
    assert body["recommended"] == "bc-31"


def test_it_echoes_the_what_if_switches(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *BASE, "--json", "--assume-in-force", "--assume-ratified", "fr, us")
    what_if = json.loads(out)["scenario"]["what_if"]
    assert what_if == {
        "active": True,
        "assume_in_force": True,
        "assume_ratified": ["FR", "US"],
        "treated_as_ratified": ["FR", "US"],
    }


def test_it_accepts_the_eu_code_for_greece(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(
        capsys, "route", "--issuing", "EL", "--provider-state", "DE", "--data", "content", "--as-of", "2026-11-28", "--json"
    )
    assert json.loads(out)["scenario"]["issuing"] == {"code": "GR", "name": "Greece"}


def test_it_accepts_any_iso_state_bound_by_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "route", "--issuing", "FR", "--provider-state", "cn", "--data", "traffic", "--as-of", "2026-11-28", "--json"
    )
    assert status == 0
    assert json.loads(out)["recommended"] == "mla"


def test_explain_names_rules_citations_facts_and_the_exception_that_fired(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["route", "--issuing", "DE", "--provider-state", "JP", "--data", "subscriber", "--as-of", "2026-11-28"]
    status, out, _ = run(capsys, *argv, "--assume-in-force", "--assume-ratified", "DE", "--explain")
    assert status == 0
    assert (
        "CETS 224 Art 7(9)(a) (cets224.art7.9.a.provider) applies: Japan (JP) has reserved the right not to apply Article 7"
        in out
    )
    assert "fact: Japan (JP): CETS 224 R-7-9-a = Japan reserves the right not to apply Article 7" in out
    assert "displaced by the exception cets224.art7.9.a.provider" in out
    assert "Recommended: 2ap-8 (available)" in out


def test_the_plain_output_is_a_table_with_the_recommendation(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *BASE)
    assert out.splitlines()[-2] == "recommended: bc-31 (available)"
    assert out.splitlines()[-1].startswith("(*) rests on legal text or data not yet verified")
    assert len([line for line in out.splitlines() if line.startswith("  ")]) == len(ROUTE_IDS)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["route", "--issuing", "XX", "--provider-state", "US", "--data", "subscriber"], "unknown State code 'XX' for --issuing"),
        (
            ["route", "--issuing", "FR", "--provider-state", "US", "--data", "emails"],
            "invalid choice: 'emails' (choose from 'subscriber'",
        ),
        ([*BASE[:-2], "--as-of", "28/11/2026"], "invalid --as-of '28/11/2026': expected a date as YYYY-MM-DD"),
        ([*BASE[:-2], "--as-of", "2026-02-30"], "invalid --as-of '2026-02-30'"),
        ([*BASE, "--data", "traffic", "--entity", "registrar"], "--entity registrar cannot be combined with --data traffic"),
        (
            [*BASE, "--data", "domain_registration", "--entity", "service_provider"],
            "--data domain_registration requires --entity registrar",
        ),
        ([*BASE, "--assume-ratified", "IE"], "cannot assume that IE has ratified CETS 224"),
        ([*BASE, "--assume-ratified", "ZZ"], "unknown State code 'ZZ' for --assume-ratified"),
        ([*BASE, "--assume-ratified", ","], "invalid --assume-ratified ','"),
        (["route", "--issuing", "FR"], "the following arguments are required: --provider-state, --data"),
    ],
)
def test_bad_input_gives_one_line_and_exit_status_2(capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str) -> None:
    try:
        status = main(argv)
    except SystemExit as stop:  # argparse's own errors leave through SystemExit
        status = stop.code  # type: ignore[assignment]  # our parser always exits with an int
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert fragment in err


def test_no_traceback_reaches_the_user_of_the_installed_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cyberspex", "route", "--issuing", "FR", "--provider-state", "US", "--data", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("cyberspex route: error: argument --data: invalid choice: 'nope'")


def test_the_language_rule_reaches_the_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, *BASE, "--json")
    language = next(r for r in json.loads(out)["routes"] if r["id"] == "2ap-7")["language"]
    assert language["text"].startswith("To the provider or registrar: a language of United States of America (US)")
    assert language["rule"] == "cets224.art4.language"


def test_a_reason_resting_on_an_unrecorded_position_is_not_verified(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["route", "--issuing", "FR", "--provider-state", "RS", "--data", "subscriber", "--as-of", "2026-11-28"]
    _, out, _ = run(capsys, *argv, "--assume-in-force", "--assume-ratified", "FR", "--json")
    art7 = next(r for r in json.loads(out)["routes"] if r["id"] == "2ap-7")
    reservation = next(r for r in art7["reasons"] if r["rule"] == "cets224.art7.9.a.provider")
    assert reservation["verified"] is False
    assert "Serbia made reservations and declarations" in reservation["facts"][0]["value"]


def test_an_unknown_declaration_on_the_channel_becomes_a_conditional_requirement(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["route", "--issuing", "FR", "--provider-state", "RS", "--data", "subscriber", "--as-of", "2026-11-28"]
    _, out, _ = run(capsys, *argv, "--assume-in-force", "--assume-ratified", "FR", "--json")
    art8 = next(r for r in json.loads(out)["routes"] if r["id"] == "2ap-8")
    note = next(r for r in art8["requirements"] if r["rule"] == "cets224.art8.11.central_authority")
    assert (note["code"], note["applies"]) == ("channel", "conditional")
    assert art8["channel"]["rule"] == "cets224.art8.10.channel"
