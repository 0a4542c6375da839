"""Lists that do not grow with the table: each list page and list API at 100,000 requests against
the same at 1,000 (SQLite), p95 at concurrency 4.

    .venv/bin/python bench/lists.py [--quick] [--small 1000] [--large 100000] [--postgres URL]
                                   [--cyberspex-src DIR]

For each size, a fresh database is seeded with ``cyberspex bench-data --requests N`` (the
measured organisation holds 50% of the 1,000 requests and 10% of the large data set, ``--small-share``
and ``--large-share``: the table grows 100-1,000x and the organisation's own rows 20-200x, while its
person's pages show the same number of rows at both sizes, so that like is compared with like; the
size of each page at both sizes is recorded beside its figure), served by ``cyberspex serve`` (harness.Server), and loaded by
bench/loadgen.py in its own process. The measured prosecutor logs in as a person does: the
log-in form (password), then the second-factor form with a TOTP code computed here from the
key bench-data gives the measured users (RFC 6238); the session cookie it gets is sent with
every page. The list APIs use the bearer tokens bench-data stores (``--api-token``).

Figures (baseline: the same URL at ``--small``, this run): p95 of the dashboard (deadline list
and case list), a deeper page of the case list, the request list (search by state), the
deadline list (API), the cases API and the audit search (API, as the auditor; each search is
itself recorded). Target: each ≤ 2.0. ``/healthz`` p95 at both sizes is recorded for scale.
``--quick``: 1,000 against 10,000 requests with short loads (a smoke run, about 30 s idle).
``--postgres URL`` (a server URL, e.g. postgres://postgres@127.0.0.1:5432): also 1,000 against
1,000,000 requests on PostgreSQL, in databases ``lists_bench_small``/``lists_bench_large``
(dropped and created); without it, PostgreSQL is not measured. ``--cyberspex-src DIR`` serves
the code of another checkout (e.g. an export of main) on the same data, without the indexes
this change adds: the "before" figures.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.cookiejar
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # bench/ is not a package

NAME = "lists"
PASSWORD = "bench-password-2026"  # noqa: S105  # throw-away benchmark users
API_TOKEN = "bench-lists-token"  # noqa: S105  # bench-data stores its digest: "-prosecutor" / "-auditor" appended
TOTP_KEY = b"cyberspex-bench-totp"  # cyberspex/web/benchdata.py MEASURED_TOTP_KEY, as bytes
# The indexes issue 12 adds (cases 0009, 0012 and 0013 (PostgreSQL only), audit 0006): dropped for
# the "before" figures.
NEW_INDEXES = (
    "case_org_newest",
    "case_org_review",
    "deadline_request_open_due",
    "request_case_newest",
    "request_case_state",
    "audit_organisation_seq",
    "request_org_newest",
    "request_org_state",
    "deadline_org_open_due",
    "case_reference_trgm",
    "case_title_trgm",
    "case_offences_trgm",
    "case_identifiers_trgm",
)
TARGET = 2.0


def totp(key: bytes, at: float) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as django-otp checks it."""
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def _csrf(opener: urllib.request.OpenerDirector, url: str) -> str:
    with opener.open(url, timeout=60) as page:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    if found is None:
        raise RuntimeError(f"no CSRF token on {url}")
    return found.group(1)


def _post(opener: urllib.request.OpenerDirector, url: str, fields: dict[str, str]) -> str:
    body = urllib.parse.urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": url}
    with opener.open(urllib.request.Request(url, data=body, headers=headers, method="POST"), timeout=60) as answer:  # noqa: S310
        return str(answer.geturl())


def log_in(base: str, username: str) -> str:
    """A real session: the password form, then the TOTP form. Returns the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/accounts/login/"
    _post(opener, login, {"csrfmiddlewaretoken": _csrf(opener, login), "username": username, "password": PASSWORD})
    mfa = f"{base}/accounts/mfa/"
    landed = _post(opener, mfa, {"csrfmiddlewaretoken": _csrf(opener, mfa), "code": totp(TOTP_KEY, time.time())})
    if "/accounts/" in landed:
        raise RuntimeError(f"the log-in of {username} did not pass the second factor (landed on {landed})")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


SMALL_SHARE = 0.5  # at 1,000 requests: 500 of the organisation's own, enough to fill every measured page
LARGE_SHARE = 0.1


def _seed(env: dict[str, str], requests: int, share: float) -> float:
    started = time.monotonic()
    command = [str(harness.CYBERSPEX), "bench-data", "--requests", str(requests), "--api-token", API_TOKEN]
    command += ["--measured-share", str(share)]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
    return time.monotonic() - started


def _drop_new_indexes(env: dict[str, str]) -> None:
    """For the "before" figures: the schema as it was, with this change's indexes dropped."""
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from django.db import connection\n"
        f"names = {NEW_INDEXES!r}\n"
        "with connection.cursor() as cursor:\n"
        "    [cursor.execute(f'DROP INDEX IF EXISTS {name}') for name in names]\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=600)


