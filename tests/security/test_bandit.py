"""Bandit finds nothing in src/ but the exceptions documented in bandit.yaml, each with its reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "bandit.yaml"
BANDIT = Path(sys.executable).with_name("bandit")


def _findings() -> list[dict[str, Any]]:
    run = subprocess.run(
        [str(BANDIT), "-q", "-r", "src", "-c", str(CONFIG), "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(run.stdout)
    assert report["errors"] == [], report["errors"]  # a file bandit could not read is not "no finding"
    return list(report["results"])


def _line(finding: dict[str, Any]) -> str:
    path = ROOT / os.path.normpath(finding["filename"])
    return path.read_text(encoding="utf-8").splitlines()[finding["line_number"] - 1].strip()


def _excused(finding: dict[str, Any], exception: dict[str, str]) -> bool:
    return (
        finding["test_id"] == exception["id"]
        and os.path.normpath(finding["filename"]) == exception["file"]
        and _line(finding).startswith(exception["code"])
    )


def test_every_exception_gives_its_reason() -> None:
    exceptions = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["exceptions"]
    assert [e for e in exceptions if set(e) != {"id", "file", "code", "reason"}] == []
    assert [e for e in exceptions if len(e["reason"]) < 20] == []


def test_bandit_finds_nothing_but_the_documented_exceptions() -> None:
    exceptions = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["exceptions"]
    findings = _findings()
    new = [f for f in findings if not any(_excused(f, e) for e in exceptions)]
    stale = [e for e in exceptions if not any(_excused(f, e) for f in findings)]
    lines = [
        f"  - id: {f['test_id']}  # {f['test_name']}: {f['issue_text']}\n"
        f"    file: {os.path.normpath(f['filename'])}\n"
        f"    code: {_line(f)[:60]!r}\n"
        f"    reason: why this is safe (line {f['line_number']})"
        for f in new
    ]
    message = (
        f"{len(new)} new bandit finding(s): fix the code, or add to bandit.yaml under exceptions:\n" + "\n".join(lines)
        if new
        else ""
    )
    if stale:
        message += f"\nexceptions in bandit.yaml that match no finding any more, remove them: {stale}"
    assert not message, message
