"""Cheap pages: a public page and a static asset against ``/healthz``, and the first requests after start.

    .venv/bin/python bench/pages.py [--quick]

Starts ``cyberspex serve`` (gunicorn, as in production, its default workers) on a fresh SQLite
instance through ``harness.Server`` and loads, from a separate process (``harness.load``), at
concurrency 1 and 8 (after a settling load, not counted, that every worker answers):
- the baseline, ``/healthz`` (one ``SELECT 1`` through the whole middleware stack);
- a public page, ``/glossary/`` (templates, translations, the layout);
- a static asset, the style sheet under the name the page gives it (hashed when the instance
  collects its static files under hashed names, web/static_files.py).

Figures: the page's and the asset's p95 as a ratio to ``/healthz``'s p95 at the same concurrency.
Target: the static asset at most 1.0x ``/healthz`` (it is answered before sessions, URL
resolution and the database); the page has no target (information: what a page costs over the
bare stack).

Then the cold start, as information: the server is stopped and started again on the same
(migrated) data, and the first page is asked for as soon as the process starts: the time from
the process start to the first 200 of the page, and the slowest of the next page requests (one
per worker and more: a worker that loads the application on its first request shows here) as
a ratio to the page's warm p50 at concurrency 1.

``--quick``: short loads (a smoke run). Results: bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from harness import Server, figure, load, record, server_env, status_of  # bench/ is on the path of a script run from it

PAGE = "/glossary/"
STYLESHEET = re.compile(r'href="(/static/site(?:\.[0-9a-f]{12})?\.css)"')
CONCURRENCIES = (1, 8)
FIRST_REQUESTS = 12  # after the first 200: more than the default number of workers on a small machine


def migrate(env: dict[str, str]) -> None:
    """Create the instance's database before the server starts (``serve`` would, but within the
    harness's start-up limit on a busy machine it may not)."""
    Path(env["CYBERSPEX_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "django", "migrate", "--verbosity", "0"], env=env, check=True, timeout=600)


def stylesheet_url(server: Server) -> str:
    with urllib.request.urlopen(server.url(PAGE), timeout=60) as response:  # noqa: S310  # our own loopback server
        page = response.read().decode("utf-8")
    found = STYLESHEET.search(page)
    if not found:
        raise RuntimeError(f"{PAGE} names no style sheet")
    return found[1]


def timed_get(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    status = status_of(url)
    return status, (time.perf_counter() - started) * 1000


def cold_start(server: Server, limit: float = 90.0) -> dict[str, Any]:
    """Start ``server``'s command again (the data already migrated) and ask for the page at once."""
    started = time.perf_counter()
    process = subprocess.Popen(server.command, env=server.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        first_ms = None
        while time.perf_counter() - started < limit:
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise RuntimeError(f"the server stopped before answering: {error.strip()[-2000:]}")
            status, first_ms = timed_get(server.url(PAGE))
            if status == 200:
                break
            time.sleep(0.02)
        else:
            raise RuntimeError(f"{PAGE} did not answer within {limit:g} s of the start")
        to_first_page = time.perf_counter() - started
        following = [timed_get(server.url(PAGE)) for _ in range(FIRST_REQUESTS)]
        if any(status != 200 for status, _ in following):
            raise RuntimeError(f"{PAGE} failed right after the start: {[s for s, _ in following]}")
        return {
            "seconds_to_first_page": round(to_first_page, 3),
            "first_page_ms": round(first_ms or 0.0, 1),
            "next_pages_ms": [round(ms, 1) for _, ms in following],
            "slowest_next_page_ms": round(max(ms for _, ms in following), 1),
        }
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short loads: a smoke run")
    args = parser.parse_args()
    seconds, warmup, settle = (1.0, 0.2, 0.3) if args.quick else (8.0, 2.0, 5.0)

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        env = server_env(Path(folder) / "var")
        migrate(env)
        loads: dict[str, dict[str, Any]] = {}
        with Server(env) as server:
            asset = stylesheet_url(server)
            # Not counted: until every worker answers, a worker that is still loading stalls the first loads.
            load(server.url("/healthz"), concurrency=8, seconds=settle, warmup=0)
            targets = {"healthz": "/healthz", "page": PAGE, "static": asset}
            for concurrency in CONCURRENCIES:
                for name, path in targets.items():
                    result = load(server.url(path), concurrency=concurrency, seconds=seconds, warmup=warmup)
                    if result["errors"] or not result["requests"]:
                        raise RuntimeError(
                            f"{path} at concurrency {concurrency}: {result['errors']} errors in {result['requests']}"
                        )
                    loads[f"{name}@{concurrency}"] = result
                    print(f"{path} c={concurrency}: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, {result['rps']} rps")
        cold = cold_start(server)
        print(f"cold start: first {PAGE} after {cold['seconds_to_first_page']} s; slowest next {cold['slowest_next_page_ms']} ms")

    figures = []
    for concurrency in CONCURRENCIES:
        healthz = loads[f"healthz@{concurrency}"]["p95_ms"]
        figures.append(
            figure(
                f"public page {PAGE} p95, concurrency {concurrency}",
                loads[f"page@{concurrency}"]["p95_ms"],
                healthz,
                unit="ms",
                baseline_name=f"/healthz p95, concurrency {concurrency}",
            )
        )
        figures.append(
            figure(
                f"static asset p95, concurrency {concurrency}",
                loads[f"static@{concurrency}"]["p95_ms"],
                healthz,
                unit="ms",
                baseline_name=f"/healthz p95, concurrency {concurrency}",
                target=1.0,
            )
        )
    figures.append(
        figure(
            "slowest of the first page requests after start",
            cold["slowest_next_page_ms"],
            loads["page@1"]["p50_ms"],
            unit="ms",
            baseline_name=f"{PAGE} warm p50, concurrency 1",
        )
    )
    path = record(
        "pages",
        figures,
        quick=args.quick,
        static_asset=asset,
        seconds_per_load=seconds,
        settle_seconds=settle,
        loads=loads,
        cold_start=cold,
        cores=os.cpu_count(),
    )
    for row in figures:
        print(
            f"{row['figure']}: {row['value']} {row['unit']} vs {row['baseline_value']} = {row['ratio']}x (target {row['target']})"
        )
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        print(f"bench/pages.py: cannot measure: {error}", file=sys.stderr)
        sys.exit(1)
