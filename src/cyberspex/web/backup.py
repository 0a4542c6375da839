"""Backup and restore of the platform's database, with the audit trail verified.

SQLite is copied with its online backup API (a consistent snapshot while the platform keeps
writing); PostgreSQL with ``pg_dump``/``pg_restore`` (custom format). A restore is first made
into a staging copy, which is migrated and verified; only then is the live database replaced.
It is refused, and nothing is changed, when the backup's audit chain does not verify or
contradicts the latest checkpoint (exit 1), and when it would go back past the latest
checkpoint or past the records the current database holds, unless the rollback is allowed
explicitly (exit 3). A restore is itself recorded in the audit trail and followed by a new
checkpoint, so that the next verification starts from the restored state.
"""

from __future__ import annotations

import getpass
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import DatabaseError, connections, transaction

from cyberspex.web.audit import checkpoints
from cyberspex.web.audit.chain import AuditKeyError, append, head, verify
from cyberspex.web.audit.models import AuditEntry, Event

USAGE, BROKEN, ROLLBACK = 2, 1, 3  # exit statuses besides 0
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
STAGING = "cyberspex_restore_staging"  # the alias of the staging copy while it is checked


class BackupError(Exception):
    """A backup or restore that cannot go on; ``status`` is the exit status (1, 2 or 3)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    status: int = 0

    def text(self) -> str:
        return "\n".join(self.lines)


def _default() -> dict[str, Any]:
    return dict(connections["default"].settings_dict)


def _vendor() -> str:
    vendor = str(connections["default"].vendor)
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backup and restore support SQLite and PostgreSQL, not {vendor}", USAGE)
    return vendor


@contextmanager
def _alias(**changes: Any) -> Iterator[str]:
    """A second connection, like the default one with ``changes``, under the alias ``STAGING``."""
    connections.settings[STAGING] = {**_default(), **changes}
    try:
        yield STAGING
    finally:
        connections[STAGING].close()
        del connections[STAGING]
        del connections.settings[STAGING]


def _chain_summary(alias: str) -> tuple[int, str]:
    """Verify the chain of ``alias``; its head number and a sentence, or BackupError(BROKEN)."""
    verdict = verify(using=alias)
    seq = head(using=alias)[0]
    if not verdict.ok:
        raise BackupError(
            f"the audit trail is broken at record {verdict.first_bad_seq}: {verdict.problem} "
            f"({verdict.checked} record(s) verified before it)",
            BROKEN,
        )
    return seq, f"audit trail intact: {verdict.checked} record(s) verified"


# -- backup -----------------------------------------------------------------------------------


def backup(target: Path) -> Report:
    """Write a backup of the configured database to ``target`` (which must not exist yet)."""
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name", USAGE)
    if not target.parent.is_dir():
        raise BackupError(f"no folder {target.parent} for the backup", USAGE)
    if _vendor() == "sqlite":
        return _backup_sqlite(Path(_default()["NAME"]), target)
    return _backup_postgresql(target)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database with the online backup API, into one self-contained file (no WAL)."""
    src = sqlite3.connect(source, timeout=20)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # in one step: one consistent snapshot; writers (WAL mode) are not blocked
            dst.execute("PRAGMA journal_mode=DELETE")
            integrity = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    if integrity != "ok":
        raise BackupError(f"the copy of {source} failed SQLite's integrity check: {integrity}", BROKEN)


def _backup_sqlite(source: Path, target: Path) -> Report:
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.touch(mode=0o600, exist_ok=False)  # personal data: readable by the platform's user only, from the start
    try:
        _sqlite_copy(source, partial)
        report = Report([f"backup written to {target} (SQLite)"])
        with _alias(NAME=str(partial), OPTIONS={"init_command": "PRAGMA query_only=ON;"}) as alias:
            try:
                seq, summary = _chain_summary(alias)
                report.lines.append(f"{summary} in the backup; last record {seq}")
            except BackupError as error:  # a copy of a broken trail is still worth keeping
                report.lines.append(f"warning: in the backup, {error}")
                report.status = BROKEN
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return report


def _pg_command(tool: str, database: str) -> tuple[list[str], dict[str, str]]:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} not found: install the PostgreSQL client (Debian: postgresql-client)", USAGE)
    db = _default()
    argv = [executable, "--dbname", database]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            argv += [option, str(db[key])]
    env = {**os.environ, **({"PGPASSWORD": str(db["PASSWORD"])} if db.get("PASSWORD") else {})}
    return argv, env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # our own arguments
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupError(f"{what} failed ({Path(argv[0]).name} exit {done.returncode}): {detail}", USAGE)


def _backup_postgresql(target: Path) -> Report:
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    argv, env = _pg_command("pg_dump", str(_default()["NAME"]))
    partial.touch(mode=0o600, exist_ok=False)  # personal data: readable by the platform's user only, from the start
    try:
        _run([*argv, "--format=custom", "--file", str(partial)], env, "pg_dump")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    report = Report([f"backup written to {target} (PostgreSQL custom format)"])
    try:
        seq, summary = _chain_summary("default")
        report.lines.append(f"{summary} in the database; last record {seq}")
    except BackupError as error:  # a copy of a broken trail is still worth keeping
        report.lines.append(f"warning: in the database, {error}")
        report.status = BROKEN
    return report


# -- restore ----------------------------------------------------------------------------------


