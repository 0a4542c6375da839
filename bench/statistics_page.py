"""The statistics page at 1,000 and at 10,000 requests (SQLite): how its cost grows.

    .venv/bin/python bench/statistics_page.py [--quick] [--small 1000] [--large 10000] [--runs 5]

Seeds a fresh SQLite database in a temporary folder with ``--small`` issued requests of one
issuing authority, each delivered to one provider, most with a message, an answer with a reason,
a final transition and a deadline met or missed; times the page ``/statistics/`` (the view,
rendered, as the issuing authority and as the provider: their figures are computed from the same
rows seen from each side) and the CSV export; then grows the database to ``--large`` requests
and times them again. Each figure is the median at ``--large`` against the same at ``--small``
(``harness.record``, bench/results/statistics_page.json). ``--explain`` prints each query's SQLite
plan. ``--quick``: 200 then 2,000 requests, 2 runs (about 20 s); a full run about 1–2 minutes.

Everything is aggregated in the database, from plain columns: each request's and delivery's time
to first response and to completion are kept by database triggers (exchange/statistics_durations.py;
the seeding's bulk inserts fire them too), read from covering indexes. The cost grows with the rows
the database reads and no faster: the target is at most the data's growth (10x, ``large / small``),
and fixed costs (the template, the queries' set-up) keep the ratio well below it. Before the
durations were kept, each view computed them with several correlated subqueries and date
arithmetic per row, five times per side: 11.1x / 7.0x / 12.9x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from harness import figure, record

ROOT = Path(__file__).resolve().parents[1]
ROUTES = ("eu-epoc", "2ap-7", "2ap-6", "mla")
STATES = ("DE", "IE", "NL", "US", "FR")
REASONS = ("", "identifier_not_found", "no_longer_retained", "over_broad")
OUTCOMES = ("data", "partial", "no_data", "refused")


def seed(count: int, start: int, orgs: dict[str, Any], now: Any) -> None:
    from django.db import transaction  # noqa: PLC0415

    from cyberspex.web.cases.models import Case, Deadline, Request, Transition  # noqa: PLC0415
    from cyberspex.web.exchange.models import Answer, Delivery, Message  # noqa: PLC0415

    issuer, provider, user, responder = orgs["issuer"], orgs["provider"], orgs["user"], orgs["responder"]
    with transaction.atomic():
        cases = Case.objects.bulk_create(
            Case(
                organisation=issuer,
                reference=f"B-{n:06d}",
                title="bench",
                retention_review_date=(now + timedelta(days=365)).date(),
                created_by=user,
                created_at=now,
            )
            for n in range(start, start + count)
        )
        issued = [now - timedelta(days=(n * 37) % 365, hours=n % 24) for n in range(start, start + count)]
        requests = Request.objects.bulk_create(
            Request(
                case=case,
                organisation=issuer,
                form_id=ROUTES[n % 4],
                route_id=ROUTES[n % 4],
                recipient_state=STATES[n % 5],
                recipient_organisation=provider,
                state="answered" if n % 10 < 7 else "issued",
                created_by=user,
                created_at=at,
                issued_at=at,
            )
            for n, (case, at) in enumerate(zip(cases, issued, strict=True), start=start)
        )
        deliveries = Delivery.objects.bulk_create(
            Delivery(
                request=r,
                organisation=provider,
                role="addressee",
                package="provider",
                content={},
                signature="-",
                key_id="-",
                signed_by=issuer,
                document=b"",
                document_sha256="0" * 64,
                document_language="en",
                delivered_at=r.issued_at,
                answered_at=r.issued_at + timedelta(hours=n % 300) if n % 10 < 7 else None,
            )
            for n, r in enumerate(requests, start=start)
        )
        Message.objects.bulk_create(
            Message(
                delivery=d,
                channel="clarification",
                organisation=provider,
                author=responder,
                body="-",
                at=d.delivered_at + timedelta(hours=n % 48),
            )
            for n, d in enumerate(deliveries, start=start)
            if n % 3 == 0
        )
        Answer.objects.bulk_create(
            Answer(delivery=d, outcome=OUTCOMES[n % 4], reason_code=REASONS[n % 4], by=responder, at=d.answered_at)
            for n, d in enumerate(deliveries, start=start)
            if d.answered_at is not None
        )
        Transition.objects.bulk_create(
            Transition(request=r, from_state="issued", to_state="answered", by=user, at=d.answered_at)
            for r, d in zip(requests, deliveries, strict=True)
            if d.answered_at is not None
        )
        Deadline.objects.bulk_create(
            Deadline(
                request=r,
                organisation=issuer,
                event="return the data",
                due_at=r.issued_at + timedelta(days=10),
                citation="-",
                rule="-",
                done_at=d.answered_at,
            )
            for r, d in zip(requests, deliveries, strict=True)
        )


def timed(runs: int, call: Any) -> float:
    call()  # warm: templates compiled, caches filled
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(orgs: dict[str, Any], runs: int) -> dict[str, float]:
    from django.contrib.sessions.backends.db import SessionStore  # noqa: PLC0415
    from django.test import RequestFactory  # noqa: PLC0415

    from cyberspex.web.exchange import statistics_views  # noqa: PLC0415

    def page(user: Any, path: str = "/statistics/", view: Any = statistics_views.page) -> Any:
        request = RequestFactory().get(path)
        request.user = user
        request.session = SessionStore()
        response = view(request)
        assert response.status_code == 200, response.status_code
        return response

    return {
        "page_sent_seconds": round(timed(runs, lambda: page(orgs["user"])), 4),
        "page_received_seconds": round(timed(runs, lambda: page(orgs["responder"])), 4),
        "csv_sent_seconds": round(timed(runs, lambda: page(orgs["user"], "/statistics/export.csv", statistics_views.export)), 4),
    }


def explain(orgs: dict[str, Any]) -> None:
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.exchange import statistics as stats  # noqa: PLC0415

    for own in (orgs["issuer"], orgs["provider"]):
        with CaptureQueriesContext(connection) as queries:
            stats.statistics(own=own, filters=stats.Filters(), now=timezone.now())
        for query in queries.captured_queries:
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plan = [row[-1] for row in cursor.fetchall()]
            print(query["time"], query["sql"][:160], *plan, sep="\n  ", file=sys.stderr)
            del started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 200 then 2,000 requests, 2 runs")
    parser.add_argument("--small", type=int, help="requests first (default 1,000; 200 with --quick)")
    parser.add_argument("--large", type=int, help="requests then (default 10,000; 2,000 with --quick)")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, 2 with --quick)")
    parser.add_argument("--explain", action="store_true", help="print the SQL query plans of the statistics")
    args = parser.parse_args()
    args.small = args.small or (200 if args.quick else 1000)
    args.large = args.large or (2000 if args.quick else 10000)
    args.runs = args.runs or (2 if args.quick else 5)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update({"CYBERSPEX_DATA_DIR": folder, "SECRET_KEY": "bench"})  # a throw-away database
        sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
        from cyberspex.cli.web import _setup  # noqa: PLC0415  # configures Django and migrates

        _setup()
        from django.core.management import call_command  # noqa: PLC0415

        call_command("collectstatic", interactive=False, verbosity=0)  # hashed names, as `cyberspex serve` has them
        from django.contrib.auth.models import User  # noqa: PLC0415
        from django.utils import timezone  # noqa: PLC0415

        from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role  # noqa: PLC0415

        now = timezone.now()
        issuer = Organisation.objects.create(name="Parquet de Paris", kind=OrganisationKind.ISSUING_AUTHORITY, country="FR")
        provider = Organisation.objects.create(name="Example Mail", kind=OrganisationKind.PROVIDER, country="IE")
        user, responder = User.objects.create(username="prosecutor"), User.objects.create(username="responder")
        Membership.objects.create(user=user, organisation=issuer, role=Role.PROSECUTOR)
        Membership.objects.create(user=responder, organisation=provider, role=Role.RESPONDER)
        orgs = {"issuer": issuer, "provider": provider, "user": user, "responder": responder}

        seed(args.small, 0, orgs, now)
        small = measure(orgs, args.runs)
        if args.explain:
            explain(orgs)
        seed(args.large - args.small, args.small, orgs, now)
        large = measure(orgs, args.runs)
    growth = args.large / args.small
    names = {
        "page_sent_seconds": "statistics page, sent (issuing authority)",
        "page_received_seconds": "statistics page, received (provider)",
        "csv_sent_seconds": "statistics CSV export, sent",
    }
    figures = [
        figure(f"{label} at {args.large:,} requests", large[key] * 1000, small[key] * 1000, unit="ms",
               baseline_name=f"the same at {args.small:,}", target=round(growth, 2))
        for key, label in names.items()
    ]  # fmt: skip
    path = record("statistics_page", figures, requests=[args.small, args.large], runs=args.runs)
    for fig in figures:
        print(f"{fig['figure']}: {fig['value']} ms, {fig['ratio']}x the figure at {args.small} (target {fig['target']}x)")
    print(f"written: {path}")


if __name__ == "__main__":
    main()