def measure(env: dict[str, str], *, seconds: float, src: str | None) -> dict[str, dict[str, Any]]:
    """p95 and friends of every measured URL against the seeded database of ``env``."""
    if src:
        env = {**env, "PYTHONPATH": str(Path(src) / "src")}
        _drop_new_indexes(env)
    with harness.Server(env) as server:
        cookie = {"Cookie": log_in(server.base, "bench-prosecutor")}
        prosecutor = {"Authorization": f"Bearer {API_TOKEN}-prosecutor"}
        auditor = {"Authorization": f"Bearer {API_TOKEN}-auditor"}
        plan = {
            "healthz": ("/healthz", {}),
            "dashboard": ("/", cookie),
            "case list, page 4": ("/?page=4", cookie),
            "request list (search)": ("/search/?q=issued", cookie),
            "deadline list API": ("/api/v1/deadlines?limit=50", prosecutor),
            "cases API": ("/api/v1/cases?limit=20&offset=60", prosecutor),
            "audit search API": ("/api/v1/audit?justification=bench&event=create&limit=50", auditor),
        }
        results: dict[str, dict[str, Any]] = {}
        for name, (path, headers) in plan.items():
            status = harness.status_of(server.url(path), headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            results[name] = harness.load(
                server.url(path), concurrency=4, seconds=seconds, warmup=min(0.5, seconds / 4), headers=headers
            )
            results[name]["bytes"] = _body_size(server.url(path), headers)
        return results


def _body_size(url: str, headers: dict[str, str]) -> int:
    """The size of the page or answer, so that a reader sees both sizes show as much."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as answer:  # noqa: S310  # loopback
        return len(answer.read())


def _size(  # one size of one engine, with its share and whether it was seeded before
    database: str,
    data_dir: Path,
    requests: int,
    seconds: float,
    src: str | None,
    *,
    share: float,
    seeded_before: bool = False,
) -> dict[str, Any]:
    env = harness.server_env(data_dir, database or None)
    seeded = None
    if not seeded_before:
        seeded = round(_seed(env, requests, share), 1)
        print(f"lists: seeded {requests:,} requests in {seeded:.1f} s", file=sys.stderr, flush=True)
    return {"requests": requests, "measured_share": share, "seed_seconds": seeded, "urls": measure(env, seconds=seconds, src=src)}


def _postgres(url: str, name: str, *, seeded_before: bool = False) -> str:
    """Drop and create database ``name`` on the server of ``url`` (unless it was seeded
    beforehand); its URL."""
    import psycopg  # noqa: PLC0415  # only with --postgres

    if seeded_before:
        return f"{url.rstrip('/')}/{name}"
    with psycopg.connect(f"{url.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{url.rstrip('/')}/{name}"


def _figures(engine: str, small: dict[str, Any], large: dict[str, Any]) -> list[dict[str, Any]]:
    figures = []
    for name in small["urls"]:
        value, base = large["urls"][name]["p95_ms"], small["urls"][name]["p95_ms"]
        figures.append(
            harness.figure(
                f"{name} p95 at {large['requests']:,} requests ({engine})",
                value,
                base,
                unit="ms",
                baseline_name=(
                    f"at {small['requests']:,} requests ({small['urls'][name]['bytes']:,} bytes against "
                    f"{large['urls'][name]['bytes']:,})"
                ),
                target=None if name == "healthz" else TARGET,
            )
        )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 against 10,000 requests, short loads")
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=None, help="default 100,000 (10,000 with --quick)")
    parser.add_argument("--seconds", type=float, default=None, help="load per URL (default 5, 0.8 with --quick)")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", ""), help="also PostgreSQL: a server URL")
    parser.add_argument("--postgres-large", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres-seeded",
        action="store_true",
        help="lists_bench_small and lists_bench_large were seeded beforehand (cyberspex bench-data --requests N "
        f"--api-token {API_TOKEN}, N = --small and --postgres-large, --measured-share 0.5 and 0.1) "
        "with the AUDIT_CHAIN_KEY now in the environment: "
        "measure only, without SQLite",
    )
    parser.add_argument("--small-share", type=float, default=SMALL_SHARE, help="the organisation's share at --small")
    parser.add_argument("--large-share", type=float, default=LARGE_SHARE, help="the organisation's share of the large sets")
    parser.add_argument("--cyberspex-src", default=None, help="serve another checkout's code (the 'before' figures)")
    args = parser.parse_args()
    large = args.large or (10_000 if args.quick else 100_000)
    seconds = args.seconds or (0.8 if args.quick else 5.0)
    try:
        figures: list[dict[str, Any]] = []
        details: dict[str, Any] = {"code": args.cyberspex_src or "this checkout", "concurrency": 4, "seconds": seconds}
        with tempfile.TemporaryDirectory(prefix="bench-lists-") as folder:
            if not args.postgres_seeded:
                small = _size("", Path(folder) / "small", args.small, seconds, args.cyberspex_src, share=args.small_share)
                big = _size("", Path(folder) / "large", large, seconds, args.cyberspex_src, share=args.large_share)
                figures += _figures("SQLite", small, big)
                details["sqlite"] = {"small": small, "large": big}
            if args.postgres:
                pg_large = 10_000 if args.quick else args.postgres_large
                small = _size(
                    _postgres(args.postgres, "lists_bench_small", seeded_before=args.postgres_seeded),
                    Path(folder) / "pg-small",
                    args.small,
                    seconds,
                    args.cyberspex_src,
                    share=args.small_share,
                    seeded_before=args.postgres_seeded,
                )
                big = _size(
                    _postgres(args.postgres, "lists_bench_large", seeded_before=args.postgres_seeded),
                    Path(folder) / "pg-large",
                    pg_large,
                    seconds,
                    args.cyberspex_src,
                    share=args.large_share,
                    seeded_before=args.postgres_seeded,
                )
                figures += _figures("PostgreSQL", small, big)
                details["postgresql"] = {"small": small, "large": big}
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        print(f"lists: could not measure: {error}", file=sys.stderr)
        return 1
    path = harness.record(f"{NAME}_postgresql" if args.postgres_seeded else NAME, figures, **details)
    for item in figures:
        print(f"{item['figure']}: {item['value']} ms vs {item['baseline_value']} ms = {item['ratio']}x (met: {item['met']})")
    print(f"written {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