def restore(source: Path, *, now: datetime, allow_rollback: bool, actor: str = "cyberspex-system") -> Report:
    """Replace the configured database with the backup ``source``, once the backup is checked."""
    if not source.is_file():
        raise BackupError(f"no backup file {source}", USAGE)
    try:
        with source.open("rb") as file:
            magic = file.read(16)
    except OSError as error:
        raise BackupError(f"cannot read {source}: {error.strerror}", USAGE) from None
    vendor = _vendor()
    expected = SQLITE_MAGIC if vendor == "sqlite" else PG_MAGIC
    if not magic.startswith(expected):
        kind = "SQLite" if vendor == "sqlite" else "PostgreSQL custom-format (pg_dump)"
        raise BackupError(f"{source} is not a {kind} backup, which the configured database needs", USAGE)
    report = Report()
    if vendor == "sqlite":
        _restore_sqlite(source, report, allow_rollback=allow_rollback)
    else:
        _restore_postgresql(source, report, allow_rollback=allow_rollback)
    _after_restore(source, report, now=now, actor=actor)
    return report


def _differs(alias: str, seq: int, expected_hash: str) -> bool:
    """Whether record ``seq`` of ``alias`` is another one than ``expected_hash`` (another history)."""
    found = AuditEntry.objects.using(alias).filter(seq=seq).values_list("hash", flat=True).first()
    return seq > 0 and found != expected_hash


def _assess(alias: str, report: Report, *, allow_rollback: bool) -> int:
    """Check the staging copy: its chain, the latest checkpoint, the current database. Its head seq."""
    call_command("migrate", database=alias, interactive=False, verbosity=0)  # an older backup is brought up to date
    seq, summary = _chain_summary(alias)
    report.lines.append(f"{summary} in the backup; last record {seq}")
    losses = []
    log = checkpoints.read()
    report.lines += [f"warning: checkpoint log {checkpoints.log_path()}, {why}" for why in log.refused]
    if log.latest is None:
        report.lines.append(f"warning: no checkpoint to compare with in {checkpoints.log_path()}")
    else:
        point = log.latest
        report.lines.append(f"latest checkpoint: record {point['seq']}, signed {point['at']}")
        if seq < point["seq"]:
            losses.append(f"the latest checkpoint vouches for record {point['seq']}, the backup ends at record {seq}")
        elif _differs(alias, point["seq"], point["hash"]):
            losses.append(f"the backup's record {point['seq']} differs from the one the latest checkpoint vouches for")
    try:
        current, current_hash = head(using="default")
    except DatabaseError as error:
        report.lines.append(f"warning: the current database cannot be read ({error.__class__.__name__})")
    else:
        if current > seq:
            losses.append(f"the current database holds {current} record(s), the backup {seq}")
        elif _differs(alias, current, current_hash):
            losses.append(f"the backup's record {current} differs from the current database's last record")
    if losses:
        message = "; ".join(losses) + ": restoring would lose or replace audit records"
        if not allow_rollback:
            raise BackupError(f"{message}. Nothing was changed; to restore anyway, pass --allow-rollback", ROLLBACK)
        report.lines.append(f"warning: {message} (allowed by --allow-rollback)")
    return seq


def _restore_sqlite(source: Path, report: Report, *, allow_rollback: bool) -> None:
    target = Path(_default()["NAME"])
    staging = target.with_name(f".{target.name}.restore-{os.getpid()}")
    try:
        try:
            _sqlite_copy(source, staging)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} cannot be read as a SQLite database: {error}", USAGE) from None
        with _alias(NAME=str(staging), OPTIONS={"init_command": "PRAGMA foreign_keys=ON;"}):
            _assess(STAGING, report, allow_rollback=allow_rollback)
        connections["default"].close()
        src, dst = sqlite3.connect(staging), sqlite3.connect(target, timeout=20)
        try:
            src.backup(dst)  # written through SQLite's locks: readers see the old or the new database, never a mix
        finally:
            src.close()
            dst.close()
    finally:
        for leftover in (staging, Path(f"{staging}-wal"), Path(f"{staging}-shm")):
            leftover.unlink(missing_ok=True)
    report.lines.insert(0, f"restored {target} from {source}")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _restore_postgresql(source: Path, report: Report, *, allow_rollback: bool) -> None:
    database = str(_default()["NAME"])
    staging = f"{database[:40]}_restore_staging"
    with connections["default"].cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(staging)}")
        cursor.execute(f"CREATE DATABASE {_quoted(staging)}")
    try:
        argv, env = _pg_command("pg_restore", staging)
        # Owners and grants are left out of the staging copy: it only has to be read.
        _run([*argv, "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", str(source)], env, "pg_restore")
        with _alias(NAME=staging):
            _assess(STAGING, report, allow_rollback=allow_rollback)
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(staging)}")
    connections["default"].close()
    argv, env = _pg_command("pg_restore", database)
    # One transaction: the restore is complete, or the database is left as it was.
    _run([*argv, "--clean", "--if-exists", "--exit-on-error", "--single-transaction", str(source)], env, "pg_restore")
    report.lines.insert(0, f"restored database {database} from {source}")


def _os_user() -> str:
    """Who ran the restore on the host, for the audit record ('' when the system cannot say)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def _after_restore(source: Path, report: Report, *, now: datetime, actor: str) -> None:
    """Migrate, verify the live database, record the restore, and sign a checkpoint of it."""
    call_command("migrate", interactive=False, verbosity=0)
    seq, summary = _chain_summary("default")
    with transaction.atomic():
        entry = append(
            at=now,
            actor=actor,
            organisation="",
            event=Event.RESTORE,
            object_type="database",
            details={"backup": source.name, "backup_last_record": seq, "os_user": _os_user()},
        )
    report.lines.append(f"{summary} after the restore; the restore is record {entry.seq}")
    try:
        point = checkpoints.record(at=now)
    except AuditKeyError:
        report.lines.append("warning: no checkpoint written: AUDIT_CHECKPOINT_KEY is not set")
    else:
        report.lines.append(f"checkpoint of record {point['seq']} written to {checkpoints.log_path()}")
