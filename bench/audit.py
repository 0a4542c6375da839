"""The audit record's cost on a write, and `audit verify` against a raw SHA-256 pass.

    .venv/bin/python bench/audit.py [--quick] [--runs N] [--postgres URL] [--verify-entries N]

1. A request written with its audit record against the same write without it (issue 12, item 4).
   The write is the real service call the API and the pages make (``services.request_draft``:
   a draft request, its route advice and its audit record, in one transaction), in this process,
   on a fresh SQLite database in a temporary folder, or on a fresh PostgreSQL database
   (``<name of the URL's database>_bench_audit``, created and dropped) when ``--postgres URL`` is
   given. "Without it" replaces the service's audit step (``services._audit``: who the actor is
   and ``chain.append``) by a no-op, in this benchmark only. Runs alternate with and without,
   so drifts of a shared machine fall on both. Figures: the median and p95 of each; target
   ratio ≤ 1.15 (median and p95). For information, without a target: a case opened with its
   record against the same without (``services.case_create``, a write of about a millisecond,
   where the record weighs more).
2. ``verify()`` over a chain of ``--verify-entries`` records (100,000; 2,000 with ``--quick``),
   reading them from the database, against a raw SHA-256 pass over the same bytes it seals
   (each record's leaf prefix, previous hash and canonical fields) already in memory; quality
   target P6: ≤ 2× (the chain is keyed, so verify computes HMACs).

Results go to bench/results/audit.json (bench/harness.py: ``record``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import figure, record, server_env  # bench/ is not a package: its folder is on the path

TARGET = 1.15  # issue 12, item 4: a write with its audit record, against the same without
VERIFY_TARGET = 2.0  # quality target P6: verifying the chain, against hashing its bytes
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def postgres_database(server: str, name: str) -> str:
    """A fresh database ``name`` on the server of ``server`` (dropped first if it exists); its URL."""
    import psycopg  # noqa: PLC0415  # only with --postgres

    parts = urlsplit(server)
    with psycopg.connect(urlunsplit((parts.scheme, parts.netloc, "/postgres", "", "")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]  # our own name
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def drop_postgres_database(server: str, name: str) -> None:
    import psycopg  # noqa: PLC0415  # only with --postgres

    parts = urlsplit(server)
    with psycopg.connect(urlunsplit((parts.scheme, parts.netloc, "/postgres", "", "")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]  # our own name


def setup(data_dir: Path, database_url: str | None) -> None:
    os.environ.update(server_env(data_dir, database_url))
    import django  # noqa: PLC0415  # after the environment is set
    from django.core.management import call_command  # noqa: PLC0415

    django.setup()
    call_command("migrate", verbosity=0)


def people() -> Any:
    """An issuing authority in France and a prosecutor of it."""
    from django.contrib.auth.models import User  # noqa: PLC0415  # after django.setup()

    from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role  # noqa: PLC0415

    organisation = Organisation.objects.create(name="Parquet de Paris", kind=OrganisationKind.ISSUING_AUTHORITY, country="FR")
    user = User.objects.create(username="fr-prosecutor", email="prosecutor@fr.example")
    Membership.objects.create(user=user, organisation=organisation, role=Role.PROSECUTOR)
    return user


CASE_FIELDS: dict[str, Any] = {
    "title": "Phishing against customers of French banks",
    "offences": [{"description": "Organised fraud by phishing", "provisions": "Code pénal 313-1", "max_penalty_years": 10}],
    "summary_of_facts": "Since September 2026 more than 300 customers received phishing e-mails.",
    "identifiers": [{"kind": "email", "value": "j.doe.1987@mail.example.com"}],
    "persons": [{"name": "John Doe", "role": "suspect"}],
    "classification": "restricted",
}


def _no_record(*_args: object, **_kwargs: object) -> None:
    """The service's audit step left out: no one to name, no record (a plain function, as cheap as a call gets)."""


def timed_pairs(write: Callable[[int], None], runs: int, warmup: int) -> tuple[list[float], list[float]]:
    """Seconds of ``write`` with its audit record and without it, alternating, after a warm-up of both."""
    from cyberspex.web.cases import services  # noqa: PLC0415  # after django.setup()

    with_audit: list[float] = []
    without: list[float] = []
    for n in range(warmup + runs):
        for audited in (n % 2 == 0, n % 2 == 1):  # alternate which goes first
            if audited:
                started = time.perf_counter()
                write(2 * n)
                elapsed = time.perf_counter() - started
            else:
                with mock.patch.object(services, "_audit", new=_no_record):
                    started = time.perf_counter()
                    write(2 * n + 1)
                    elapsed = time.perf_counter() - started
            if n >= warmup:
                (with_audit if audited else without).append(elapsed)
    return with_audit, without


def write_figures(
    name: str, label: str, with_audit: list[float], without: list[float], *, target: float | None
) -> list[dict[str, Any]]:
    return [
        figure(
            f"{name} with its audit record, median",
            statistics.median(with_audit) * 1000,
            statistics.median(without) * 1000,
            unit="ms",
            baseline_name=f"{label} without it, median",
            target=target,
        ),
        figure(
            f"{name} with its audit record, p95",
            p95(with_audit) * 1000,
            p95(without) * 1000,
            unit="ms",
            baseline_name=f"{label} without it, p95",
            target=target,
        ),
    ]


