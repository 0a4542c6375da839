"""Bad input to the federation commands (instance, peers, federation, outbox) ends in one line
naming the problem and exit status 2 (the rule of tests/security/test_command_line_inputs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.test_command_line_inputs import as_a_command, assert_one_line


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["peers", "add"], "peers add needs a FILE"),
        (["peers", "remove"], "peers remove needs an instance ID"),
        (["peers", "add", "MISSING"], "cannot read"),
        (["peers", "add", "BINARY"], "not UTF-8 text"),
        (["outbox", "retry"], "outbox retry needs the message's ID"),
        (["outbox", "retry-file"], "outbox retry-file needs the file transfer's ID"),
        (["federation", "deliver", "--interval", "0"], "invalid --interval 0"),
    ],
)
def test_missing_or_unreadable_arguments_are_refused_in_one_line_before_the_database_is_opened(
    tmp_path: Path, argv: list[str], says: str
) -> None:
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00")
    files = {"MISSING": str(tmp_path / "missing.json"), "BINARY": str(tmp_path / "binary.json")}
    status, err = as_a_command(tmp_path, *[files.get(a, a) for a in argv])
    assert_one_line(status, err, argv[0], says)
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["peers", "add", "DOCUMENT"], "not an identity document: not a JWS JSON serialisation"),
        (["peers", "remove", "nobody.example"], "peer 'nobody.example' not found"),
        (["outbox", "retry", "not-a-message"], "outbox message 'not-a-message' not found"),
        (["outbox", "retry-file", "12345"], "file transfer '12345' not found"),
    ],
)
def test_what_the_instance_does_not_know_is_refused_in_one_line(tmp_path: Path, argv: list[str], says: str) -> None:
    (tmp_path / "document.json").write_text("{}", encoding="utf-8")
    status, err = as_a_command(tmp_path, *[str(tmp_path / "document.json") if a == "DOCUMENT" else a for a in argv], DEBUG="True")
    assert_one_line(status, err, argv[0], says)
