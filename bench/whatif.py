"""The ratification what-if page: the first query (computed) and the same query again (cached).

    .venv/bin/python bench/whatif.py [--quick] [--runs 5]

Times, in one process against a throw-away SQLite database:
- the baseline: a bare public page, ``/glossary/`` (the view, rendered, as a visitor);
- ``/what-if/?ratified=all-eu&in_force=true`` (every data category, production, no emergency)
  and the same with ``all-signatories``, each first with every cache emptied (the comparison
  cache of knowledge/whatif.py and the route evaluations memoised in law/routes.py), so that
  every pair of States is evaluated, then repeated (served from the cache keyed on the data
  version and the normalised query).

Figures (medians, each a ratio to the bare page measured in the same run), written with
``harness.record`` to bench/results/whatif.json. Target: a repeated query costs at most 20 times a
bare page (it renders the heat map, its table and 50 rows; more would mean the cache is not
used). A first query has no target: it takes what two route matrices take, which is why the
page says it may take a few seconds. ``--quick``: all-eu only, 2 runs (about 20 s with the
database set-up); a full run about a minute. A missed target is a figure with ``met: false``,
not a failure: the script exits 1 only when it cannot measure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from harness import figure, record

ROOT = Path(__file__).resolve().parents[1]
QUERIES = {
    "all_eu": {"ratified": "all-eu", "in_force": "true", "as_of": "2026-11-28"},
    "all_signatories": {"ratified": "all-signatories", "in_force": "true", "as_of": "2026-11-28"},
}
REPEATED_LIMIT = 20


def median_time(runs: int, call: Callable[[], Any], before: Callable[[], None] | None = None) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: all-eu only, 2 runs")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, 2 with --quick)")
    args = parser.parse_args()
    runs = args.runs or (2 if args.quick else 5)
    queries = {"all_eu": QUERIES["all_eu"]} if args.quick else QUERIES
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update({"CYBERSPEX_DATA_DIR": folder, "SECRET_KEY": "bench"})  # a throw-away database
        sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
        from cyberspex.cli.web import _setup  # noqa: PLC0415  # configures Django and migrates

        _setup()
        from django.core.management import call_command  # noqa: PLC0415

        call_command("collectstatic", interactive=False, verbosity=0)  # hashed names, as `cyberspex serve` has them
        from django.contrib.auth.models import AnonymousUser  # noqa: PLC0415
        from django.contrib.sessions.backends.db import SessionStore  # noqa: PLC0415
        from django.test import RequestFactory  # noqa: PLC0415

        from cyberspex.law.routes import evaluate_all  # noqa: PLC0415
        from cyberspex.web.knowledge import whatif  # noqa: PLC0415
        from cyberspex.web.knowledge.whatif_views import what_if_page  # noqa: PLC0415
        from cyberspex.web.public.views import glossary  # noqa: PLC0415

        def page(view: Callable[[Any], Any], path: str, query: dict[str, str] | None = None) -> None:
            request = RequestFactory().get(path, query or {})
            request.user = AnonymousUser()
            request.session = SessionStore()
            response = view(request)
            assert response.status_code == 200, response.status_code  # a benchmark of a working page

        def empty_caches() -> None:
            whatif.comparison.cache_clear()  # type: ignore[attr-defined]
            evaluate_all.cache_clear()

        page(glossary, "/glossary/")  # warm: templates compiled, reference data loaded
        baseline = median_time(runs, lambda: page(glossary, "/glossary/"))
        figures: list[dict[str, Any]] = []
        details: dict[str, Any] = {}
        for name, query in queries.items():

            def ask(query: dict[str, str] = query) -> None:
                page(what_if_page, "/what-if/", query)

            first = median_time(runs, ask, before=empty_caches)
            repeated = median_time(runs, ask)
            result = whatif.comparison_for(
                whatif.parse_query({k: [v] for k, v in query.items()}, today=whatif.date(2026, 11, 28))
            )
            bare = "bare page /glossary/"
            label = query["ratified"]
            figures.append(figure(f"what-if {label}, first query", first * 1000, baseline * 1000, unit="ms", baseline_name=bare))
            figures.append(
                figure(f"what-if {label}, repeated", repeated * 1000, baseline * 1000, unit="ms", baseline_name=bare,
                       target=REPEATED_LIMIT)
            )  # fmt: skip
            details[name] = {"changed_rows": result.total, "pairs_changed": len(result.pairs_changed)}
    path = record("whatif", figures, runs=runs, queries=details)
    for fig in figures:
        print(f"{fig['figure']}: {fig['value']} ms, {fig['ratio']}x the bare page (target {fig['target']})")
    print(f"written: {path}")


if __name__ == "__main__":
    main()
