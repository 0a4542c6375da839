"""``make audit``: pip-audit over the installed packages, with the exceptions of pip-audit.yaml.

pip-audit asks a vulnerability service (PyPI's per-release JSON, or OSV). Where neither answers,
pip-audit itself reports "No known vulnerabilities found" for packages it could not check, so
this first audits a canary, a release with published advisories (Django 4.2): a service that
does not report the canary is not reachable, and the step says "skipped: no network" and exits
0 instead of pretending. Otherwise any vulnerability not listed in pip-audit.yaml fails (exit 1).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
PIP_AUDIT = Path(sys.executable).with_name("pip-audit")
CANARY = "django==4.2"  # published advisories (e.g. CVE-2023-31047): any working service reports some
SERVICES = ("pypi", "osv")


def _audit(*arguments: str) -> tuple[int, dict[str, Any] | None, str]:
    run = subprocess.run(  # our own tool, fixed arguments
        [str(PIP_AUDIT), "--format", "json", "--progress-spinner", "off", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        return run.returncode, json.loads(run.stdout), run.stderr
    except json.JSONDecodeError:
        return run.returncode, None, run.stderr


def _working_service() -> tuple[str | None, list[str]]:
    """The first service that reports the canary's advisories, and why the others did not."""
    why = []
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as canary:
        canary.write(CANARY + "\n")
    try:
        for service in SERVICES:
            _, report, errors = _audit("-r", canary.name, "--no-deps", "--disable-pip", "--vulnerability-service", service)
            found = [v for d in (report or {}).get("dependencies", []) for v in d.get("vulns", [])]
            if found:
                return service, why
            skipped = [d.get("skip_reason", "") for d in (report or {}).get("dependencies", [])]
            last = errors.strip().splitlines()[-1] if errors.strip() else ""
            why.append(f"{service}: {'; '.join(s for s in skipped if s) or last or 'no advisory reported'}")
    finally:
        Path(canary.name).unlink()
    return None, why


def main() -> int:
    exceptions = yaml.safe_load((ROOT / "pip-audit.yaml").read_text(encoding="utf-8"))["exceptions"] or []
    assert all(e.get("id") and e.get("package") and e.get("reason") for e in exceptions), "each exception: id, package, reason"
    service, why = _working_service()
    if service is None:
        print(f"pip-audit: skipped: no network (no vulnerability service answered for {CANARY}: {' | '.join(why)})")
        return 0
    ignored = [argument for e in exceptions for argument in ("--ignore-vuln", e["id"])]
    code, report, errors = _audit("--vulnerability-service", service, "--skip-editable", *ignored)
    if report is None:
        print(f"pip-audit: failed to run: {errors.strip()[-500:]}")
        return 1
    dependencies = report["dependencies"]
    vulnerable = [(d["name"], d["version"], v["id"], v.get("fix_versions")) for d in dependencies for v in d.get("vulns", [])]
    unchecked = [f"{d['name']}: {d['skip_reason']}" for d in dependencies if d.get("skip_reason")]
    for name, version, advisory, fixes in vulnerable:
        print(f"pip-audit: {name} {version}: {advisory} (fixed in {', '.join(fixes or []) or 'no release yet'})")
    for line in unchecked:
        print(f"pip-audit: not checked: {line}")
    checked = len(dependencies) - len(unchecked)
    print(
        f"pip-audit ({service}): {checked} package(s) checked, {len(vulnerable)} known vulnerabilit(ies), "
        f"{len(exceptions)} documented exception(s)"
    )
    return 1 if vulnerable or code not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main())
