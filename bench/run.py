"""The benchmark suite: every benchmark of ``SUITE`` in turn, then one table of their figures.

    make bench                                   # the whole suite (each benchmark at most a few minutes)
    make bench QUICK=1                           # a smoke run: each benchmark with --quick (small data, short loads)
    .venv/bin/python bench/run.py [--quick] [--only NAME ...] [--timeout SECONDS] [--output bench/RESULTS.md]

Each benchmark is the script ``bench/<name>.py``, run in a process of its own (``--quick`` passed
on), bounded by a timeout after which its whole process group is stopped. It writes its figures
with ``harness.record()`` to ``bench/results/<name>.json``. A benchmark that is missing ("not
found"), fails (non-zero exit), times out or writes no result is reported as such and the suite
goes on; the exit code is then 1. A missed target is not a failure of the suite: its figure says
``met: false`` (✗ in the table).

At the end the script reads every ``bench/results/*.json`` written during this run and writes
``bench/RESULTS.md`` (``bench/results/RESULTS.md`` for a ``--quick`` or ``--only`` run, so that
the committed table is always that of a full run of the whole suite): per benchmark, a table
of figure, value, baseline (name and value), ratio, target and whether it is met, with the
machine (cores, Python, load average), the date and the command that produced it. It prints the
same table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
OUTPUT = BENCH / "RESULTS.md"  # the table of a full run of the whole suite, committed
PARTIAL_OUTPUT = RESULTS / "RESULTS.md"  # the table of a --quick or --only run (ignored by git)

# The suite, in the order it runs: cheap in-process figures first, servers under load after.
# retention.py and login_spray.py are long, special-purpose runs kept out of the suite (bench/README.md).
SUITE: tuple[str, ...] = (
    "cli",  # `cyberspex route` vs `python -c pass`; `route-matrix` vs one `route`
    "pdf",  # a new order as PDF vs LibreOffice converting its DOCX; DOCX vs PDF
    "issue_delivery",  # issuing delivered on the platform vs sent outside it
    "whatif",  # the what-if page, first and repeated query, vs a bare page
    "statistics_page",  # the statistics page at 10x the data
    "audit",  # a write with its audit record vs the same write without
    "route_api",  # the route API vs /healthz at p95
    "pages",  # pages served vs /healthz
    "lists",  # lists at 1k vs 100k/1M requests
    "federation",  # messages between two instances vs a local delivery: msg/s and p95 latency
)
TIMEOUT_S = 300.0  # a full run of one benchmark is meant to take at most 4 minutes
QUICK_TIMEOUT_S = 90.0  # a --quick run, at most 30 s, with room for a loaded machine

OK, NOT_FOUND, FAILED, TIMED_OUT, NO_RESULT = "ok", "not found", "failed", "timed out", "no result"


@dataclass
class Outcome:
    """What one benchmark of a run came to: its status, its time, and the results it wrote."""

    name: str
    status: str
    seconds: float = 0.0
    detail: str = ""
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status != OK


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a benchmark and what it started (its servers, its load generators): its process group."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            continue
        return


def _written_since(results: Path, since: float, seen: set[Path]) -> list[dict[str, Any]]:
    """The result files written in ``results`` since ``since`` (and not already counted), read."""
    found = []
    for path in sorted(results.glob("*.json")) if results.is_dir() else []:
        if path in seen or path.stat().st_mtime < since:
            continue
        seen.add(path)
        try:
            found.append({"file": path.name, **json.loads(path.read_text(encoding="utf-8"))})
        except (OSError, ValueError) as error:
            found.append({"file": path.name, "error": f"unreadable: {error}"})
    return found


def run_one(
    name: str,
    *,
    bench: Path = BENCH,
    results: Path = RESULTS,
    quick: bool = False,
    timeout: float = TIMEOUT_S,
    seen: set[Path] | None = None,
) -> Outcome:
    """Run ``bench/<name>.py`` in its own process (and process group), bounded by ``timeout``."""
    script = bench / f"{name}.py"
    if not script.is_file():
        return Outcome(name, NOT_FOUND, detail=f"{script.relative_to(bench.parent)} does not exist")
    seen = set() if seen is None else seen
    command = [sys.executable, str(script)] + (["--quick"] if quick else [])
    print(f"\n== {name}: {shlex.join(command)} (timeout {timeout:.0f} s)", flush=True)
    started_at = time.time() - 1  # file times may be rounded down to the second
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=bench.parent, start_new_session=True)
    try:
        code = process.wait(timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        written = _written_since(results, started_at, seen)
        return Outcome(name, TIMED_OUT, time.monotonic() - started, f"stopped after {timeout:.0f} s", written)
    except KeyboardInterrupt:
        _stop(process)
        raise
    elapsed = time.monotonic() - started
    # What a benchmark that crashed left running (a server) is still in its group: stop it. The
    # usual case is an empty group, which killpg answers with ProcessLookupError.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    written = _written_since(results, started_at, seen)
    if code != 0:
        return Outcome(name, FAILED, elapsed, f"exit code {code}", written)
    if not written:
        return Outcome(name, NO_RESULT, elapsed, f"exit code 0 but nothing written in {results.name}/")
    return Outcome(name, OK, elapsed, results=written)


# --- the table ---------------------------------------------------------------------------


def _number(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _with_unit(value: Any, unit: str | None) -> str:
    text = _number(value)
    return f"{text} {unit}" if unit and value is not None else text


def _met(value: Any) -> str:
    return {True: "✓", False: "✗"}.get(value, "—")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def figure_row(fig: Mapping[str, Any]) -> str:
    """One line of a benchmark's table: figure | value | baseline | ratio | target | met."""
    unit = fig.get("unit")
    baseline_name = fig.get("baseline") or ""
    baseline_value = _with_unit(fig.get("baseline_value"), unit)
    baseline = f"{baseline_name}: {baseline_value}" if baseline_name else baseline_value
    ratio = fig.get("ratio")
    value, base = fig.get("value"), fig.get("baseline_value")
    if isinstance(value, int | float) and isinstance(base, int | float) and base:
        ratio = value / base  # three significant figures: the JSON's two decimals would print 0.027 as 0.03
    target = fig.get("target")
    cells = [
        str(fig.get("figure", "?")),
        _with_unit(fig.get("value"), unit),
        baseline,
        "—" if ratio is None else f"{_number(ratio)}×",
        "—" if target is None else f"≤ {_number(target)}×",
        _met(fig.get("met")),
    ]
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _load(machine: Mapping[str, Any] | None) -> str:
    load = (machine or {}).get("load_average")
    return ", ".join(_number(x) for x in load) if isinstance(load, list) else "?"


