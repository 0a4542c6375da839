"""Commands of the web platform: serve, worker, retention, audit, demo TOTP codes, and the
exchange between instances (instance, peers, federation, outbox)."""

from __future__ import annotations

import argparse
import base64
import functools
import json
import os
import secrets
import socket
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from cyberspex.cli.common import UsageError


def _setup() -> Path:
    """Configure Django from the environment; create the data folder; apply migrations.
    Returns the data folder."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberspex.web.settings")
    data_dir = Path(os.environ.get("CYBERSPEX_DATA_DIR", Path.cwd() / "var"))
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"CYBERSPEX_DATA_DIR: cannot create the folder {str(data_dir)!r}: {error.strerror}") from None
    os.environ.setdefault("CYBERSPEX_DATA_DIR", str(data_dir))
    if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
        key_file = data_dir / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            key_file.chmod(0o600)
        os.environ["SECRET_KEY_FILE"] = str(key_file)  # every server worker must share one key
    if not os.environ.get("DATA_KEY") and not os.environ.get("DATA_KEY_FILE"):
        # Seals signing keys and produced files at rest (web/exchange/sealing.py): kept apart from
        # SECRET_KEY, so that rotating SECRET_KEY does not make them unreadable.
        data_key_file = data_dir / "data_key"
        if not data_key_file.exists():
            data_key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="), encoding="utf-8")
            data_key_file.chmod(0o600)
        os.environ["DATA_KEY_FILE"] = str(data_key_file)
    import django  # noqa: PLC0415  # Django loads only for the web commands
    from django.core.management import call_command  # noqa: PLC0415

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    return data_dir


MAX_CHECKPOINT_BYTES = 65_536


def one_line_errors(command: Callable[[argparse.Namespace], tuple[int, str]]) -> Callable[[argparse.Namespace], tuple[int, str]]:
    """A web command whose database cannot be used, or whose Django settings are unusable,
    ends with one line naming the problem (exit status 2), not a traceback. Any other error
    is not caught here."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> tuple[int, str]:
        try:
            return command(args)
        except Exception as error:
            problem = _environment_problem(error)
            if problem is None:
                raise
            raise UsageError(problem) from None

    return run


def _environment_problem(error: Exception) -> str | None:
    if "django" not in sys.modules:
        return None
    from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415
    from django.db import Error as DatabaseError  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if isinstance(error, DatabaseError):
        return f"cannot use the database ({connection.vendor}): {first_line}"
    if isinstance(error, ImproperlyConfigured):
        return f"the settings cannot be used: {first_line}"
    return None


def _read_checkpoint(path: str) -> dict[str, Any]:
    """A checkpoint as ``audit checkpoint`` writes it: ``{"seq": int, "hash": str, "signature": str}``."""
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_CHECKPOINT_BYTES + 1)
        if len(raw) > MAX_CHECKPOINT_BYTES:
            raise UsageError(f"checkpoint {path!r} is not a checkpoint: larger than {MAX_CHECKPOINT_BYTES} bytes")
        point = json.loads(raw.decode("utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read checkpoint {path!r}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read checkpoint {path!r}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UsageError(f"cannot read checkpoint {path!r}: not valid JSON: {error.msg} at line {error.lineno}") from None
    except (RecursionError, ValueError):
        raise UsageError(f"cannot read checkpoint {path!r}: not a checkpoint") from None
    shape = {"seq": int, "hash": str, "signature": str}
    if not isinstance(point, dict):
        raise UsageError(f"checkpoint {path!r} is not a checkpoint: expected a JSON object with {', '.join(shape)}")
    for key, kind in shape.items():
        value = point.get(key)
        if not isinstance(value, kind) or isinstance(value, bool) or (isinstance(value, int) and value < 0):
            expected = "a whole number of at least 0" if kind is int else "a string"
            raise UsageError(f"checkpoint {path!r} is not a checkpoint: {key!r} must be {expected}, not {value!r}"[:300])
    return point


def serve_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="processes (default 2 × cores + 1)")
    serve.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=f"threads per process, each one connection at a time (default {DEFAULT_THREADS})",
    )
    serve.add_argument(
        "--request-head-timeout",
        type=float,
        default=DEFAULT_HEAD_TIMEOUT,
        metavar="SECONDS",
        help=f"disconnect a client that has not sent its request line and headers by then (default {DEFAULT_HEAD_TIMEOUT:g})",
    )
    serve.add_argument(
        "--control-socket",
        metavar="PATH",
        help="gunicorn's control socket (default: $CYBERSPEX_DATA_DIR/gunicorn-PORT.ctl, one per instance)",
    )
    serve.add_argument("--demo", action="store_true", help="add demo organisations and users and print how to log in")


