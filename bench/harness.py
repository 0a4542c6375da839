"""What the HTTP benchmarks share: a server started as users start it, and load from another process.

``Server`` runs ``cyberspex serve`` (gunicorn, as in production) on a free loopback port with a
data directory of its own, and waits until ``/healthz`` answers. ``load`` runs
``bench/loadgen.py`` in a separate process against that server and returns its figures
(requests, errors, rps, p50/p95/p99 in ms). Every figure a benchmark publishes is a ratio to
a baseline measured by the same functions in the same run.
"""

from __future__ import annotations

import base64
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
CYBERSPEX = Path(sys.executable).parent / "cyberspex"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(data_dir: Path | str, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a benchmark's server and of the commands that seed its data."""
    env = {**os.environ, "CYBERSPEX_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "cyberspex.web.settings"}
    env["LOG_LEVEL"] = "ERROR"
    # Production settings need the audit keys: random ones for a throw-away instance.
    for name in ("SECRET_KEY", "AUDIT_CHAIN_KEY", "AUDIT_CHECKPOINT_KEY"):
        env.setdefault(name, base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="))
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def status_of(url: str, headers: Mapping[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310  # our own loopback server
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return 0


class Server:
    """``cyberspex serve`` on a free port; a context manager that stops it on exit."""

    def __init__(self, env: Mapping[str, str], *, workers: int | None = None, threads: int | None = None) -> None:
        self.env = dict(env)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [str(CYBERSPEX), "serve", "--port", str(self.port)]
        if workers:
            self.command += ["--workers", str(workers)]
        if threads:
            self.command += ["--threads", str(threads)]
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise RuntimeError(f"the server stopped before answering: {error.strip()[-2000:]}")
            if status_of(f"{self.base}/healthz") == 200:
                return self
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError("the server did not answer /healthz within 60 s")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def load(
    urls: str | Sequence[str],
    *,
    concurrency: int = 1,
    seconds: float = 5.0,
    warmup: float = 1.0,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Figures of ``bench/loadgen.py`` run in its own process against ``urls``."""
    command = [sys.executable, str(BENCH / "loadgen.py"), "--concurrency", str(concurrency)]
    command += ["--seconds", str(seconds), "--warmup", str(warmup)]
    for url in [urls] if isinstance(urls, str) else urls:
        command += ["--url", url]
    for name, value in (headers or {}).items():
        command += ["--header", f"{name}: {value}"]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + warmup + 120)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def ratio(value: float, baseline: float) -> float | None:
    return round(value / baseline, 2) if baseline else None


def write_result(name: str, result: Mapping[str, Any]) -> Path:
    """``bench/results/<name>.json``, the machine-readable record of one benchmark."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def machine() -> dict[str, Any]:
    """Where a result was measured: cores, processor, Python, and the load at the start."""
    return {
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def figure(
    name: str, value: float, baseline: float, *, unit: str, baseline_name: str, target: float | None = None
) -> dict[str, Any]:
    """One published figure: a measured value, its baseline from the same run, their ratio, and the
    target ratio (at most) it is held to, if any."""
    measured_ratio = ratio(value, baseline)
    return {
        "figure": name,
        "value": round(value, 3),
        "baseline": baseline_name,
        "baseline_value": round(baseline, 3),
        "unit": unit,
        "ratio": measured_ratio,
        "target": target,
        "met": None if target is None or measured_ratio is None else measured_ratio <= target,
    }


def record(name: str, figures: Sequence[Mapping[str, Any]], **details: Any) -> Path:
    """Write ``bench/results/<name>.json``: the figures, where and when they were measured, and details."""
    return write_result(
        name,
        {
            "benchmark": name,
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": machine(),
            "figures": list(figures),
            **details,
        },
    )