def result_section(result: Mapping[str, Any], benchmark: str = "") -> list[str]:
    """The table of one result file (a benchmark may write more than one: each is named but the
    one named after the benchmark)."""
    name = result.get("benchmark") or Path(str(result.get("file", "?"))).stem
    lines = [] if name == benchmark else [f"#### {name}", ""]
    if "error" in result:
        return [*lines, f"{result['file']}: {result['error']}", ""]
    figures = result.get("figures")
    if not isinstance(figures, list):
        return [*lines, f"{result.get('file')}: no figures in the common shape (harness.record)", ""]
    lines.append(f"Measured {result.get('measured_at', '?')}, load average at its start {_load(result.get('machine'))}.")
    lines += ["", "| figure | value | baseline | ratio | target | met |", "|---|---:|---|---:|---:|:---:|"]
    lines += [figure_row(fig) for fig in figures if isinstance(fig, Mapping)]
    if not figures:
        lines.append("| (no figure) | | | | | |")
    skipped = result.get("skipped") or []
    lines += [""] + [f"- Skipped: {note}" for note in skipped] if skipped else []
    return [*lines, ""]


def _machine_line(machine: Mapping[str, Any]) -> str:
    return (
        f"{machine.get('cores', '?')} cores ({machine.get('machine', '?')}), Python {machine.get('python', '?')}, "
        f"load average {_load(machine)} at the start"
    )


