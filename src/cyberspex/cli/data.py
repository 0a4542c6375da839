"""``cyberspex data check``: validate every data file; report unverified and stale values.
``cyberspex data export``: write the data, with curated changes applied, and its manifest."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from cyberspex.cli.common import UsageError, parse_date, today
from cyberspex.refdata import export as exporting
from cyberspex.refdata.check import cross_check, review, summary
from cyberspex.refdata.loader import Problem, ReferenceDataError, checked_raw, read_raw
from cyberspex.refdata.overlay import fingerprint

INVALID = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="date against which staleness is judged (default: today)")
    parser.add_argument("--max-age-days", type=int, default=365, help="status values older than this are stale (default 365)")
    parser.add_argument("--json", action="store_true", help="print every problem as JSON")
    parser.add_argument("--verbose", action="store_true", help="list every warning, not only the counts")


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="DIR", required=True, help="directory to write data/ and manifest.json into")
    parser.add_argument(
        "--changes",
        metavar="FILE",
        help="JSON file of published curated changes to apply (the patches.json of the web platform's export)",
    )
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the date the manifest records (default: today)")


def export(args: argparse.Namespace) -> tuple[int, str]:
    """Write ``DIR/data/<document>``, ``DIR/patches.json`` and ``DIR/manifest.json`` (docs/portal.md, Curation)."""
    patches = []
    if args.changes:
        try:
            patches = exporting.read_patches(Path(args.changes).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise UsageError(f"invalid --changes {args.changes}: {error}") from error
    raw, errors = checked_raw(patches)
    if errors or raw is None:
        raise ReferenceDataError(errors)
    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"invalid --out {args.out}: the directory is not empty")
    on = parse_date(args.date, "--date") if args.date else today()
    version = exporting.version_name(exporting.shipped_fingerprint(), len(patches), fingerprint(patches))
    manifest = exporting.export_dir(out, patches, data_version=version, on=on)
    return 0, f"wrote {len(manifest['files'])} documents and manifest.json to {out} (data version {version})"


def check(args: argparse.Namespace) -> tuple[int, str]:
    if args.max_age_days < 1:
        raise UsageError(f"invalid --max-age-days {args.max_age_days}: expected a positive number of days")
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else today()
    if (as_of - date.min).days < args.max_age_days:
        raise UsageError(f"invalid --as-of {as_of.isoformat()}: too early to look back --max-age-days {args.max_age_days}")
    raw, problems = read_raw()
    if raw is not None:
        problems += cross_check(raw) + review(raw, today=as_of, max_age_days=args.max_age_days)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    status = INVALID if errors or raw is None else 0
    counts = summary(raw) if raw is not None else None
    if args.json:
        body = {
            "valid": status == 0,
            "errors": [_json(p) for p in errors],
            "warnings": [_json(p) for p in warnings],
            "summary": counts,
        }
        return status, json.dumps(body, indent=2, ensure_ascii=False)
    lines = _text(errors, warnings, args.verbose, raw is not None)
    return status, "\n".join(_summary_text(counts, args.verbose) + lines if counts else lines)


def _json(problem: Problem) -> dict[str, str]:
    return {"file": problem.file, "key": problem.key, "problem": problem.message}


def _text(errors: list[Problem], warnings: list[Problem], verbose: bool, parsed: bool) -> list[str]:
    lines = [f"error: {p}" for p in errors]
    unverified = [w for w in warnings if w.message.startswith("not verified")]
    stale = [w for w in warnings if w.message.startswith("stale")]
    if verbose:
        lines += [f"warning: {w}" for w in warnings]
    per_file = Counter(w.file for w in unverified)
    lines.append(
        f"{'INVALID' if errors or not parsed else 'valid'}: {len(errors)} error(s); "
        f"{len(unverified)} unverified value(s) in {len(per_file)} file(s); {len(stale)} stale status value(s)"
    )
    if not verbose and warnings:
        lines.append("run with --verbose to list them")
    return lines


def _summary_text(counts: dict[str, Any], verbose: bool) -> list[str]:
    values = counts["values"]
    lines = [
        f"values: {values['total']} sourced, {values['verified']} verified ({values['verified_percent']}%), "
        f"{values['secondary']} secondary, {values['derived']} derived, {values['unverified']} not verified",
        "citations in the rules (verified / total; distinct provisions verified / cited):",
    ]
    for instrument, cited in counts["citations"].items():
        lines.append(
            f"  {instrument}: {cited['verified']} / {cited['total']} ({cited['verified_percent']}%); "
            f"provisions {cited['provisions_verified']} / {cited['provisions']}"
        )
        if verbose and cited["unverified_provisions"]:
            lines.append("    not yet verified: " + ", ".join(cited["unverified_provisions"]))
    return lines
