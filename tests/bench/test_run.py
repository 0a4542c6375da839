"""bench/run.py: the suite runs each benchmark in its own bounded process and tabulates what they wrote."""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
import time
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def figure(name: str, value: float, baseline: float, target: float | None, unit: str = "ms") -> dict[str, object]:
    ratio = round(value / baseline, 2)
    return {
        "figure": name,
        "value": value,
        "baseline": "healthz p95",
        "baseline_value": baseline,
        "unit": unit,
        "ratio": ratio,
        "target": target,
        "met": None if target is None else ratio <= target,
    }


def benchmark(folder: Path, name: str, body: str) -> None:
    (folder / "bench").mkdir(exist_ok=True)
    (folder / "bench" / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")


def writes_result(results: Path, name: str, figures: list[dict[str, object]], *, exit_code: int = 0) -> str:
    document = {"benchmark": name, "measured_at": "2026-12-02T03:00:00Z", "machine": {"load_average": [1.5, 1.0, 0.5]}}
    document["figures"] = figures
    return f"""
        import json, pathlib, sys
        results = pathlib.Path({str(results)!r})
        results.mkdir(exist_ok=True)
        (results / "{name}.json").write_text(json.dumps({document!r}))
        sys.exit({exit_code})
    """


def test_a_figure_row_reads_value_baseline_ratio_target_and_met(run: ModuleType) -> None:
    row = run.figure_row(figure("route API p95, c=8", 12.0, 5.0, 2.0))
    assert row == "| route API p95, c=8 | 12 ms | healthz p95: 5 ms | 2.4× | ≤ 2× | ✗ |"


def test_a_figure_within_its_target_is_ticked_and_one_without_target_is_a_dash(run: ModuleType) -> None:
    assert run.figure_row(figure("pdf", 40.0, 1200.0, 0.1)).endswith("| 0.0333× | ≤ 0.1× | ✓ |")
    assert run.figure_row(figure("stats", 1500.0, 200.0, 10.0)).endswith("| 1,500 ms | healthz p95: 200 ms | 7.5× | ≤ 10× | ✓ |")
    assert run.figure_row(figure("rps", 300.0, 900.0, None, unit="req/s")).endswith("| 0.333× | — | — |")


def test_the_table_names_the_machine_the_date_the_command_and_counts_targets_met(run: ModuleType) -> None:
    outcome = run.Outcome("route_api", run.OK, 12.0, results=[{"file": "route_api.json", "benchmark": "route_api",
        "measured_at": "2026-12-02T03:00:00Z", "machine": {"load_average": [2.0, 1.0, 0.5]},
        "figures": [figure("c=1", 6.0, 5.0, 2.0), figure("c=32", 30.0, 5.0, 2.0), figure("rps", 1.0, 2.0, None)]}])  # fmt: skip
    machine = {"cores": 2, "machine": "x86_64", "python": "3.11.7", "load_average": [3.1, 2.0, 1.0]}
    table = run.build_table([outcome], machine=machine, command="make bench", date="2026-12-02 03:00 UTC")
    assert "- Date: 2026-12-02 03:00 UTC" in table
    assert "- Machine: 2 cores (x86_64), Python 3.11.7, load average 3.1, 2, 1 at the start" in table
    assert "- Command: `make bench`" in table
    assert "- Targets met: 1 of 2 (3 figures;" in table
    assert "| c=32 | 30 ms | healthz p95: 5 ms | 6× | ≤ 2× | ✗ |" in table
    assert "quick smoke run" not in table
    assert "#### route_api" not in table  # one result named after its benchmark needs no second heading


def test_each_further_result_file_of_a_benchmark_gets_its_own_heading(run: ModuleType) -> None:
    files = [{"file": f"lists_{db}.json", "benchmark": f"lists_{db}", "figures": []} for db in ("sqlite", "postgresql")]
    table = run.build_table([run.Outcome("lists", run.OK, 1.0, results=files)], machine={}, command="make bench", date="today")
    assert "#### lists_sqlite" in table
    assert "#### lists_postgresql" in table


def test_a_result_in_another_shape_is_reported_rather_than_tabulated(run: ModuleType) -> None:
    outcome = run.Outcome("whatif", run.OK, 1.0, results=[{"file": "whatif.json", "runs": 5}])
    table = run.build_table([outcome], machine={}, command="make bench", date="today", quick=True)
    assert "whatif.json: no figures in the common shape" in table
    assert "A quick smoke run" in table


def test_a_missing_benchmark_is_reported_not_found_and_the_suite_goes_on(run: ModuleType, tmp_path: Path) -> None:
    results = tmp_path / "results"
    benchmark(tmp_path, "works", writes_result(results, "works", [figure("a", 1.0, 2.0, 1.0)]))
    outcomes = run.run_suite(["absent", "works"], bench=tmp_path / "bench", results=results, timeout=60)
    assert [(o.name, o.status) for o in outcomes] == [("absent", "not found"), ("works", "ok")]
    assert outcomes[0].failed
    assert outcomes[1].results[0]["figures"][0]["met"] is True


def test_a_failing_benchmark_is_reported_with_its_exit_code_and_what_it_wrote(run: ModuleType, tmp_path: Path) -> None:
    results = tmp_path / "results"
    benchmark(tmp_path, "broken", writes_result(results, "broken", [figure("a", 1.0, 2.0, 1.0)], exit_code=3))
    [outcome] = run.run_suite(["broken"], bench=tmp_path / "bench", results=results, quick=True, timeout=60)
    assert (outcome.status, outcome.detail) == ("failed", "exit code 3")
    assert [r["file"] for r in outcome.results] == ["broken.json"]


def test_a_benchmark_that_writes_nothing_is_no_result(run: ModuleType, tmp_path: Path) -> None:
    benchmark(tmp_path, "silent", "print('measured nothing')\n")
    [outcome] = run.run_suite(["silent"], bench=tmp_path / "bench", results=tmp_path / "results", timeout=60)
    assert outcome.status == "no result"


def test_a_result_left_by_an_earlier_run_is_not_counted(run: ModuleType, tmp_path: Path) -> None:
    results = tmp_path / "results"
    results.mkdir()
    old = results / "silent.json"
    old.write_text(json.dumps({"benchmark": "silent", "figures": []}), encoding="utf-8")
    import os  # noqa: PLC0415

    os.utime(old, (1_000_000_000, 1_000_000_000))
    benchmark(tmp_path, "silent", "pass\n")
    [outcome] = run.run_suite(["silent"], bench=tmp_path / "bench", results=results, timeout=60)
    assert outcome.status == "no result"


def test_quick_is_passed_on_to_the_benchmark(run: ModuleType, tmp_path: Path) -> None:
    results = tmp_path / "results"
    body = writes_result(results, "q", [figure("a", 1.0, 2.0, None)], exit_code=0)
    benchmark(tmp_path, "q", "import sys\nif sys.argv[1:] != ['--quick']:\n    sys.exit(9)\n" + textwrap.dedent(body))
    assert run.run_suite(["q"], bench=tmp_path / "bench", results=results, quick=True, timeout=60)[0].status == "ok"
    assert run.run_suite(["q"], bench=tmp_path / "bench", results=results, timeout=60)[0].detail == "exit code 9"


def test_a_benchmark_past_its_timeout_is_stopped_with_what_it_started(run: ModuleType, tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    benchmark(tmp_path, "slow", f"""
        import pathlib, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        pathlib.Path({str(marker)!r}).write_text(str(child.pid))
        time.sleep(60)
    """)  # fmt: skip
    [outcome] = run.run_suite(["slow"], bench=tmp_path / "bench", results=tmp_path / "results", timeout=8)
    assert (outcome.status, outcome.detail) == ("timed out", "stopped after 8 s")
    child = int(marker.read_text())
    for _ in range(100):  # the child got SIGTERM with its group; give a loaded machine a moment
        if not running(child):
            break
        time.sleep(0.1)
    assert not running(child)


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"  # a zombie has stopped
    except FileNotFoundError:
        return False


def test_the_command_line_exits_1_and_still_writes_the_table_when_a_benchmark_is_missing(
    run: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "BENCH", tmp_path / "bench")
    (tmp_path / "bench").mkdir()
    monkeypatch.setattr(
        run, "run_suite", lambda names, **_: [run.Outcome(name, run.NOT_FOUND, detail="absent") for name in names]
    )
    output = tmp_path / "RESULTS.md"
    assert run.main(["--only", "pdf", "--output", str(output)]) == 1
    assert "| pdf | not found: absent | 0 s |" in output.read_text(encoding="utf-8")
    assert "- Command: `.venv/bin/python bench/run.py --only pdf --output" in output.read_text(encoding="utf-8")


def test_the_suite_lists_every_benchmark_of_the_issue_and_not_the_long_special_runs(run: ModuleType) -> None:
    assert {"route_api", "cli", "lists", "pages", "audit", "pdf", "whatif", "statistics_page", "issue_delivery"} <= set(run.SUITE)
    assert not {"retention", "login_spray"} & set(run.SUITE)


def test_what_a_crashed_benchmark_left_running_is_stopped(run: ModuleType, tmp_path: Path) -> None:
    marker = tmp_path / "server.pid"
    benchmark(tmp_path, "crash", f"""
        import pathlib, subprocess, sys
        server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        pathlib.Path({str(marker)!r}).write_text(str(server.pid))
        sys.exit(1)
    """)  # fmt: skip
    [outcome] = run.run_suite(["crash"], bench=tmp_path / "bench", results=tmp_path / "results", timeout=60)
    assert outcome.status == "failed"
    server = int(marker.read_text())
    for _ in range(100):
        if not running(server):
            break
        time.sleep(0.1)
    assert not running(server)