def build_table(outcomes: Sequence[Outcome], *, machine: Mapping[str, Any], command: str, date: str, quick: bool = False) -> str:
    """The Markdown of a run: the machine, the date, the command, a summary, then each benchmark's table."""
    figures = [fig for o in outcomes for r in o.results for fig in r.get("figures") or [] if isinstance(fig, Mapping)]
    held = [fig for fig in figures if fig.get("met") is not None]
    lines = ["# Benchmark results", ""]
    if quick:
        lines += [
            "**A quick smoke run** (`--quick`: small data, short loads): the figures show that each benchmark",
            "works, not how fast the platform is.",
            "",
        ]
    lines += [
        f"- Date: {date}",
        f"- Machine: {_machine_line(machine)}",
        f"- Command: `{command}`",
        f"- Targets met: {sum(1 for fig in held if fig['met'])} of {len(held)}"
        f" ({len(figures)} figures; a ratio is the value over its baseline measured in the same run)",
        "",
        "| benchmark | status | time |",
        "|---|---|---:|",
    ]
    for o in outcomes:
        status = o.status if not o.detail else f"{o.status}: {o.detail}"
        lines.append(f"| {o.name} | {_cell(status)} | {o.seconds:.0f} s |")
    lines.append("")
    for o in outcomes:
        lines += [f"### {o.name}", ""]
        if o.status != OK:
            lines += [f"**{o.status}**" + (f": {o.detail}" if o.detail else ""), ""]
        for result in o.results:
            lines += result_section(result, o.name)
    return "\n".join(lines).rstrip() + "\n"


def machine_now() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def run_suite(
    names: Iterable[str], *, bench: Path = BENCH, results: Path = RESULTS, quick: bool = False, timeout: float | None = None
) -> list[Outcome]:
    seen: set[Path] = set()
    limit = timeout if timeout is not None else QUICK_TIMEOUT_S if quick else TIMEOUT_S
    outcomes = []
    for name in names:
        outcome = run_one(name, bench=bench, results=results, quick=quick, timeout=limit, seen=seen)
        if outcome.status == NOT_FOUND:
            print(f"\n== {name}: not found ({outcome.detail})", flush=True)
        outcomes.append(outcome)
    return outcomes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pass --quick to each benchmark (a smoke run)")
    parser.add_argument("--only", action="append", metavar="NAME", choices=SUITE, help="run only this benchmark (repeatable)")
    parser.add_argument(
        "--timeout", type=float, help=f"seconds per benchmark (default {TIMEOUT_S:.0f}, {QUICK_TIMEOUT_S:.0f} with --quick)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="the Markdown table (default bench/RESULTS.md; bench/results/RESULTS.md with --quick or --only)",
    )
    args = parser.parse_args(argv)
    output: Path = args.output or (PARTIAL_OUTPUT if args.quick or args.only else OUTPUT)
    names = [name for name in SUITE if name in (args.only or SUITE)]
    machine = machine_now()
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    outcomes = run_suite(names, quick=args.quick, timeout=args.timeout)
    given = list(argv if argv is not None else sys.argv[1:])
    if set(given) <= {"--quick"}:
        command = "make bench" + (" QUICK=1" if args.quick else "")
    else:
        command = shlex.join([".venv/bin/python", "bench/run.py", *given])
    table = build_table(outcomes, machine=machine, command=command, date=date, quick=args.quick)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(table, encoding="utf-8")
    print("\n" + table)
    try:
        shown = output.resolve().relative_to(ROOT)
    except ValueError:
        shown = output
    failed = [o for o in outcomes if o.failed]
    if failed:
        print(f"{len(failed)} of {len(outcomes)} benchmarks did not give results: "
              + ", ".join(f"{o.name} ({o.status})" for o in failed) + f"; table in {shown}", file=sys.stderr)  # fmt: skip
        return 1
    print(f"all {len(outcomes)} benchmarks gave results; table in {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