def worker_arguments(worker: argparse.ArgumentParser) -> None:
    worker.add_argument("--once", action="store_true", help="one pass, then exit")
    worker.add_argument("--interval", type=int, default=60, help="seconds between passes (default 60)")
    worker.add_argument("--within-hours", type=int, default=24, help="remind this long before a deadline (default 24)")


def retention_arguments(retention: argparse.ArgumentParser) -> None:
    retention.add_argument("retention_command", choices=["run"])
    retention.add_argument(
        "--batch-size", type=int, metavar="N", help="cases erased per transaction (default: RETENTION_BATCH_SIZE, 100)"
    )


def audit_arguments(audit: argparse.ArgumentParser) -> None:
    audit.add_argument("audit_command", choices=["verify", "checkpoint", "seal", "roles-sql"])
    audit.add_argument(
        "--checkpoint",
        metavar="FILE",
        help="verify: check against this checkpoint (default: the latest in AUDIT_CHECKPOINT_DIR); detects truncation",
    )
    audit.add_argument("-o", "--output", metavar="FILE", help="checkpoint: write here instead of standard output")
    audit.add_argument(
        "--record", action="store_true", help="checkpoint: append it to the log in AUDIT_CHECKPOINT_DIR now, as the worker does"
    )
    audit.add_argument("--owner", default="cyberspex_owner", help="roles-sql: the role that owns the tables")
    audit.add_argument("--app", default="cyberspex_app", help="roles-sql: the role the platform connects with")


def backup_arguments(backup: argparse.ArgumentParser) -> None:
    backup.add_argument("file", help="the backup file to write (must not exist)")


def restore_arguments(restore: argparse.ArgumentParser) -> None:
    restore.add_argument("file", help="a file written by `cyberspex backup`")
    restore.add_argument(
        "--allow-rollback",
        action="store_true",
        help="restore even if the backup ends before the latest checkpoint or the current database (audit records are lost)",
    )


def account_arguments(account: argparse.ArgumentParser) -> None:
    account.add_argument("account_command", choices=["create-admin", "enrolment-link"])
    account.add_argument("username")
    account.add_argument("--organisation", help="create-admin: the organisation's name (made if missing)")
    account.add_argument("--kind", default="issuing_authority", help="create-admin: kind of a new organisation")
    account.add_argument("--country", help="create-admin: ISO 3166-1 alpha-2 code of a new organisation")
    account.add_argument("--email", default="", help="create-admin: e-mail address")
    account.add_argument(
        "--password-file", metavar="FILE", help="create-admin: read the password from FILE (otherwise it is asked for)"
    )


def bench_data_arguments(bench: argparse.ArgumentParser) -> None:
    bench.add_argument("--requests", type=int, required=True, help="how many requests (at least 1)")
    bench.add_argument(
        "--organisations", type=int, default=None, help="issuing authorities (default: requests / 1,000, 10 to 1,000)"
    )
    bench.add_argument("--seed", type=int, default=0, help="varies the rows' times and states")
    bench.add_argument("--password", default="bench-password-2026", help="password of every seeded user")
    bench.add_argument(
        "--api-token", default="", help="the measured users' API tokens are this text + '-prosecutor' / '-auditor'"
    )
    bench.add_argument("--measured-share", type=float, default=0.1, help="the measured organisation's share of the requests")
    bench.add_argument("--append", action="store_true", help="add to a database that already holds cases")


def demo_code_arguments(code: argparse.ArgumentParser) -> None:
    code.add_argument("username")


def instance_arguments(instance: argparse.ArgumentParser) -> None:
    instance.add_argument("instance_command", choices=["identity", "rotate-key"])
    instance.add_argument("-o", "--output", metavar="FILE", help="identity: write the document here instead of standard output")


