"""Commands of the web platform: serve, worker, retention, audit, and demo TOTP codes."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

from cyberspex.cli.common import Parser, UsageError


def _setup() -> None:
    """Configure Django from the environment; create the data folder; apply migrations."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberspex.web.settings")
    data_dir = Path(os.environ.get("CYBERSPEX_DATA_DIR", Path.cwd() / "var"))
    data_dir.mkdir(parents=True, exist_ok=True)
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


def add_arguments(sub: argparse._SubParsersAction[Parser]) -> None:
    serve = sub.add_parser("serve", help="run the web platform (migrations applied first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    serve.add_argument("--demo", action="store_true", help="add demo organisations and users and print how to log in")
    worker = sub.add_parser("worker", help="send deadline reminders, in a loop")
    worker.add_argument("--once", action="store_true", help="one pass, then exit")
    worker.add_argument("--interval", type=int, default=60, help="seconds between passes (default 60)")
    worker.add_argument("--within-hours", type=int, default=24, help="remind this long before a deadline (default 24)")
    retention = sub.add_parser("retention", help="erase cases whose retention review date has passed")
    retention.add_argument("retention_command", choices=["run"])
    retention.add_argument(
        "--batch-size", type=int, metavar="N", help="cases erased per transaction (default: RETENTION_BATCH_SIZE, 100)"
    )
    audit = sub.add_parser("audit", help="verify the audit trail or export a signed checkpoint")
    audit.add_argument("audit_command", choices=["verify", "checkpoint"])
    audit.add_argument("--checkpoint", metavar="FILE", help="verify: also check against this checkpoint (detects truncation)")
    audit.add_argument("-o", "--output", metavar="FILE", help="checkpoint: write here instead of standard output")
    account = sub.add_parser("account", help="the first administrator, and enrolment links for authenticators")
    account.add_argument("account_command", choices=["create-admin", "enrolment-link"])
    account.add_argument("username")
    account.add_argument("--organisation", help="create-admin: the organisation's name (made if missing)")
    account.add_argument("--kind", default="issuing_authority", help="create-admin: kind of a new organisation")
    account.add_argument("--country", help="create-admin: ISO 3166-1 alpha-2 code of a new organisation")
    account.add_argument("--email", default="", help="create-admin: e-mail address")
    account.add_argument(
        "--password-file", metavar="FILE", help="create-admin: read the password from FILE (otherwise it is asked for)"
    )
    code = sub.add_parser("demo-code", help="the current TOTP code of a demo user")
    code.add_argument("username")


def serve(args: argparse.Namespace) -> tuple[int, str]:
    if not 0 < args.port < 65536:
        raise UsageError(f"invalid --port {args.port}: expected 1 to 65535")
    _setup()
    if args.demo:
        from cyberspex.web.demo import DEMO_PASSWORD, NotADemoDatabase, load_demo  # noqa: PLC0415

        try:
            users = load_demo()
        except NotADemoDatabase as error:
            raise UsageError(f"serve --demo: {error}") from None
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
        "--workers",
        str(args.workers),
    ]
    os.execv(sys.executable, gunicorn)  # noqa: S606  # our own interpreter running gunicorn, no shell


def demo_code(args: argparse.Namespace) -> tuple[int, str]:
    _setup()
    from django_otp.oath import totp  # noqa: PLC0415

    from cyberspex.web.demo import USERS, demo_secret  # noqa: PLC0415

    if args.username not in {u.username for u in USERS}:
        raise UsageError(f"{args.username!r} is not a demo user: {', '.join(u.username for u in USERS)}")
    return 0, f"{totp(demo_secret(args.username)):06d}"


def audit(args: argparse.Namespace) -> tuple[int, str]:
    _setup()
    from cyberspex.web.audit.chain import checkpoint, verify  # noqa: PLC0415

    if args.audit_command == "checkpoint":
        text = json.dumps(checkpoint(), indent=2)
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
            return 0, f"wrote {args.output}"
        return 0, text
    point = None
    if args.checkpoint:
        try:
            point = json.loads(Path(args.checkpoint).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise UsageError(f"cannot read checkpoint {args.checkpoint!r}: {error}") from None
    verdict = verify(point)
    if verdict.ok:
        return 0, f"audit trail intact: {verdict.checked} record(s) verified"
    problem = f"{verdict.problem} ({verdict.checked} record(s) verified before it)"
    return 1, f"audit trail broken at record {verdict.first_bad_seq}: {problem}"


def retention(args: argparse.Namespace) -> tuple[int, str]:
    if args.batch_size is not None and not 1 <= args.batch_size <= 5000:
        raise UsageError(f"invalid --batch-size {args.batch_size}: expected 1 to 5000")
    _setup()
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


def worker(args: argparse.Namespace) -> tuple[int, str]:
    _setup()
    from cyberspex.web.cases.reminders import send_due_reminders  # noqa: PLC0415

    while True:
        sent = send_due_reminders(within_hours=args.within_hours)
        if args.once:
            return 0, f"sent {sent} reminder(s)"
        print(f"sent {sent} reminder(s)", flush=True)
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
