"""Gunicorn's threaded worker with a time limit on reading a request's head.

Gunicorn reads a request line and headers with blocking reads and no overall limit, so a
client that sends them one byte at a time holds a thread for as long as it likes. Here each
connection's socket reads against a deadline, set when a thread takes the connection up and
lifted once the head is parsed (the body is read by the application, under its own limits).
A client that has not sent its whole head by then is disconnected.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from gunicorn.http.errors import NoMoreData
from gunicorn.workers.gthread import ThreadWorker

HEAD_TIMEOUT_VARIABLE = "CYBERSPEX_REQUEST_HEAD_TIMEOUT"
DEFAULT_HEAD_TIMEOUT = 10.0


class _DeadlineSocket:
    """The connection's socket, whose reads fail once ``deadline`` (monotonic) has passed."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.deadline: float | None = None

    def recv(self, size: int, *flags: int) -> bytes:
        if self.deadline is None:
            return self._sock.recv(size, *flags)
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise NoMoreData(b"")
        previous = self._sock.gettimeout()
        self._sock.settimeout(remaining)
        try:
            return self._sock.recv(size, *flags)
        except TimeoutError:
            raise NoMoreData(b"") from None
        finally:
            self._sock.settimeout(previous)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class HeadDeadlineThreadWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn ships no type information
    head_timeout = float(os.environ.get(HEAD_TIMEOUT_VARIABLE, DEFAULT_HEAD_TIMEOUT))

    def enqueue_req(self, conn: Any) -> None:
        if not isinstance(conn.sock, _DeadlineSocket):
            conn.sock = _DeadlineSocket(conn.sock)
        conn.sock.deadline = time.monotonic() + self.head_timeout
        super().enqueue_req(conn)

    def handle_request(self, req: Any, conn: Any) -> Any:
        if isinstance(conn.sock, _DeadlineSocket):
            conn.sock.deadline = None  # the head is read: the application reads the body
        return super().handle_request(req, conn)
