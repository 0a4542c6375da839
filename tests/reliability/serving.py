"""Start ``cyberspex serve`` on a free loopback port, for the tests that need a real server."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

STARTUP_SECONDS = 90  # migrations and worker start on a busy machine


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str, timeout: float) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@contextmanager
def running_server(
    data_dir: Path, *args: str, port: int | None = None, extra_env: Mapping[str, str] | None = None
) -> Iterator[int]:
    """``cyberspex serve --host 127.0.0.1 --port PORT *args`` with its own SQLite database in
    ``data_dir`` (and ``extra_env`` in its environment); yields the port once ``/healthz``
    answers; stops the server afterwards."""
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(extra_env or {})
    env["CYBERSPEX_DATA_DIR"] = str(data_dir)
    env.setdefault("AUDIT_CHAIN_KEY", "serving-tests-audit-chain-key-0123456789")  # production needs one
    command = [sys.executable, "-m", "cyberspex.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    log = (data_dir.parent / f"serve-{port}.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if server.poll() is not None:
                raise AssertionError(f"the server stopped: {(data_dir.parent / f'serve-{port}.log').read_text()[-2000:]}")
            try:
                if get(port, "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
