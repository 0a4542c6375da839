"""``cyberspex route-matrix``: every ordered pair of States, every request shape."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from cyberspex.cli.common import UsageError, parse_date, today
from cyberspex.cli.route import add_what_if, what_if_from
from cyberspex.law.matrix import REQUESTS, MatrixResult, run_matrix
from cyberspex.law.model import ReferenceData
from cyberspex.law.routes import ROUTE_IDS
from cyberspex.law.scenario import WhatIf


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_what_if(parser)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--pairs", metavar="FILE", help="also write one JSON line per scenario to FILE")


def summary(result: MatrixResult, elapsed: float, args: argparse.Namespace, what_if: WhatIf) -> dict[str, Any]:
    return {
        "schema": "cyberspex.route-matrix/1",
        "as_of": result.as_of.isoformat(),
        "what_if": {
            "assume_in_force": args.assume_in_force,
            "assume_ratified": ["all-signatories"] if what_if.assume_all_signatories else sorted(what_if.assume_ratified),
        },
        "states": len(result.states),
        "request_shapes": len(REQUESTS),
        "scenarios": result.scenarios,
        "distinct_evaluations": result.distinct_evaluations,
        "elapsed_seconds": round(elapsed, 4),
        "scenarios_per_second": round(result.scenarios / elapsed) if elapsed else None,
        "by_route": {route: dict(sorted(result.by_route[route].items())) for route in ROUTE_IDS},
        "recommended": dict(result.recommended.most_common()),
    }


def write_pairs(result: MatrixResult, target: Path) -> int:
    partial = target.with_name(target.name + ".partial")
    lines = 0
    with partial.open("w", encoding="utf-8") as out:
        for issuing, provider, request, cell in result.pairs():
            row = {
                "issuing": issuing,
                "provider_state": provider,
                "data": str(request.data),
                "measure": str(request.measure),
                "emergency": request.any_emergency,
                "emergency_kind": str(request.emergency) if request.emergency else None,
                "statuses": dict(zip(ROUTE_IDS, (s.value for s in cell.statuses), strict=True)),
                "recommended": cell.recommended,
            }
            out.write(json.dumps(row, separators=(",", ":")) + "\n")
            lines += 1
    partial.replace(target)  # only a complete file ever appears under the requested name
    return lines


def run(data: ReferenceData, args: argparse.Namespace) -> str:
    as_of = parse_date(args.as_of, "--as-of") if args.as_of else today()
    what_if = what_if_from(data, args)
    started = time.perf_counter()
    result = run_matrix(data, as_of=as_of, what_if=what_if)
    elapsed = time.perf_counter() - started
    if args.pairs:
        target = Path(args.pairs)
        if not target.parent.is_dir():
            raise UsageError(f"cannot write --pairs {args.pairs!r}: folder {str(target.parent)!r} does not exist")
        if target.is_dir():
            raise UsageError(f"cannot write --pairs {args.pairs!r}: it is a folder")
        write_pairs(result, target)
    body = summary(result, elapsed, args, what_if)
    if args.json:
        return json.dumps(body, indent=2)
    lines = [
        f"route matrix as of {body['as_of']}: {body['states']} States, {body['scenarios']} scenarios "
        f"({body['distinct_evaluations']} distinct evaluations) in {elapsed:.3f} s, "
        f"{body['scenarios_per_second']} scenarios/s",
        f"  {'route':<11} {'available':>10} {'conditional':>12} {'unavailable':>12}",
    ]
    for route in ROUTE_IDS:
        counts = body["by_route"][route]
        available, conditional, unavailable = (counts.get(s, 0) for s in ("available", "conditional", "unavailable"))
        lines.append(f"  {route:<11} {available:>10} {conditional:>12} {unavailable:>12}")
    lines.append("  recommended: " + ", ".join(f"{k} {v}" for k, v in body["recommended"].items()))
    return "\n".join(lines)