def peers_arguments(peers: argparse.ArgumentParser) -> None:
    peers.add_argument("peers_command", choices=["add", "list", "remove"])
    peers.add_argument("target", nargs="?", help="add: the peer's identity document (a FILE); remove: the peer's instance ID")
    peers.add_argument(
        "--replace",
        action="store_true",
        help="add: replace a known peer's keys even if no key trusted for it signed the document",
    )
    peers.add_argument(
        "--requeue",
        action="store_true",
        help="add: send again the messages cancelled when this peer was removed",
    )


def federation_arguments(federation: argparse.ArgumentParser) -> None:
    federation.add_argument("federation_command", choices=["deliver"])
    federation.add_argument("--once", action="store_true", help="one pass, then exit")
    federation.add_argument("--interval", type=float, default=5.0, help="seconds between passes (default 5)")


def outbox_arguments(outbox: argparse.ArgumentParser) -> None:
    outbox.add_argument("outbox_command", choices=["list", "retry", "files", "retry-file"])
    outbox.add_argument(
        "message_id",
        nargs="?",
        help="retry: the message's ID (as `outbox list` shows it); retry-file: the transfer's ID (as `outbox files` shows it)",
    )
    outbox.add_argument("--undelivered", action="store_true", help="list, files: only the messages (files) not yet delivered")


DEFAULT_THREADS = 8
DEFAULT_HEAD_TIMEOUT = 10.0
MAX_HEAD_TIMEOUT = 300.0
MAX_WORKERS = 256
MAX_THREADS = 256
_SOCKET_PATH_MAX = 107  # bytes in sockaddr_un.sun_path, less the final NUL (Linux)


def _check_listen(host: str, port: int) -> None:
    """Fail now, in one line, if the address cannot be listened on (gunicorn would retry and
    then print several lines of its own log)."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:  # socket.gaierror is an OSError
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def served_address(host: str, port: int) -> str:
    """The http:// address at which this machine reaches ``host``:``port`` (a wildcard host: the loopback)."""
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104  # a name, not a bind
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def control_socket_path(args: argparse.Namespace, data_dir: Path) -> Path:
    """This instance's own control socket: two instances on one host must not share one
    (gunicorn removes whatever socket is at its path when it starts)."""
    path = Path(args.control_socket) if args.control_socket else data_dir / f"gunicorn-{args.port}.ctl"
    path = path.absolute()
    if len(os.fsencode(path)) > _SOCKET_PATH_MAX:
        raise UsageError(f"the control socket path {str(path)!r} is too long for a socket; choose a shorter --control-socket")
    if path.exists():
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(str(path))
            except OSError:
                return path  # left behind by an instance that has stopped: gunicorn replaces it
        raise UsageError(f"another running instance uses the control socket {str(path)!r}; choose another --control-socket")
    return path


def _collect_static() -> None:
    """Copy the static files into STATIC_ROOT under names that carry a hash of their content,
    with the manifest that ``{% static %}`` reads (web/static_files.py serves them)."""
    from django.core.management import call_command  # noqa: PLC0415

    call_command("collectstatic", interactive=False, verbosity=0)


