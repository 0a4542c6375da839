"""A database of cases due for retention, and a writer that keeps writing while retention runs.

Run in its own process against the SQLite file of ``CYBERSPEX_DATA_DIR``::

    python -m tests.reliability.retention_load seed COUNT SENTINEL   # COUNT due cases, 10 kept
    python -m tests.reliability.retention_load write STOP_FILE       # writes until STOP_FILE exists

Every due case carries ``SENTINEL`` in each personal field, a request, a transition note and a
consultation recorded in the audit trail with a justification. The writer commits one small row
at a time (in a table of its own) with a busy timeout of ``WRITER_TIMEOUT`` seconds and prints, as JSON, how many writes
it made, how many failed with "database is locked", and its longest wait.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from datetime import timedelta
from pathlib import Path

WRITER_TIMEOUT = 2.0
KEPT = 10


def seed(count: int, sentinel: str) -> None:
    from cyberspex.cli.web import _setup  # noqa: PLC0415  # configures Django and migrates

    _setup()
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.db import transaction  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role  # noqa: PLC0415
    from cyberspex.web.audit.chain import append  # noqa: PLC0415
    from cyberspex.web.audit.models import Event  # noqa: PLC0415
    from cyberspex.web.cases.models import Case, Request, Transition  # noqa: PLC0415

    now = timezone.now()
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Parquet de Paris", kind=OrganisationKind.ISSUING_AUTHORITY, country="FR")
        user = User.objects.create(username="prosecutor", email="prosecutor@fr.example")
        Membership.objects.create(user=user, organisation=organisation, role=Role.PROSECUTOR)
        cases = Case.objects.bulk_create(
            Case(
                organisation=organisation,
                reference=f"PAR-{n:05d}",
                title=f"Fraud by {sentinel}",
                summary_of_facts=f"{sentinel} sent phishing e-mails.",
                offences=[{"description": f"fraud by {sentinel}"}],
                identifiers=[{"kind": "email", "value": f"{sentinel.lower()}@mail.example.com"}],
                persons=[{"name": sentinel, "role": "suspect"}],
                retention_review_date=(now + timedelta(days=365 if n >= count else -1)).date(),
                created_by=user,
                created_at=now - timedelta(days=400),
            )
            for n in range(count + KEPT)
        )
        requests = Request.objects.bulk_create(
            Request(
                case=case,
                organisation=organisation,
                form_id="eu-epoc",
                route_id="eu-epoc",
                recipient_state="DE",
                data={"form": "eu-epoc", "issuing_state": "FR", "recipient_state": "DE", "summary_of_facts": sentinel},
                state="issued",
                created_by=user,
                created_at=now,
            )
            for case in cases
        )
        Transition.objects.bulk_create(
            Transition(request=r, from_state="draft", to_state="issued", by=user, at=now, note=f"sent for {sentinel}")
            for r in requests
        )
        for case in cases:
            append(
                at=now,
                actor=user.username,
                organisation=organisation.name,
                event=Event.VIEW,
                object_type="case",
                object_id=str(case.pk),
                justification=f"hearing of {sentinel}",
            )


def write(stop_file: Path) -> None:
    database = sqlite3.connect(Path(stop_file).parent / "cyberspex.sqlite3", timeout=WRITER_TIMEOUT, isolation_level=None)
    database.execute("CREATE TABLE IF NOT EXISTS reliability_write (id INTEGER PRIMARY KEY, at TEXT NOT NULL)")
    writes, locked, longest = 0, 0, 0.0
    deadline = time.monotonic() + 300
    while not stop_file.exists() and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            database.execute("BEGIN IMMEDIATE")
            database.execute("INSERT INTO reliability_write (at) VALUES (datetime('now'))")
            database.execute("COMMIT")
            writes += 1
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
            locked += 1
        longest = max(longest, time.monotonic() - started)
        time.sleep(0.01)
    database.close()
    print(json.dumps({"writes": writes, "locked": locked, "longest_wait": round(longest, 3)}))


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]), sys.argv[3])
    else:
        write(Path(sys.argv[2]))
