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


class Served:
    """``cyberspex serve --host 127.0.0.1 --port PORT *args`` with its own SQLite database in
    ``data_dir`` (and ``extra_env`` in its environment), in a process group of its own so that
    it can be stopped, or killed with SIGKILL mid-flight, and started again on the same port."""

    def __init__(self, data_dir: Path, *args: str, port: int | None = None, extra_env: Mapping[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        env.update(extra_env or {})
        env["CYBERSPEX_DATA_DIR"] = str(data_dir)
        env.setdefault("AUDIT_CHAIN_KEY", "serving-tests-audit-chain-key-0123456789")  # production needs one
        self.env = env
        self.command = [sys.executable, "-m", "cyberspex.cli.main", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.command += args
        self.log_path = data_dir.parent / f"serve-{self.port}.log"
        self.server: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and return once ``/healthz`` answers."""
        with self.log_path.open("ab") as log:
            self.server = subprocess.Popen(
                self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if self.server.poll() is not None:
                raise AssertionError(f"the server stopped: {self.log_path.read_text()[-2000:]}")
            try:
                if get(self.port, "/healthz", timeout=2).status == 200:
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def kill(self) -> None:
        """SIGKILL to the whole server (master and workers), as a crash would."""
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(timeout=10)

    def stop(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def running_server(
    data_dir: Path, *args: str, port: int | None = None, extra_env: Mapping[str, str] | None = None
) -> Iterator[int]:
    """A :class:`Served` server started; yields its port once ``/healthz`` answers; stops it afterwards."""
    served = Served(data_dir, *args, port=port, extra_env=extra_env)
    try:
        served.start()
        yield served.port
    finally:
        served.stop()
