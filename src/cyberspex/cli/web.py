"""Commands of the web platform: serve, worker, retention, audit, and demo TOTP codes."""

from __future__ import annotations

import argparse
import functools
import json
import os
import secrets
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cyberspex.cli.common import Parser, UsageError


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


def _checkpoint_key() -> None:
    from django.conf import settings  # noqa: PLC0415

    if not settings.AUDIT_CHECKPOINT_KEY:
        raise UsageError("AUDIT_CHECKPOINT_KEY is not set: checkpoints cannot be signed or checked (docs/configuration.md)")


def add_arguments(sub: argparse._SubParsersAction[Parser]) -> None:
    serve = sub.add_parser("serve", help="run the web platform (migrations applied first)")
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
    worker = sub.add_parser("worker", help="send deadline reminders, in a loop")
    worker.add_argument("--once", action="store_true", help="one pass, then exit")
    worker.add_argument("--interval", type=int, default=60, help="seconds between passes (default 60)")
    worker.add_argument("--within-hours", type=int, default=24, help="remind this long before a deadline (default 24)")
    retention = sub.add_parser("retention", help="erase cases whose retention review date has passed")
    retention.add_argument("retention_command", choices=["run"])
    audit = sub.add_parser("audit", help="verify the audit trail or export a signed checkpoint")
    audit.add_argument("audit_command", choices=["verify", "checkpoint"])
    audit.add_argument("--checkpoint", metavar="FILE", help="verify: also check against this checkpoint (detects truncation)")
    audit.add_argument("-o", "--output", metavar="FILE", help="checkpoint: write here instead of standard output")
    code = sub.add_parser("demo-code", help="the current TOTP code of a demo user")
    code.add_argument("username")


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
    data_dir = _setup()
    control = control_socket_path(args, data_dir)
    if args.demo:
        from cyberspex.web.demo import DEMO_PASSWORD, load_demo  # noqa: PLC0415

        users = load_demo()
        print(f"Demo users (password '{DEMO_PASSWORD}'); the second factor: `cyberspex demo-code USER`:")
        for user in users:
            print(f"  {user.username:<13} {user.role.label} — {user.organisation}")
    print(f"Serving on http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    bind = f"{args.host}:{args.port}"
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "cyberspex.web.wsgi:application",
        "--bind",
        bind,
        "--config",
        "python:cyberspex.web.gunicorn_conf",  # gthread workers with a time limit on request heads, no Server header
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
    os.environ["CYBERSPEX_REQUEST_HEAD_TIMEOUT"] = str(args.request_head_timeout)  # read by gunicorn_worker
    os.execv(sys.executable, gunicorn)  # noqa: S606  # our own interpreter running gunicorn, no shell


@one_line_errors
def demo_code(args: argparse.Namespace) -> tuple[int, str]:
    _setup()
    from django_otp.oath import totp  # noqa: PLC0415

    from cyberspex.web.demo import USERS, demo_secret  # noqa: PLC0415

    if args.username not in {u.username for u in USERS}:
        raise UsageError(f"{args.username!r} is not a demo user: {', '.join(u.username for u in USERS)}")
    return 0, f"{totp(demo_secret(args.username)):06d}"


@one_line_errors
def audit(args: argparse.Namespace) -> tuple[int, str]:
    _setup()
    from cyberspex.web.audit.chain import checkpoint, verify  # noqa: PLC0415

    if args.audit_command == "checkpoint":
        _checkpoint_key()
        text = json.dumps(checkpoint(), indent=2)
        if args.output:
            try:
                Path(args.output).write_text(text + "\n", encoding="utf-8")
            except OSError as error:
                raise UsageError(f"cannot write {args.output!r}: {error.strerror}") from None
            return 0, f"wrote {args.output}"
        return 0, text
    point = None
    if args.checkpoint:
        point = _read_checkpoint(args.checkpoint)
        _checkpoint_key()
    verdict = verify(point)
    if verdict.ok:
        return 0, f"audit trail intact: {verdict.checked} record(s) verified"
    problem = f"{verdict.problem} ({verdict.checked} record(s) verified before it)"
    return 1, f"audit trail broken at record {verdict.first_bad_seq}: {problem}"


@one_line_errors
def retention(_: argparse.Namespace) -> tuple[int, str]:
    _setup()
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from cyberspex.web.cases.services import retention_run  # noqa: PLC0415

    system, _created = User.objects.get_or_create(username="cyberspex-system", defaults={"is_active": False})
    erased = retention_run(actor=system, now=timezone.now())
    return 0, f"erased {len(erased)} case(s) past their retention review date" + (f": {erased}" if erased else "")


MAX_WITHIN_HOURS = 24 * 366
MAX_INTERVAL = 24 * 3600


@one_line_errors
def worker(args: argparse.Namespace) -> tuple[int, str]:
    if not 0 < args.within_hours <= MAX_WITHIN_HOURS:
        raise UsageError(f"invalid --within-hours {args.within_hours}: expected 1 to {MAX_WITHIN_HOURS}")
    if not 0 < args.interval <= MAX_INTERVAL:
        raise UsageError(f"invalid --interval {args.interval}: expected 1 to {MAX_INTERVAL} seconds")
    _setup()
    from cyberspex.web.cases.reminders import send_due_reminders  # noqa: PLC0415

    while True:
        sent = send_due_reminders(within_hours=args.within_hours)
        if args.once:
            return 0, f"sent {sent} reminder(s)"
        print(f"sent {sent} reminder(s)", flush=True)
        time.sleep(args.interval)
