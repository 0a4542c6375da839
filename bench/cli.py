"""Command-line start-up: ``cyberspex route`` against ``python -c pass``, and the route matrix against one route.

Every command is timed as users run it: a fresh process of the installed ``cyberspex`` script,
start-up included, with its output read from a pipe. The commands take turns within each round
(so a burst of load from elsewhere hits them all alike) and each figure is the median over the
rounds. The baselines are measured in the same run:

- ``python -c pass`` (the same interpreter): the floor of any Python command;
- ``cyberspex route --issuing FR --provider-state US --data subscriber --json`` with the
  reference-data cache present (refdata/cache.py), as users meet it on every run after the first.
  Target: at most 5x ``python -c pass`` (issue #12, item 5);
- the same with the cache emptied before each run (the first run after an install or a data
  change: the 84 YAML files read and validated): recorded for information, no target;
- ``cyberspex route-matrix --json`` (every pair of States x data categories x measures x
  emergencies) against one warm ``route``. Target: at most 5x (issue #2);
- ``cyberspex --help``: for information.

The cache lives in a throw-away directory (``CYBERSPEX_CACHE_DIR``) for the whole run, so the
user's own cache is neither used nor changed. Bytecode is written and used as in an installed
package (pip compiles it at install time), into a throw-away ``PYTHONPYCACHEPREFIX``, even if
``PYTHONDONTWRITEBYTECODE`` is set where the benchmark runs: compiling every module on every run
is not what users pay. Results: ``bench/results/cli.json``.

    .venv/bin/python bench/cli.py [--runs 15] [--quick]

Exits 0 when every figure was measured, whether or not its target is met (the figures say
``met``); 1 when a command failed, i.e. nothing could be measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from harness import CYBERSPEX, figure, record

NOOP = [sys.executable, "-c", "pass"]
ROUTE = [str(CYBERSPEX), "route", "--issuing", "FR", "--provider-state", "US", "--data", "subscriber", "--json"]
MATRIX = [str(CYBERSPEX), "route-matrix", "--json"]
HELP = [str(CYBERSPEX), "--help"]
TARGET_ROUTE = 5.0  # route (cache warm) / python -c pass
TARGET_MATRIX = 5.0  # route-matrix / route


class MeasurementFailed(Exception):
    """A command did not succeed: its time means nothing."""


def timed(argv: list[str], env: Mapping[str, str], before: Callable[[], None] | None = None) -> tuple[float, str]:
    """Seconds from starting the process to its exit, and what it printed."""
    if before is not None:
        before()
    started = time.perf_counter()
    done = subprocess.run(argv, env=dict(env), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise MeasurementFailed(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return elapsed, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds, each running every command once (default 15)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 rounds")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    if not CYBERSPEX.exists():
        print(f"cannot measure: {CYBERSPEX} is missing (make .venv/.installed-dev)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="cyberspex-bench-cli-") as folder:
        cache = Path(folder) / "cache"
        env = {**os.environ, "CYBERSPEX_CACHE_DIR": str(cache), "PYTHONPYCACHEPREFIX": str(Path(folder) / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)

        def empty_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        commands: dict[str, tuple[list[str], Callable[[], None] | None]] = {
            "noop": (NOOP, None),
            "route_warm": (ROUTE, None),
            "help": (HELP, None),
            "matrix": (MATRIX, None),
            "route_cold": (ROUTE, empty_cache),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        outputs: dict[str, str] = {}
        try:
            timed(ROUTE, env)  # fills the cache, the bytecode and the file system's caches
            if not args.quick:  # a smoke run stays short: the matrix is its longest command
                timed(MATRIX, env)
            for _ in range(runs):
                for name, (argv, before) in commands.items():
                    elapsed, outputs[name] = timed(argv, env, before)
                    times[name].append(elapsed)
                timed(ROUTE, env)  # leaves the cache warm for the next round
        except MeasurementFailed as error:
            print(f"cannot measure: {error}", file=sys.stderr)
            return 1
    median = {name: statistics.median(values) for name, values in times.items()}
    summary: dict[str, Any] = json.loads(outputs["matrix"])
    figures = [
        figure(
            "cyberspex route (cache warm)",
            median["route_warm"],
            median["noop"],
            unit="s",
            baseline_name="python -c pass",
            target=TARGET_ROUTE,
        ),
        figure("cyberspex route (cache emptied)", median["route_cold"], median["noop"], unit="s", baseline_name="python -c pass"),
        figure(
            "cyberspex route-matrix",
            median["matrix"],
            median["route_warm"],
            unit="s",
            baseline_name="cyberspex route (cache warm)",
            target=TARGET_MATRIX,
        ),
        figure("cyberspex --help", median["help"], median["noop"], unit="s", baseline_name="python -c pass"),
    ]
    path = record(
        "cli",
        figures,
        runs=runs,
        quick=args.quick,
        commands={"route": ROUTE[1:], "route_matrix": MATRIX[1:], "help": HELP[1:], "baseline": NOOP[1:]},
        cache="warm: the reference-data cache file present (every run after the first); "
        "emptied: its directory removed before each run (bytecode and file-system caches stay warm)",
        medians_s={name: round(value, 4) for name, value in median.items()},
        all_s={name: [round(v, 4) for v in values] for name, values in times.items()},
        matrix={
            "scenarios": summary["scenarios"],
            "distinct_evaluations": summary["distinct_evaluations"],
            "in_process_s": summary["elapsed_seconds"],
            "scenarios_per_second": summary["scenarios_per_second"],
        },
    )
    for item in figures:
        target = f" (target <= {item['target']}x: {'met' if item['met'] else 'NOT met'})" if item["target"] else ""
        print(f"{item['figure']}: {item['value']} s = {item['ratio']}x {item['baseline']} ({item['baseline_value']} s){target}")
    print(f"load average {os.getloadavg()[0]:.2f}; written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
