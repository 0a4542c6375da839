"""A case's attachments are kept in the database, so `cyberspex backup` holds them: the file
and its SHA-256 are in the backup and survive `cyberspex restore` (SQLite; the PostgreSQL
dump is the whole database as well)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.web.audit.processes import TIMEOUT, cyberspex, environment

CONTENT = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"

# Opens a case with one attachment through the services, in a process of its own (argv: none).
ATTACH = """
import django
from datetime import UTC, date, datetime
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
from cyberspex.web.accounts.models import Membership, Organisation, Role
from cyberspex.web.cases.attachments import attachment_add
from cyberspex.web.cases.services import case_create
call_command("migrate", verbosity=0)
org = Organisation.objects.create(name="Parquet de Paris", kind="issuing_authority", country="FR")
user = User.objects.create(username="procureur")
Membership.objects.create(user=user, organisation=org, role=Role.PROSECUTOR)
now = datetime.now(UTC)
case = case_create(user=user, reference="PAR-1", title="Fraud", offences=[], summary_of_facts="", identifiers=[],
                   persons=[], classification="restricted", retention_review_date=date(now.year + 1, 1, 1), now=now)
attachment_add(user=user, case_id=case.pk, name="warrant.pdf", content=CONTENT, now=now)
"""


def _attachments(database: Path) -> list[tuple[str, str, bytes]]:
    with sqlite3.connect(database) as connection:
        return [(n, h, bytes(c)) for n, h, c in connection.execute("SELECT name, sha256, content FROM cases_attachment")]


def test_a_backup_holds_the_attachments_and_a_restore_brings_them_back(tmp_path: Path) -> None:
    env = environment(tmp_path / "live")
    script = ATTACH.replace("content=CONTENT", f"content={CONTENT!r}")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    expected = [("warrant.pdf", hashlib.sha256(CONTENT).hexdigest(), CONTENT)]

    made = cyberspex(env, "backup", str(tmp_path / "backup"))
    assert made.status == 0, made
    assert _attachments(tmp_path / "backup") == expected

    elsewhere = environment(tmp_path / "elsewhere")
    restored = cyberspex(elsewhere, "restore", str(tmp_path / "backup"))
    assert restored.status == 0, restored
    assert _attachments(tmp_path / "elsewhere" / "cyberspex.sqlite3") == expected
