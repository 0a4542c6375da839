"""Gunicorn configuration of ``cyberspex serve`` (loaded as ``-c python:cyberspex.web.gunicorn_conf``).

The command line of ``serve`` sets the rest (docs/configuration.md, "Production set-up"):
threaded workers (``gthread``) that accept only as many connections as they have threads,
so that a worker busy with slow clients leaves new connections to the others; one control
socket per instance.

Gunicorn writes ``Server: gunicorn`` into every response itself, outside the application's
reach; the line is dropped here, so that the server software is not disclosed.
"""

from __future__ import annotations

from typing import Any

from gunicorn.http import wsgi as _gunicorn_wsgi

_default_headers = _gunicorn_wsgi.Response.default_headers


def _without_server(self: Any) -> list[str]:
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _without_server

worker_class = "cyberspex.web.gunicorn_worker.HeadDeadlineThreadWorker"  # gthread, with a time limit on request heads
keepalive = 0  # a kept-alive idle connection would hold one of the worker's few connection slots

# ``serve`` runs gunicorn with ``--preload``: the application is loaded in this (master) process and
# the workers are forked from it. A database connection must not be shared by two processes, so
# none is left open across a fork (loading opens none; this keeps it so).


def pre_fork(server: Any, worker: Any) -> None:  # noqa: ARG001  # gunicorn's hook signature
    from django.db import connections  # noqa: PLC0415  # Django is loaded by then (--preload)

    connections.close_all()