def gunicorn_command(args: argparse.Namespace, control: Path) -> list[str]:
    """The command line that ``serve`` replaces itself with: gunicorn, as in production."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "cyberspex.web.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--config",
        "python:cyberspex.web.gunicorn_conf",  # gthread workers with a time limit on request heads, no Server header
        # The application is loaded once, before the workers are forked (web/wsgi.py warms it up):
        # no worker pays for loading it on its first request, and its memory is shared.
        "--preload",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        # As many connections as threads: a worker whose threads are all held by slow clients
        # stops accepting, and new connections go to the other workers.
        "--worker-connections",
        str(args.threads),
        "--control-socket",
        str(control),
    ]


@one_line_errors
def serve(args: argparse.Namespace) -> tuple[int, str]:
    if not 0 < args.port < 65536:
        raise UsageError(f"invalid --port {args.port}: expected 1 to 65535")
    if not 0 < args.workers <= MAX_WORKERS:
        raise UsageError(f"invalid --workers {args.workers}: expected 1 to {MAX_WORKERS}")
    if not 0 < args.threads <= MAX_THREADS:
        raise UsageError(f"invalid --threads {args.threads}: expected 1 to {MAX_THREADS}")
    if not 0.5 <= args.request_head_timeout <= MAX_HEAD_TIMEOUT:
        raise UsageError(
            f"invalid --request-head-timeout {args.request_head_timeout:g}: expected 0.5 to {MAX_HEAD_TIMEOUT:g} seconds"
        )
    _check_listen(args.host, args.port)
    if args.demo:
        os.environ["EXERCISE_MODE"] = "True"  # a demo is an exercise instance (docs/configuration.md)
        if not os.environ.get("SITE_ROOT") and not os.environ.get("SITE_ROOT_FILE"):
            # The demo's address, its links and (CYBERSPEX_BASE_URL's default) its identity document's:
            # the port served, not the default 8000.
            os.environ["SITE_ROOT"] = served_address(args.host, args.port)
    data_dir = _setup()
    control = control_socket_path(args, data_dir)
    _require_keys("serve", demo=args.demo)
    _collect_static()
    if args.demo:
        from cyberspex.web.demo import (  # noqa: PLC0415
            DEMO_PASSWORD,
            EXCHANGES,
            NotADemoDatabase,
            functions_of,
            load_demo,
            seed_exchanges,
        )

        try:
            users = load_demo()
        except NotADemoDatabase as error:
            raise UsageError(f"serve --demo: {error}") from None
        seeded = seed_exchanges()
        print(f"Demo users (password '{DEMO_PASSWORD}'); the second factor: `cyberspex demo-code USER`:")
        for user in users:
            functions = functions_of(user.organisation)
            print(f"  {user.username:<15} {user.role.label} — {user.organisation}" + (f" [{functions}]" if functions else ""))
        print(f"Exercises in the inboxes (every document stamped EXERCISE; {len(seeded.issued)} issued now):")
        not_seeded = dict(seeded.not_seeded)
        for exchange in EXCHANGES:
            problem = f" — not issued: {not_seeded[exchange.reference]}" if exchange.reference in not_seeded else ""
            print(f"  {exchange.reference:<15} {exchange.description}{problem}")
    print(f"Serving on http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    gunicorn = gunicorn_command(args, control)
    os.environ["CYBERSPEX_REQUEST_HEAD_TIMEOUT"] = str(args.request_head_timeout)  # read by gunicorn_worker
    os.execv(sys.executable, gunicorn)  # noqa: S606  # our own interpreter running gunicorn, no shell


@one_line_errors
def bench_data(args: argparse.Namespace) -> tuple[int, str]:
    if args.requests < 1:
        raise UsageError(f"--requests must be at least 1, not {args.requests}")
    if args.organisations is not None and args.organisations < 1:
        raise UsageError(f"--organisations must be at least 1, not {args.organisations}")
    _setup()
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web import benchdata  # noqa: PLC0415
    from cyberspex.web.errors import ApplicationError  # noqa: PLC0415

    started = time.monotonic()

    def progress(done: int) -> None:
        rate = done / max(time.monotonic() - started, 1e-6)
        print(f"bench-data: {done:,} of {args.requests:,} requests ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    organisations = args.organisations or min(1000, max(10, args.requests // 1000))
    try:
        seeded = benchdata.seed(
            requests=args.requests,
            organisations=organisations,
            seed=args.seed,
            password=args.password,
            api_token=args.api_token,
            append=args.append,
            share=args.measured_share,
            now=timezone.now(),
            progress=progress,
        )
    except ApplicationError as error:
        raise UsageError(error.message) from None
    seconds = time.monotonic() - started
    return 0, (
        f"seeded {seeded.requests:,} requests, {seeded.organisations:,} issuing authorities and "
        f"{seeded.audit_records:,} audit records in {seconds:.1f} s; measured user {benchdata.MEASURED_USER!r}"
    )


@one_line_errors
def demo_code(args: argparse.Namespace) -> tuple[int, str]:
    _setup()
    from django_otp.oath import totp  # noqa: PLC0415

    from cyberspex.web.demo import USERS, demo_secret  # noqa: PLC0415

    if args.username not in {u.username for u in USERS}:
        raise UsageError(f"{args.username!r} is not a demo user: {', '.join(u.username for u in USERS)}")
    return 0, f"{totp(demo_secret(args.username)):06d}"


def _require_keys(command: str, *, demo: bool = False, checkpoints: bool = False, sealing: bool = True) -> None:
    """Refuse to run in production (DEBUG off, not a demo) without the audit keys; seal the chain with its key."""
    from django.conf import settings  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.audit.chain import AuditKeyError, current_key, seal  # noqa: PLC0415

    production = not settings.DEBUG and not demo
    missing = [
        name
        for name, needed in (("AUDIT_CHAIN_KEY", True), ("AUDIT_CHECKPOINT_KEY", checkpoints))
        if needed and not getattr(settings, name)
    ]
    if production and missing:
        hint = " (or AUDIT_CHECKPOINT_INTERVAL=0)" if "AUDIT_CHECKPOINT_KEY" in missing else ""
        raise UsageError(
            f"{' and '.join(missing)} not set{hint}: `cyberspex {command}` does not run in production without the audit "
            "keys; keep them outside the database (docs/configuration.md)"
        )
    try:
        key = current_key()  # also checks the keys' length
        entry = seal(at=timezone.now()) if sealing and key is not None else None
    except AuditKeyError as error:
        raise UsageError(str(error)) from None
    if entry is not None:
        print(f"audit chain sealed with the current key from record {entry.seq}", flush=True)


@one_line_errors
def audit(args: argparse.Namespace) -> tuple[int, str]:
    if args.audit_command == "roles-sql":
        from cyberspex.web.audit.roles import roles_sql  # noqa: PLC0415

        try:
            return 0, roles_sql(owner=args.owner, app=args.app)
        except ValueError as error:
            raise UsageError(str(error)) from None
    _setup()
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.audit.chain import AuditKeyError, seal  # noqa: PLC0415

    try:
        if args.audit_command == "seal":
            entry = seal(at=timezone.now())
            if entry is None:
                return 0, "nothing to seal: the chain is empty or its last record is sealed with the current key"
            return 0, f"audit chain sealed with the current key from record {entry.seq}"
        if args.audit_command == "checkpoint":
            return _checkpoint(args, timezone.now())
        return _verify(args.checkpoint)
    except AuditKeyError as error:
        raise UsageError(str(error)) from None


def _checkpoint(args: argparse.Namespace, now: datetime) -> tuple[int, str]:
    """A signed checkpoint: appended to the log (--record), written to a file (-o) or printed."""
    from cyberspex.web.audit import checkpoints  # noqa: PLC0415
    from cyberspex.web.audit.chain import checkpoint  # noqa: PLC0415

    if args.record:
        point = checkpoints.record(at=now)
        return 0, f"checkpoint of record {point['seq']} appended to {checkpoints.log_path()}"
    return _write_or_print(json.dumps(checkpoint(at=now), indent=2), args.output)


def _write_or_print(text: str, output: str | None) -> tuple[int, str]:
    """``text`` written to the file ``output`` (-o), or printed."""
    if output:
        try:
            Path(output).write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {output!r}: {error.strerror}") from None
        return 0, f"wrote {output}"
    return 0, text


def _verify(checkpoint_file: str | None) -> tuple[int, str]:
    """Verify the chain, against the checkpoint given or else the latest of the checkpoint log."""
    from django.conf import settings  # noqa: PLC0415

    from cyberspex.web.audit import checkpoints  # noqa: PLC0415
    from cyberspex.web.audit.chain import verify  # noqa: PLC0415

    notes = []
    point: dict[str, Any] | None = None
    if checkpoint_file:
        point = _read_checkpoint(checkpoint_file)
    elif checkpoints.log_path().exists() and not settings.AUDIT_CHECKPOINT_KEY:
        notes = [f"warning: not checked against the checkpoint log {checkpoints.log_path()}: AUDIT_CHECKPOINT_KEY is not set"]
    elif checkpoints.log_path().exists():
        log = checkpoints.read()
        point = log.latest
        notes = [f"warning: checkpoint log {checkpoints.log_path()}, {why}" for why in log.refused]
        if point is not None:
            notes.append(f"checked against the latest checkpoint: record {point['seq']}, signed {point['at']}")
    verdict = verify(point)
    if verdict.ok:
        return 0, "\n".join([*notes, f"audit trail intact: {verdict.checked} record(s) verified"])
    problem = f"{verdict.problem} ({verdict.checked} record(s) verified before it)"
    return 1, "\n".join([*notes, f"audit trail broken at record {verdict.first_bad_seq}: {problem}"])


@one_line_errors
def backup(args: argparse.Namespace) -> tuple[int, str]:
    _setup()
    from cyberspex.web.audit.chain import AuditKeyError  # noqa: PLC0415
    from cyberspex.web.backup import BackupError  # noqa: PLC0415
    from cyberspex.web.backup import backup as run_backup  # noqa: PLC0415

    try:
        report = run_backup(Path(args.file))
    except AuditKeyError as error:
        raise UsageError(str(error)) from None
    except BackupError as error:
        if error.status == 2:
            raise UsageError(str(error)) from None
        return error.status, f"backup failed: {error}"
    return report.status, report.text()


@one_line_errors
def restore(args: argparse.Namespace) -> tuple[int, str]:
    _setup()
    _require_keys("restore", sealing=False)  # the database about to be replaced is left as it is
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.audit.chain import AuditKeyError  # noqa: PLC0415
    from cyberspex.web.backup import BackupError  # noqa: PLC0415
    from cyberspex.web.backup import restore as run_restore  # noqa: PLC0415

    try:
        report = run_restore(Path(args.file), now=timezone.now(), allow_rollback=args.allow_rollback)
    except AuditKeyError as error:
        raise UsageError(str(error)) from None
    except BackupError as error:
        if error.status == 2:
            raise UsageError(str(error)) from None
        return error.status, f"restore refused: {error}"
    return report.status, report.text()


@one_line_errors
def retention(args: argparse.Namespace) -> tuple[int, str]:
    if args.batch_size is not None and not 1 <= args.batch_size <= 5000:
        raise UsageError(f"invalid --batch-size {args.batch_size}: expected 1 to 5000")
    _setup()
    _require_keys("retention run")
    from django.conf import settings  # noqa: PLC0415
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.cases.retention import MAX_BATCH, Batch, retention_run  # noqa: PLC0415

    if args.batch_size is None and not 1 <= settings.RETENTION_BATCH_SIZE <= MAX_BATCH:
        raise UsageError(f"invalid RETENTION_BATCH_SIZE {settings.RETENTION_BATCH_SIZE}: expected 1 to {MAX_BATCH}")

    def progress(batch: Batch) -> None:
        print(
            f"batch {batch.number}: erased {len(batch.erased)} case(s), {batch.done} of {batch.total} "
            f"({batch.seconds:.2f} s in one transaction)",
            flush=True,
        )

    system, _created = User.objects.get_or_create(username="cyberspex-system", defaults={"is_active": False})
    report = retention_run(actor=system, now=timezone.now(), batch_size=args.batch_size, on_batch=progress)
    summary = f"erased {len(report.erased)} case(s) past their retention review date"
    if report.batches:
        summary += f" in {report.batches} batch(es), the longest {report.longest_batch_seconds:.2f} s"
    return 0, summary + (f"; {report.wal}" if report.wal else "")


MAX_WITHIN_HOURS = 24 * 366
MAX_INTERVAL = 24 * 3600


@one_line_errors
def worker(args: argparse.Namespace) -> tuple[int, str]:
    if not 0 < args.within_hours <= MAX_WITHIN_HOURS:
        raise UsageError(f"invalid --within-hours {args.within_hours}: expected 1 to {MAX_WITHIN_HOURS}")
    if not 0 < args.interval <= MAX_INTERVAL:
        raise UsageError(f"invalid --interval {args.interval}: expected 1 to {MAX_INTERVAL} seconds")
    _setup()
    from django.conf import settings  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.accounts.kept import clear_ended_sessions  # noqa: PLC0415
    from cyberspex.web.audit import checkpoints  # noqa: PLC0415
    from cyberspex.web.cases.reminders import send_due_reminders  # noqa: PLC0415
    from cyberspex.web.federation.files_inbox import sweep_staging  # noqa: PLC0415

    interval = settings.AUDIT_CHECKPOINT_INTERVAL
    _require_keys("worker", checkpoints=interval > 0)
    signing = interval > 0 and bool(settings.AUDIT_CHECKPOINT_KEY)
    while True:
        sent = send_due_reminders(within_hours=args.within_hours)
        clear_ended_sessions()  # ended sessions, and work kept in them that no one came back for
        swept = sweep_staging(timezone.now())  # chunks of files from peers never completed
        point = checkpoints.record_if_due(now=timezone.now(), interval=interval) if signing else None
        line = f"sent {sent} reminder(s)" + (f"; checkpoint of record {point['seq']} signed" if point else "")
        if swept.files:
            line += f"; swept {swept.chunks} chunk(s) of {swept.files} file(s) from peers never completed"
        if args.once:
            return 0, line
        print(line, flush=True)
        time.sleep(args.interval)


def _password(args: argparse.Namespace) -> str:
    if args.password_file:
        try:
            return Path(args.password_file).read_text(encoding="utf-8").rstrip("\n")
        except OSError as error:
            raise UsageError(f"cannot read --password-file {args.password_file!r}: {error.strerror}") from None
    import getpass  # noqa: PLC0415

    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise UsageError("the two passwords differ")
    return first


@one_line_errors
def account(args: argparse.Namespace) -> tuple[int, str]:
    """create-admin: the first administrator of an organisation; enrolment-link: a new link for
    a user without an authenticator. Either prints the one-time enrolment link."""
    _setup()
    from django.conf import settings  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.accounts import lifecycle  # noqa: PLC0415
    from cyberspex.web.accounts.models import OrganisationKind  # noqa: PLC0415
    from cyberspex.web.errors import ApplicationError  # noqa: PLC0415

    if args.account_command == "create-admin":
        if not args.organisation or not args.country:
            raise UsageError("account create-admin needs --organisation and --country")
        if args.kind not in OrganisationKind.values:
            raise UsageError(f"invalid --kind {args.kind!r}: expected one of {', '.join(OrganisationKind.values)}")
        if len(args.country) != 2 or not args.country.isalpha():
            raise UsageError(f"invalid --country {args.country!r}: expected an ISO 3166-1 alpha-2 code such as FR")
        password = _password(args)

    now = timezone.now()
    try:
        if args.account_command == "create-admin":
            created = lifecycle.first_administrator(
                username=args.username,
                email=args.email,
                password=password,
                organisation=args.organisation,
                kind=args.kind,
                country=args.country.upper(),
                now=now,
            )
            token = created.enrolment_token
        else:
            token = lifecycle.enrolment_link_for(username=args.username, now=now)
    except ApplicationError as error:
        raise UsageError(error.message) from None
    hours = settings.ENROLMENT_LINK_HOURS
    return 0, f"one-time enrolment link for {args.username} (valid {hours} hours): {lifecycle.enrolment_url(token)}"


MAX_DOCUMENT_BYTES = 1024 * 1024


@one_line_errors
def instance(args: argparse.Namespace) -> tuple[int, str]:
    _setup()
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.federation import identity  # noqa: PLC0415

    if args.instance_command == "rotate-key":
        _require_keys("instance rotate-key")
        new, old = identity.rotate_key(timezone.now())
        retired = f"; {old.key_id} retired, verifying until {old.not_after:%Y-%m-%d %H:%M} UTC" if old and old.not_after else ""
        return 0, f"new instance signing key {new.key_id}{retired}"
    return _write_or_print(json.dumps(identity.document(timezone.now()), indent=2), args.output)


def _read_document(path: str) -> str:
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_DOCUMENT_BYTES + 1)
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise UsageError(f"{path!r} is not an identity document: larger than {MAX_DOCUMENT_BYTES} bytes")
        return raw.decode("utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path!r}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path!r}: not UTF-8 text") from None


@one_line_errors
def peers(args: argparse.Namespace) -> tuple[int, str]:
    if args.peers_command in ("add", "remove") and not args.target:
        raise UsageError(f"peers {args.peers_command} needs {'a FILE' if args.peers_command == 'add' else 'an instance ID'}")
    text = _read_document(args.target) if args.peers_command == "add" else ""
    _setup()
    if args.peers_command != "list":
        _require_keys(f"peers {args.peers_command}")
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.errors import ApplicationError  # noqa: PLC0415
    from cyberspex.web.federation import trust  # noqa: PLC0415

    try:
        if args.peers_command == "add":
            added = trust.add(text, now=timezone.now(), replace=args.replace, requeue=args.requeue)
            peer = added.peer
            what = "trusted" if added.created else "updated"
            hosted = f"{len(peer.organisations)} organisation(s)"
            line = f"{what} {peer.instance_id} at {peer.base_url}: {hosted}, keys {_kids(peer.keys)}"
            if added.requeued:
                line += f"; {added.requeued} message(s) cancelled when it was removed will be sent on the worker's next pass"
            if added.cancelled:
                line += (
                    f"; {added.cancelled} message(s) cancelled when it was removed are not sent: "
                    f"`peers add FILE --requeue` (or `outbox retry ID`) sends them"
                )
            return 0, line
        if args.peers_command == "remove":
            removed = trust.remove(args.target, now=timezone.now())
            cancelled = f"; {removed.cancelled} message(s) not delivered to it are cancelled" if removed.cancelled else ""
            return 0, f"{removed.peer.instance_id} is no longer trusted: its messages are refused, none is sent to it{cancelled}"
    except ApplicationError as error:
        raise UsageError(error.message) from None
    lines = [
        f"{p.instance_id}\t{p.base_url}\t{len(p.organisations)} organisation(s)\tkeys {_kids(p.keys)}\t"
        f"since {p.added_at:%Y-%m-%d}"
        for p in trust.trusted()
    ]
    return 0, "\n".join(lines) or "no trusted peer"


def _kids(keys: list[dict[str, Any]]) -> str:
    return ", ".join(str(k.get("kid")) for k in keys)


@one_line_errors
def federation(args: argparse.Namespace) -> tuple[int, str]:
    if not 0 < args.interval <= MAX_INTERVAL:
        raise UsageError(f"invalid --interval {args.interval:g}: expected more than 0, at most {MAX_INTERVAL} seconds")
    _setup()
    _require_keys("federation deliver")
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.federation import files, files_transport, outbox, transport  # noqa: PLC0415

    carrier, file_carrier = transport.configured(), files_transport.configured()
    while True:
        done = outbox.deliver_due(carrier, clock=timezone.now)
        sent = files.send_due(file_carrier, clock=timezone.now)  # the files of the messages acknowledged
        for error in [*done.errors, *sent.errors]:
            print(f"not delivered: {error}", file=sys.stderr, flush=True)
        line = done.line() + (f"; {sent.line()}" if sent.files or sent.chunks or sent.retrying or sent.failed else "")
        if args.once:
            return 0, line
        print(line, flush=True)
        time.sleep(args.interval)


@one_line_errors
def outbox(args: argparse.Namespace) -> tuple[int, str]:
    if args.outbox_command == "retry" and not args.message_id:
        raise UsageError("outbox retry needs the message's ID")
    if args.outbox_command == "retry-file" and not args.message_id:
        raise UsageError("outbox retry-file needs the file transfer's ID")
    _setup()
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.errors import ApplicationError  # noqa: PLC0415
    from cyberspex.web.federation import files, selectors  # noqa: PLC0415
    from cyberspex.web.federation import outbox as messages  # noqa: PLC0415

    if args.outbox_command in {"retry", "retry-file"}:
        _require_keys(f"outbox {args.outbox_command}")
        try:
            if args.outbox_command == "retry":
                what = str(messages.retry(args.message_id, now=timezone.now()).pk)
            else:
                transfer = files.retry(args.message_id, now=timezone.now())
                what = f"file transfer {transfer.pk} ({transfer.name})"
        except ApplicationError as error:
            raise UsageError(error.message) from None
        return 0, f"{what} will be sent again on the worker's next pass"
    if args.outbox_command == "files":
        rows = [
            f"{t.pk}\t{t.state}\t{t.message.peer.instance_id}\t{t.name}\t{t.sha256}\tchunks {t.chunks_sent}/{t.chunks}\t"
            f"attempts {t.attempts}" + (f"\t{t.last_error}" if t.last_error and t.state != "sent" else "")
            for t in selectors.transfers(undelivered_only=args.undelivered)
        ]
        return 0, "\n".join(rows) or "no file transfer"
    lines = [
        f"{m.pk}\t{m.state}\t{m.peer.instance_id}\t{m.kind}\t{m.request or '-'}\t{m.created_at:%Y-%m-%d %H:%M:%S}\t"
        f"attempts {m.attempts}" + (f"\t{m.last_error}" if m.last_error and m.state != "delivered" else "")
        for m in selectors.outbox(undelivered_only=args.undelivered)
    ]
    return 0, "\n".join(lines) or "the outbox is empty"
