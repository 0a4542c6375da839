"""`make audit` reports what it could check: "skipped: no network" when no vulnerability service
answers (pip-audit alone would then claim "No known vulnerabilities found"), a failure for any
vulnerability not documented in pip-audit.yaml, and a count of the packages checked otherwise.
The service is replaced by recorded answers, so this runs offline."""

from __future__ import annotations

from typing import Any

import pytest

from tests.security import pip_audit

UNREACHABLE = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"}]}
CANARY_FOUND = {"dependencies": [{"name": "django", "version": "4.2", "vulns": [{"id": "PYSEC-2023-61", "fix_versions": []}]}]}
CLEAN = {
    "dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}, {"name": "pyyaml", "version": "6.0.3", "vulns": []}]
}
VULNERABLE = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": [{"id": "GHSA-xxxx-yyyy-zzzz", "fix_versions": ["5.2.20"]}]}
    ]
}


def _service(canary: dict[str, Any], environment: dict[str, Any]) -> Any:
    def audit(*arguments: str) -> tuple[int, dict[str, Any] | None, str]:
        if "-r" in arguments:  # the canary
            return 0, canary, ""
        return (1 if any(d.get("vulns") for d in environment["dependencies"]) else 0), environment, ""

    return audit


def test_it_says_skipped_no_network_when_no_service_reports_the_canary(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pip_audit, "_audit", _service(UNREACHABLE, CLEAN))
    assert pip_audit.main() == 0
    assert capsys.readouterr().out.startswith("pip-audit: skipped: no network (")


def test_it_fails_on_a_vulnerability_not_documented(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pip_audit, "_audit", _service(CANARY_FOUND, VULNERABLE))
    assert pip_audit.main() == 1
    assert "django 5.2.19: GHSA-xxxx-yyyy-zzzz (fixed in 5.2.20)" in capsys.readouterr().out


def test_it_counts_the_packages_it_checked(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pip_audit, "_audit", _service(CANARY_FOUND, CLEAN))
    assert pip_audit.main() == 0
    assert "pip-audit (pypi): 2 package(s) checked, 0 known vulnerabilit(ies)" in capsys.readouterr().out
