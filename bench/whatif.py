"""The ratification what-if page: the first query (computed) and the same query again (cached).

    .venv/bin/python bench/whatif.py [--runs 5]

Times, in one process against a throw-away SQLite database:
- the baseline: a bare public page, ``/glossary/`` (the view, rendered, as a visitor);
- ``/what-if/?ratified=all-eu&in_force=true`` (every data category, production, no emergency)
  and the same with ``all-signatories``, each first with every cache emptied (the comparison
  cache of knowledge/whatif.py and the route evaluations memoised in law/routes.py), so that
  every pair of States is evaluated, then repeated (served from the cache keyed on the data
  version and the normalised query).

Prints the medians and their ratios to the baseline as JSON; results go to
bench/results/whatif.json. Target: a repeated query costs a few times a bare page (it renders
the heat map, its table and 50 rows); a first query takes what two route matrices take,
which is why the page says it may take a few seconds. Exits 1 when a repeated query costs
more than 20 times the baseline (it would mean the cache is not used).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update({"CYBERSPEX_DATA_DIR": folder, "SECRET_KEY": "bench"})  # a throw-away database
        sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
        from cyberspex.cli.web import _setup  # noqa: PLC0415  # configures Django and migrates

        _setup()
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
        baseline = median_time(args.runs, lambda: page(glossary, "/glossary/"))
        figures: dict[str, Any] = {"runs": args.runs, "baseline_seconds": round(baseline, 4), "queries": {}}
        for name, query in QUERIES.items():

            def ask(query: dict[str, str] = query) -> None:
                page(what_if_page, "/what-if/", query)

            first = median_time(args.runs, ask, before=empty_caches)
            repeated = median_time(args.runs, ask)
            result = whatif.comparison_for(
                whatif.parse_query({k: [v] for k, v in query.items()}, today=whatif.date(2026, 11, 28))
            )
            figures["queries"][name] = {
                "first_seconds": round(first, 4),
                "repeated_seconds": round(repeated, 4),
                "first_ratio": round(first / baseline, 1),
                "repeated_ratio": round(repeated / baseline, 2),
                "changed_rows": result.total,
                "pairs_changed": len(result.pairs_changed),
            }
    figures["load_average"] = os.getloadavg()[0]
    print(json.dumps(figures, indent=2))
    (ROOT / "bench" / "results" / "whatif.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    worst = max(q["repeated_ratio"] for q in figures["queries"].values())
    if worst > REPEATED_LIMIT:
        print(f"a repeated query costs {worst}x a bare page (limit {REPEATED_LIMIT}x)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
