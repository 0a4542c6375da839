"""Authenticated writes while a password spray against names that are no account runs.

Serves a fresh SQLite instance with gunicorn (as `cyberspex serve` does), then counts the cases
one API client creates in ``--seconds``: first alone (the baseline), then while ``--sprayers``
clients post log-ins for unknown names as fast as they can. With ``--distributed`` every spray
attempt claims another client address (``X-Forwarded-For``, with the server told to trust the
local proxy), as a spray from many machines would. The ratio of the two counts is the result.

    .venv/bin/python bench/login_spray.py [--seconds 20] [--sprayers 8] [--distributed]
    .venv/bin/python bench/login_spray.py --cyberspex /other/checkout/.venv/bin/cyberspex   # another version
"""

from __future__ import annotations

import argparse
import collections
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

SETUP = """
import django, os
django.setup()
from django.contrib.auth.models import User
from cyberspex.web.accounts.models import Membership, Organisation, Role
from cyberspex.web.api.auth import token_create
from django.utils import timezone
org = Organisation.objects.create(name="Bench", kind="issuing_authority", country="FR")
user = User.objects.create_user("writer", password="a-long-bench-password")
Membership.objects.create(user=user, organisation=org, role=Role.PROSECUTOR)
print(token_create(user=user, name="bench", verified=True, now=timezone.now()))
"""


def _status(request: urllib.request.Request, opener: urllib.request.OpenerDirector | None = None) -> int:
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=60) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return 0


def _writer(base: str, token: str, stop: threading.Event, counts: collections.Counter[int], tag: str) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        body = {
            "reference": f"BENCH-{tag}-{n}",
            "title": "Bench case",
            "retention_review_date": "2099-01-01",
        }
        request = urllib.request.Request(  # noqa: S310  # our own local server
            f"{base}/api/v1/cases",
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        counts[_status(request)] += 1


def _sprayer(base: str, index: int, distributed: bool, stop: threading.Event, counts: collections.Counter[int]) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/", timeout=60) as page:
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    assert csrf is not None
    n = 0
    while not stop.is_set():
        n += 1
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": csrf.group(1), "username": f"nobody-{index}-{n}", "password": "guess"}
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base}/accounts/login/"}
        if distributed:
            headers["X-Forwarded-For"] = f"10.{index}.{n // 250 % 250}.{n % 250 + 1}"
        request = urllib.request.Request(f"{base}/accounts/login/", data=form.encode(), headers=headers, method="POST")  # noqa: S310
        counts[_status(request, opener)] += 1


def _phase(base: str, token: str, *, seconds: float, sprayers: int, distributed: bool, tag: str) -> dict[str, Any]:
    stop = threading.Event()
    writes: collections.Counter[int] = collections.Counter()
    spray: collections.Counter[int] = collections.Counter()
    threads = [threading.Thread(target=_writer, args=(base, token, stop, writes, tag))]
    threads += [threading.Thread(target=_sprayer, args=(base, i, distributed, stop, spray)) for i in range(sprayers)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return {"writes": writes.get(201, 0), "write_statuses": dict(writes), "spray_statuses": dict(spray)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--sprayers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--distributed", action="store_true")
    parser.add_argument("--cyberspex", default=str(Path(sys.executable).parent / "cyberspex"))
    args = parser.parse_args()

    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "CYBERSPEX_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "cyberspex.web.settings", "LOG_LEVEL": "ERROR"}
        env.pop("DATABASE_URL", None)
        if args.distributed:
            env["TRUSTED_PROXIES"] = "127.0.0.1"
        server = subprocess.Popen(  # our own command
            [args.cyberspex, "serve", "--port", str(args.port), "--workers", str(args.workers)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                if _status(urllib.request.Request(f"{base}/healthz")) == 200:  # noqa: S310
                    break
                time.sleep(0.1)
            python = str(Path(args.cyberspex).parent / "python")
            token = subprocess.run([python, "-c", SETUP], env=env, check=True, capture_output=True, text=True).stdout.strip()
            alone = _phase(base, token, seconds=args.seconds, sprayers=0, distributed=args.distributed, tag="alone")
            sprayed = _phase(base, token, seconds=args.seconds, sprayers=args.sprayers, distributed=args.distributed, tag="spray")
        finally:
            server.terminate()
            server.wait(30)
    result = {
        "seconds": args.seconds,
        "sprayers": args.sprayers,
        "distributed": args.distributed,
        "writes_alone": alone["writes"],
        "writes_during_spray": sprayed["writes"],
        "ratio": round(sprayed["writes"] / alone["writes"], 3) if alone["writes"] else None,
        "spray_statuses": sprayed["spray_statuses"],
        "write_statuses_during_spray": sprayed["write_statuses"],
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
