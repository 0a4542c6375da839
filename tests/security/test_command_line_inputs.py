"""Bad command-line input ends in one line naming the problem and exit status 2, never in a
traceback. Each class of input below once ended in a traceback (found by fuzzing the inputs
of every subcommand: files, options and environment variables).

| class of input                          | command                               | the one line says                       |
|-----------------------------------------|---------------------------------------|-----------------------------------------|
| JSON nested 1,000 levels deep           | forms validate / render               | nested more than 64 levels deep         |
| an integer of 5,000 digits              | forms validate                        | a value cannot be read                  |
| a list or object as data_sought.category| forms validate (exit 1: invalid form) | the category is not a string            |
| --max-span-days 10**30                  | forms validate                        | expected 1 to 36525 days                |
| --as-of 0001-01-01                      | data check                            | too early to look back                  |
| --pairs naming a folder                 | route-matrix                          | it is a folder                          |
| checkpoint {"seq": "x"}, [], "x", {}    | audit verify --checkpoint             | is not a checkpoint                     |
| checkpoint not UTF-8 / too deep         | audit verify --checkpoint             | cannot read checkpoint                  |
| no AUDIT_CHECKPOINT_KEY                 | audit checkpoint                      | AUDIT_CHECKPOINT_KEY is not set         |
| -o in a missing folder                  | audit checkpoint                      | cannot write                            |
| DEBUG=yes, SESSION_IDLE_MINUTES=abc     | any web command                       | must be True or False / a whole number  |
| SECRET_KEY_FILE missing                 | any web command                       | cannot read                             |
| DATABASE_URL with an unknown scheme     | any web command                       | DATABASE_URL cannot be used             |
| an unreachable database                 | audit, worker, retention, demo-code   | cannot use the database                 |
| CYBERSPEX_DATA_DIR that cannot be made  | any web command                       | cannot create the folder                |
| --within-hours 10**12, --interval -1    | worker                                | expected 1 to ...                       |
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from cyberspex.cli.main import main

UNREACHABLE_POSTGRES = "postgres://nobody@127.0.0.1:1/cyberspex"  # port 1: nothing listens there


def example(form_id: str) -> dict[str, Any]:
    path = resources.files("cyberspex") / "data" / "forms" / "examples" / f"{form_id}.json"
    return dict(json.loads(path.read_text(encoding="utf-8")))


def in_process(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().err


def as_a_command(tmp_path: Path, *argv: str, **env: str) -> tuple[int, str]:
    """The web commands configure Django for the whole process: run them as a separate command."""
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "AUDIT_CHECKPOINT_KEY")}
    environment = {**base, "CYBERSPEX_DATA_DIR": str(tmp_path / "var"), **env}
    run = subprocess.run(
        [sys.executable, "-m", "cyberspex.cli.main", *argv],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    return run.returncode, run.stderr


def assert_one_line(status: int, err: str, command: str, says: str) -> None:
    assert "Traceback" not in err, err
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"cyberspex {command}: error: "), lines[0]
    assert says in lines[0], lines[0]


# -- forms, data check, route-matrix (in this process) -----------------------------------


@pytest.mark.parametrize("text", ["[" * 1000 + "]" * 1000, '{"a":' * 1000 + "1" + "}" * 1000, "[" * 65 + "]" * 65])
@pytest.mark.parametrize("subcommand", ["validate", "render"])
def test_json_nested_too_deep_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, subcommand: str
) -> None:
    (tmp_path / "deep.json").write_text(text, encoding="utf-8")
    extra = ["--package", "full", "--format", "txt", "-o", str(tmp_path / "out.txt")] if subcommand == "render" else []
    status, err = in_process(capsys, "forms", subcommand, "2ap-7-order", str(tmp_path / "deep.json"), *extra)
    assert_one_line(status, err, f"forms {subcommand}", "nested more than 64 levels deep")


def test_json_nested_64_levels_is_read_and_judged_as_a_form(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text(json.dumps({**example("2ap-7-order"), "x": json.loads("[" * 63 + "]" * 63)}), "utf-8")
    status, err = in_process(capsys, "forms", "validate", "2ap-7-order", str(tmp_path / "deep.json"), "--as-of", "2026-11-28")
    assert "Traceback" not in err
    assert status in (0, 1)


def test_an_integer_too_long_to_read_is_refused_in_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text('{"form": ' + "9" * 5000 + "}", encoding="utf-8")
    status, err = in_process(capsys, "forms", "validate", "2ap-7-order", str(tmp_path / "big.json"))
    assert_one_line(status, err, "forms validate", "a value cannot be read")


@pytest.mark.parametrize("category", [["subscriber"], {"kind": "subscriber"}])
@pytest.mark.parametrize("form_id", ["2ap-7-order", "eu-epoc"])
def test_a_list_or_object_as_the_data_category_is_an_invalid_form_not_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, category: Any, form_id: str
) -> None:
    data = example(form_id)
    data["data_sought"] = {**data["data_sought"], "category": category}
    (tmp_path / "form.json").write_text(json.dumps(data), encoding="utf-8")
    status = main(["forms", "validate", form_id, str(tmp_path / "form.json"), "--as-of", "2026-11-28", "--json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert status == 1
    assert any(issue["path"] == "$.data_sought.category" and issue["severity"] == "error" for issue in json.loads(out))


def test_a_warning_span_too_wide_to_compute_is_refused_in_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "form.json").write_text(json.dumps(example("2ap-7-order")), encoding="utf-8")
    status, err = in_process(
        capsys, "forms", "validate", "2ap-7-order", str(tmp_path / "form.json"), "--max-span-days", str(10**30)
    )
    assert_one_line(status, err, "forms validate", "expected 1 to 36525 days")


def test_a_date_too_early_for_the_staleness_window_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, err = in_process(capsys, "data", "check", "--as-of", "0001-01-01")
    assert_one_line(status, err, "data check", "too early to look back --max-age-days 365")


def test_a_folder_as_the_pairs_file_is_refused_in_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, err = in_process(capsys, "route-matrix", "--pairs", str(tmp_path), "--as-of", "2026-11-28")
    assert_one_line(status, err, "route-matrix", "it is a folder")


# -- the web commands (each in its own process) ------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"seq": "x", "hash": "h", "signature": "s"}', "'seq' must be a whole number of at least 0, not 'x'"),
        ("[]", "expected a JSON object with seq, hash, signature"),
        ('"x"', "expected a JSON object"),
        ("{}", "'seq' must be a whole number"),
        ('{"seq": 1e400, "hash": "h", "signature": "s"}', "'seq' must be a whole number"),
        ('{"seq": 1, "hash": 5, "signature": "s"}', "'hash' must be a string"),
        ('{"a":' * 1000 + "1" + "}" * 1000, "cannot read checkpoint"),
    ],
)
def test_a_malformed_checkpoint_is_refused_in_one_line(tmp_path: Path, content: str, says: str) -> None:
    (tmp_path / "point.json").write_text(content, encoding="utf-8")
    status, err = as_a_command(
        tmp_path, "audit", "verify", "--checkpoint", str(tmp_path / "point.json"), AUDIT_CHECKPOINT_KEY="k" * 32
    )
    assert_one_line(status, err, "audit", says)


def test_a_checkpoint_that_is_not_text_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "point.json").write_bytes(b"\xff\xfe\x00binary")
    status, err = as_a_command(tmp_path, "audit", "verify", "--checkpoint", str(tmp_path / "point.json"))
    assert_one_line(status, err, "audit", "not UTF-8 text")


@pytest.mark.parametrize("argv", [["audit", "checkpoint"], ["audit", "verify", "--checkpoint", "POINT"]])
def test_checkpoints_without_their_key_are_refused_in_one_line(tmp_path: Path, argv: list[str]) -> None:
    (tmp_path / "point.json").write_text('{"seq": 0, "hash": "h", "signature": "s"}', encoding="utf-8")
    argv = [str(tmp_path / "point.json") if a == "POINT" else a for a in argv]
    status, err = as_a_command(tmp_path, *argv)
    assert_one_line(status, err, "audit", "AUDIT_CHECKPOINT_KEY is not set")


def test_a_checkpoint_into_a_missing_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    status, err = as_a_command(
        tmp_path, "audit", "checkpoint", "-o", str(tmp_path / "no" / "point.json"), AUDIT_CHECKPOINT_KEY="k" * 32
    )
    assert_one_line(status, err, "audit", "cannot write")


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"DEBUG": "yes"}, "DEBUG must be True or False, not 'yes'"),
        ({"SESSION_IDLE_MINUTES": "abc"}, "SESSION_IDLE_MINUTES must be a whole number, not 'abc'"),
        ({"SECRET_KEY_FILE": "/nonexistent/secret"}, "SECRET_KEY_FILE: cannot read '/nonexistent/secret'"),
        ({"DATABASE_URL": "nonsense://x"}, "DATABASE_URL cannot be used: Scheme 'nonsense://' is unknown"),
        ({"TRUSTED_PROXY_SSL_HEADER": "X Forwarded: Proto"}, "TRUSTED_PROXY_SSL_HEADER must be an HTTP header name"),
        ({"CYBERSPEX_DATA_DIR": "/proc/cyberspex"}, "CYBERSPEX_DATA_DIR: cannot create the folder '/proc/cyberspex'"),
    ],
)
def test_an_unusable_setting_is_named_in_one_line(tmp_path: Path, env: dict[str, str], says: str) -> None:
    status, err = as_a_command(tmp_path, "audit", "verify", **env)
    assert_one_line(status, err, "audit", says)


@pytest.mark.parametrize(
    ("argv", "command"),
    [(["audit", "verify"], "audit"), (["worker", "--once"], "worker"), (["retention", "run"], "retention")],
)
def test_an_unreachable_database_is_named_in_one_line(tmp_path: Path, argv: list[str], command: str) -> None:
    status, err = as_a_command(tmp_path, *argv, DATABASE_URL=UNREACHABLE_POSTGRES)
    assert_one_line(status, err, command, "cannot use the database (postgresql): connection failed")


def test_a_database_file_that_cannot_be_opened_is_named_in_one_line(tmp_path: Path) -> None:
    status, err = as_a_command(tmp_path, "demo-code", "alice", DATABASE_URL="sqlite:////nonexistent/folder/db.sqlite3")
    assert_one_line(status, err, "demo-code", "cannot use the database (sqlite): unable to open database file")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--within-hours", str(10**12)], "invalid --within-hours 1000000000000: expected 1 to 8784"),
        (["--within-hours", "-5"], "invalid --within-hours -5"),
        (["--interval", "-1"], "invalid --interval -1: expected 1 to 86400 seconds"),
    ],
)
def test_worker_timings_out_of_range_are_refused_in_one_line(tmp_path: Path, argv: list[str], says: str) -> None:
    status, err = as_a_command(tmp_path, "worker", "--once", *argv)
    assert_one_line(status, err, "worker", says)
