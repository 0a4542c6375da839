"""The public route API against a bare view: ``/api/v1/routes`` vs ``/healthz``, p95 and rps.

    .venv/bin/python bench/route_api.py [--quick]

Starts ``cyberspex serve`` (gunicorn, as in production) on a loopback port with a throw-away
SQLite database (``harness.Server``) and loads it from a separate process (``harness.load``):
- the baseline: ``/healthz`` (a view that runs one query on the database);
- ``/api/v1/routes`` with a realistic mix of distinct queries (40 issuing/provider/data/language
  combinations; ``--quick``: 8, on 2 workers, 1-second loads), cycled by each client thread; the assessment date is
  omitted (today's answer), as most callers do.
Both at concurrency 1, 8 and 32. Target (issue 12): the route API's p95 at most 2.0x the
baseline's at each concurrency; rps is recorded with its ratio as information.

Also recorded, as information: the cold figure, the first request of each distinct query on a
fresh server (one at a time, before any load), whose answer must be computed. Under load the
server keeps rendered answers in a per-process cache, so every request after a process's first
of a query is a cache hit: the share of hits is at least ``1 - distinct x workers / requests``
(recorded as ``cache_hit_share_at_least``).

Results go to ``bench/results/route_api.json``. Exits 0 whether the targets are met or not
(``met`` says); 1 only when nothing could be measured (the server did not start, or every
request failed).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # bench/ is not a package

TARGET = 2.0
CONCURRENCY = (1, 8, 32)
WORKERS = 5  # the default of `cyberspex serve` on 2 cores (2 x cores + 1)
ISSUING = ("FR", "DE", "ES", "IT", "BE", "NL", "PL", "US", "JP", "GB")
PROVIDERS = ("US", "IE", "DE", "FR", "JP", "CA", "CH", "NL")
DATA = ("subscriber", "identification", "traffic", "content")
LANGUAGES = ("en", "en", "en", "fr", "de")  # mostly English


def queries(count: int) -> list[dict[str, str]]:
    """``count`` distinct route queries (at most 300), deterministic, a State never asking itself."""
    pairs = [(i, p) for i, p in itertools.product(ISSUING, PROVIDERS) if i != p]
    combinations = [(i, p, d) for (i, p) in pairs for d in DATA]
    step = max(1, len(combinations) // count)
    out: list[dict[str, str]] = []
    for number, (issuing, provider, data) in enumerate(combinations[::step][:count]):
        query = {"issuing": issuing, "provider_state": provider, "data": data}
        lang = LANGUAGES[number % len(LANGUAGES)]
        if lang != "en":
            query["lang"] = lang
        out.append(query)
    return out


def cold(server: harness.Server, paths: list[str]) -> dict[str, Any]:
    """The first request of each distinct query, one at a time (ms)."""
    times: list[float] = []
    for path in paths:
        started = time.perf_counter()
        status = harness.status_of(server.url(path))
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return {
        "requests": len(times),
        "first_ms": round(times[0], 2),  # the first route request of the server
        "median_ms": round(statistics.median(times), 2),
        "min_ms": round(min(times), 2),
        "max_ms": round(max(times), 2),  # a worker's first request: it loads the application and the data
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run (under 30 s): 2 workers, 8 queries, 1-second loads")
    args = parser.parse_args()
    distinct = 8 if args.quick else 40
    seconds, warmup = (1.0, 0.2) if args.quick else (10.0, 2.0)
    workers = 2 if args.quick else WORKERS
    paths = ["/api/v1/routes?" + urllib.parse.urlencode(q) for q in queries(distinct)]
    figures: list[dict[str, Any]] = []
    runs: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        try:
            with harness.Server(harness.server_env(Path(folder) / "var"), workers=workers) as server:
                for _ in range(workers * 2):  # wake the workers: the baseline is a warm bare view
                    harness.status_of(server.url("/healthz"))
                first = cold(server, paths)
                for concurrency in CONCURRENCY:
                    health = harness.load(server.url("/healthz"), concurrency=concurrency, seconds=seconds, warmup=warmup)
                    routes = harness.load([server.url(p) for p in paths], concurrency=concurrency, seconds=seconds, warmup=warmup)
                    if not health["requests"] or not routes["requests"] or routes["errors"] == routes["requests"]:
                        print(f"nothing measured at concurrency {concurrency}: {health} {routes}", file=sys.stderr)
                        return 1
                    total = routes["requests"] + round(routes["rps"] * warmup)
                    hits = max(0.0, 1 - distinct * workers / total) if total else 0.0
                    runs[f"c{concurrency}"] = {
                        "healthz": health,
                        "routes": routes,
                        "cache_hit_share_at_least": round(hits, 3),
                    }
                    figures.append(
                        harness.figure(
                            f"route API p95, concurrency {concurrency}",
                            routes["p95_ms"],
                            health["p95_ms"],
                            unit="ms",
                            baseline_name="/healthz p95",
                            target=TARGET,
                        )
                    )
                    figures.append(
                        harness.figure(
                            f"route API rps, concurrency {concurrency}",
                            routes["rps"],
                            health["rps"],
                            unit="requests/s",
                            baseline_name="/healthz rps",
                        )
                    )
                    print(
                        f"c={concurrency:>2}: healthz p95 {health['p95_ms']} ms {health['rps']} rps; "
                        f"routes p95 {routes['p95_ms']} ms {routes['rps']} rps (errors {routes['errors']})",
                        file=sys.stderr,
                    )
        except RuntimeError as error:
            print(f"route_api: {error}", file=sys.stderr)
            return 1
    path = harness.record(
        "route_api",
        figures,
        quick=args.quick,
        distinct_queries=distinct,
        workers=workers,
        seconds=seconds,
        warmup=warmup,
        cold_first_request_of_each_query=first,
        runs=runs,
    )
    print(path.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
