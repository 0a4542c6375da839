"""Benchmark: the whole route matrix against one single route call, start-up included.

Both are timed as the user runs them (a fresh `cyberspex` process), in the same run on
the same machine, so the ratio cancels out the hardware. Target (issue #2): the matrix
costs no more than a few times one single call; this script fails above RATIO_LIMIT.

    .venv/bin/python bench/route_matrix.py [--runs 7] [--output bench/results/route_matrix.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

CLI = [sys.executable, "-m", "cyberspex"]
SINGLE = ["route", "--issuing", "FR", "--provider-state", "US", "--data", "subscriber", "--as-of", "2026-11-28", "--json"]
MATRIX = ["route-matrix", "--as-of", "2026-11-28", "--json"]
NOOP = [sys.executable, "-c", "pass"]
RATIO_LIMIT = 5.0


def timed(argv: list[str], runs: int) -> tuple[list[float], str]:
    times, out = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - started)
        out = result.stdout
    return times, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--output", default=str(Path(__file__).parent / "results" / "route_matrix.json"))
    args = parser.parse_args()

    timed(CLI + SINGLE, 1)  # warm the file cache and bytecode
    noop, _ = timed(NOOP, args.runs)
    single, _ = timed(CLI + SINGLE, args.runs)
    matrix, out = timed(CLI + MATRIX, args.runs)
    summary = json.loads(out)
    ratio = statistics.median(matrix) / statistics.median(single)
    result = {
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "runs": args.runs,
        "python_startup_median_s": round(statistics.median(noop), 4),
        "single_route_median_s": round(statistics.median(single), 4),
        "route_matrix_median_s": round(statistics.median(matrix), 4),
        "ratio_matrix_to_single": round(ratio, 2),
        "ratio_limit": RATIO_LIMIT,
        "matrix_scenarios": summary["scenarios"],
        "matrix_distinct_evaluations": summary["distinct_evaluations"],
        "matrix_in_process_s": summary["elapsed_seconds"],
        "matrix_scenarios_per_second": summary["scenarios_per_second"],
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    if ratio > RATIO_LIMIT:
        print(f"FAIL: the matrix costs {ratio:.2f}x one route call (limit {RATIO_LIMIT}x)", file=sys.stderr)
        return 1
    print(f"ok: the matrix costs {ratio:.2f}x one route call (limit {RATIO_LIMIT}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
