"""Slow clients do not stall the service.

| step | what happens                                                                              |
|------|-------------------------------------------------------------------------------------------|
| 1    | ``cyberspex serve`` starts on a free loopback port with its default workers and threads   |
| 2    | 24 clients open connections and send their request headers one byte at a time             |
| 3    | meanwhile an ordinary request for ``/healthz`` must answer within 5 seconds               |

With gunicorn's bare sync workers (2 × cores + 1 processes, one connection each), six such
clients were enough to stall the service. A client that has not sent its whole head within
``--request-head-timeout`` is disconnected, so even more slow clients than threads delay an
ordinary request only until their time is up. Every loop here is bounded; only loopback is used.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

from tests.reliability.serving import get, running_server

SLOW_CLIENTS = 24
BOUND_SECONDS = 5.0
HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 2000 + b"\r\n\r\n"


def trickle(sockets: list[socket.socket], stop: threading.Event, sent: list[int]) -> None:
    """One more byte of the request head on every connection, every 0.2 s, until told to stop."""
    position = 0
    while not stop.is_set() and position < len(HEAD) - 4:  # never the final blank line
        for connection in sockets:
            try:
                connection.sendall(HEAD[position : position + 1])
            except OSError:
                continue
        position += 1
        sent[0] = position
        stop.wait(0.2)


def test_an_ordinary_request_answers_while_24_clients_trickle_their_headers(tmp_path: Path) -> None:
    with running_server(tmp_path / "var") as port:
        sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(SLOW_CLIENTS)]
        stop, sent = threading.Event(), [0]
        trickler = threading.Thread(target=trickle, args=(sockets, stop, sent), daemon=True)
        trickler.start()
        try:
            time.sleep(2.0)  # every slow connection has been accepted and is being read
            started = time.monotonic()
            response = get(port, "/healthz", timeout=BOUND_SECONDS)
            elapsed = time.monotonic() - started
        finally:
            stop.set()
            trickler.join(timeout=5)
            for connection in sockets:
                connection.close()
        print(f"ordinary request answered in {elapsed:.3f} s with {SLOW_CLIENTS} slow clients")
        assert response.status == 200
        assert elapsed < BOUND_SECONDS
        assert sent[0] >= 5, "the slow clients were still sending while the request was answered"


def closed_by_the_server(connection: socket.socket, within: float) -> float | None:
    """Send the request head one byte every 0.1 s; the time at which the server hung up."""
    started = time.monotonic()
    connection.settimeout(0.1)
    for byte in HEAD[:-4]:
        if time.monotonic() - started > within:
            return None
        try:
            connection.sendall(bytes([byte]))
            if connection.recv(1024) == b"":
                return time.monotonic() - started
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
    return None


def test_a_client_that_takes_too_long_over_its_headers_is_disconnected(tmp_path: Path) -> None:
    with running_server(tmp_path / "var", "--workers", "1", "--threads", "2", "--request-head-timeout", "2") as port:
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        try:
            after = closed_by_the_server(connection, within=10)
        finally:
            connection.close()
    assert after is not None
    assert 1.5 < after < 5


def test_more_slow_clients_than_threads_delay_an_ordinary_request_only_until_their_time_is_up(tmp_path: Path) -> None:
    with running_server(tmp_path / "var", "--workers", "1", "--threads", "4", "--request-head-timeout", "2") as port:
        sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(8)]
        stop, sent = threading.Event(), [0]
        trickler = threading.Thread(target=trickle, args=(sockets, stop, sent), daemon=True)
        trickler.start()
        try:
            time.sleep(0.5)
            started = time.monotonic()
            response = get(port, "/healthz", timeout=10)
            elapsed = time.monotonic() - started
        finally:
            stop.set()
            trickler.join(timeout=5)
            for connection in sockets:
                connection.close()
    assert response.status == 200
    assert elapsed < 2 + BOUND_SECONDS