def example(form_id: str, recipient_state: str) -> dict[str, Any]:
    import copy  # noqa: PLC0415
    import json  # noqa: PLC0415
    from importlib.resources import files  # noqa: PLC0415

    data = json.loads((files("cyberspex") / "data" / "forms" / "examples" / f"{form_id}.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["recipient_state"] = recipient_state
    for party in ("provider", "addressee"):
        if party in data:
            data[party]["country"] = recipient_state
    return data


def writes(runs: int, warmup: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from cyberspex.web.cases import services  # noqa: PLC0415  # after django.setup()

    user = people()
    review = date(2027, 11, 28)

    def open_case(n: int) -> None:
        services.case_create(user=user, reference=f"PAR-2026-{n:05d}", retention_review_date=review, now=NOW, **CASE_FIELDS)

    cases_with, cases_without = timed_pairs(open_case, runs, warmup)
    case = services.case_create(user=user, reference="PAR-2026-REQ", retention_review_date=review, now=NOW, **CASE_FIELDS)
    data = example("eu-epoc", "DE")

    def draft(n: int) -> None:
        services.request_draft(user=user, case_id=case.pk, form_id="eu-epoc", data=data, now=NOW + timedelta(seconds=n))

    requests_with, requests_without = timed_pairs(draft, runs, warmup)
    figures = [
        *write_figures("request drafted", "the same request", requests_with, requests_without, target=TARGET),
        *write_figures("case opened", "the same case", cases_with, cases_without, target=None),
    ]
    return figures, {"runs": runs, "warmup": warmup}


def chain_of(count: int) -> None:
    """``count`` records sealed as ``append`` seals them, written in batches (the chain's code, not its writes)."""
    from django.db import transaction  # noqa: PLC0415  # after django.setup()

    from cyberspex.web.audit.chain import GENESIS, _fields, current_key, entry_hash, head, key_id  # noqa: PLC0415
    from cyberspex.web.audit.models import AuditEntry, Event  # noqa: PLC0415

    key = current_key()
    seq, previous = head()
    batch: list[AuditEntry] = []
    previous = previous or GENESIS
    for n in range(count):
        seq += 1
        entry = AuditEntry(
            seq=seq,
            at=NOW + timedelta(seconds=n),
            actor="fr-prosecutor",
            organisation="Parquet de Paris",
            event=Event.VIEW,
            object_type="case",
            object_id=str(n % 977),
            justification="",
            details={"n": n, "form": "eu-epoc"},
            previous_hash=previous,
            key_id=key_id(key) if key else None,
        )
        entry.hash = previous = entry_hash(previous, _fields(entry), key)
        batch.append(entry)
        if len(batch) == 5000 or n == count - 1:
            with transaction.atomic():
                AuditEntry.objects.bulk_create(batch)
            batch = []


def verification(entries: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from cyberspex.web.audit.chain import _fields, verify  # noqa: PLC0415  # after django.setup()
    from cyberspex.web.audit.models import AuditEntry  # noqa: PLC0415

    chain_of(entries)
    records = list(AuditEntry.objects.order_by("seq"))
    from cyberspex.web.audit.chain import canonical  # noqa: PLC0415

    messages = [b"\x00" + r.previous_hash.encode("ascii") + canonical(_fields(r)) for r in records]
    del records
    raw: list[float] = []
    walk: list[float] = []
    checked = 0
    for _ in range(3):
        started = time.perf_counter()
        for message in messages:
            hashlib.sha256(message).digest()
        raw.append(time.perf_counter() - started)
        started = time.perf_counter()
        verdict = verify()
        walk.append(time.perf_counter() - started)
        if not verdict.ok:
            raise SystemExit(f"the benchmark's chain does not verify: {verdict}")
        checked = verdict.checked
    return [
        figure(
            f"audit verify over {checked:,} records",
            statistics.median(walk),
            statistics.median(raw),
            unit="s",
            baseline_name="SHA-256 over the same bytes, in memory",
            target=VERIFY_TARGET,
        )
    ], {"verify_records": checked, "verify_bytes": sum(len(m) for m in messages)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: few writes, a short chain")
    parser.add_argument("--runs", type=int, help="measured writes of each kind, with and without (default 200; 20 quick)")
    parser.add_argument("--postgres", metavar="URL", help="measure on PostgreSQL (a fresh database on this server)")
    parser.add_argument("--verify-entries", type=int, help="records of the verified chain (default 100,000; 2,000 quick)")
    args = parser.parse_args()
    runs = args.runs or (20 if args.quick else 200)
    entries = args.verify_entries or (2000 if args.quick else 100_000)
    database = None
    if args.postgres:
        database = f"{(urlsplit(args.postgres).path.strip('/') or 'postgres')}_bench_audit"
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as folder:
        try:
            setup(Path(folder), postgres_database(args.postgres, database) if database else None)
            write_figs, write_details = writes(runs, warmup=max(3, runs // 10))
            verify_figs, verify_details = verification(entries)
        finally:
            if database:
                from django.db import connections  # noqa: PLC0415

                connections.close_all()
                drop_postgres_database(args.postgres, database)
    figures = [*write_figs, *verify_figs]
    path = record(
        "audit",
        figures,
        database="postgresql" if database else "sqlite",
        quick=args.quick,
        **write_details,
        **verify_details,
    )
    for item in figures:
        print(f"{item['figure']}: {item['value']} {item['unit']} vs {item['baseline_value']} ({item['ratio']}x)")
    print(f"results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
