"""``cyberspex serve`` as deployed: no ``Server`` header, one control socket per instance, and
a one-line error for an address it cannot listen on."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

from cyberspex.cli.common import Parser
from cyberspex.cli.web import gunicorn_command, serve_arguments
from cyberspex.web import gunicorn_conf
from tests.reliability.serving import free_port, running_server

CHAIN_KEY = "serve-tests-audit-chain-key-0123456789"  # production refuses to serve without one

GUNICORNC = Path(sys.executable).with_name("gunicornc")


def raw_response(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def header_names(response: bytes) -> set[str]:
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    return {line.split(":", 1)[0].strip().lower() for line in head}


def arbiter_pid(control_socket: Path) -> int:
    shown = subprocess.run(
        [GUNICORNC, "-s", str(control_socket), "-c", "show all", "-j"], capture_output=True, text=True, check=True
    )
    return int(json.loads(shown.stdout)["arbiter"]["pid"])


def test_no_response_names_the_server_software_not_even_gunicorns_own_errors(tmp_path: Path) -> None:
    with running_server(tmp_path / "var", "--workers", "1") as port:
        page = raw_response(port, b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        malformed = raw_response(port, b"NOT HTTP\r\n\r\n")
    assert page.startswith(b"HTTP/1.1 200")
    assert malformed.startswith(b"HTTP/1.1 400")
    assert "server" not in header_names(page)
    assert "server" not in header_names(malformed)
    assert "content-security-policy" in header_names(page)
    assert b"gunicorn" not in page.lower()
    assert b"gunicorn" not in malformed.lower()


def test_two_instances_on_one_host_each_keep_their_own_control_socket(tmp_path: Path) -> None:
    data = tmp_path / "var"
    with running_server(data, "--workers", "1") as first, running_server(data, "--workers", "1") as second:
        sockets = {port: data / f"gunicorn-{port}.ctl" for port in (first, second)}
        pids = {port: arbiter_pid(path) for port, path in sockets.items()}
        # each socket answers for its own arbiter: neither instance took over the other's
        assert pids[first] != pids[second]
        assert all(path.is_socket() for path in sockets.values())


def test_an_instance_refuses_a_control_socket_that_a_running_instance_holds(tmp_path: Path) -> None:
    data = tmp_path / "var"
    with running_server(data, "--workers", "1") as port:
        taken = data / f"gunicorn-{port}.ctl"
        run = subprocess.run(
            [sys.executable, "-m", "cyberspex.cli.main", "serve", "--port", str(free_port()), "--control-socket", str(taken)],
            capture_output=True,
            text=True,
            env={"CYBERSPEX_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "AUDIT_CHAIN_KEY": CHAIN_KEY},
            timeout=120,
            check=False,
        )
        assert arbiter_pid(taken) > 0  # still answering: not taken over
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"cyberspex serve: error: another running instance uses the control socket {str(taken)!r}; "
        "choose another --control-socket"
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--workers", "0"], "invalid --workers 0: expected 1 to 256"),
        (["--threads", "0"], "invalid --threads 0: expected 1 to 256"),
        (["--host", "256.1.1.1"], "cannot listen on 256.1.1.1:"),
    ],
)
def test_serve_refuses_what_it_cannot_run_in_one_line(tmp_path: Path, arguments: list[str], message: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "cyberspex.cli.main", "serve", "--port", str(free_port()), *arguments],
        capture_output=True,
        text=True,
        env={"CYBERSPEX_DATA_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin", "AUDIT_CHAIN_KEY": CHAIN_KEY},
        timeout=120,
        check=False,
    )
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert run.stderr.startswith(f"cyberspex serve: error: {message}")


def test_serve_refuses_a_port_in_use_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "cyberspex.cli.main", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env={"CYBERSPEX_DATA_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin", "AUDIT_CHAIN_KEY": CHAIN_KEY},
            timeout=120,
            check=False,
        )
    assert (run.returncode, run.stderr) == (
        2,
        f"cyberspex serve: error: cannot listen on 127.0.0.1:{port}: Address already in use\n",
    )


def serve_parser() -> Parser:
    parser = Parser()
    serve_arguments(parser)
    return parser


def test_serve_loads_the_application_once_before_forking_its_workers(tmp_path: Path) -> None:
    args = serve_parser().parse_args(["--port", "8123", "--workers", "3"])
    command = gunicorn_command(args, tmp_path / "gunicorn.ctl")
    assert "--preload" in command
    assert command[command.index("--workers") + 1] == "3"


def test_no_database_connection_is_left_open_across_a_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    closed: list[bool] = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    gunicorn_conf.pre_fork(server=None, worker=None)
    assert closed == [True]  # every connection of the master process, before each fork


def test_forked_workers_answer_pages_and_the_collected_static_files_under_hashed_names(tmp_path: Path) -> None:
    with running_server(tmp_path / "var", "--workers", "2") as port:
        pages = [raw_response(port, b"GET /glossary/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n") for _ in range(4)]
        found = re.search(rb'href="(/static/site\.[0-9a-f]{12}\.css)"', pages[0])
        assert found, "the page names its style sheet by a hash of its content"
        stylesheet = raw_response(port, b"GET " + found[1] + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert all(page.startswith(b"HTTP/1.1 200") for page in pages)
    assert stylesheet.startswith(b"HTTP/1.1 200")
    assert b"Cache-Control: max-age=31536000, public, immutable\r\n" in stylesheet
    assert (tmp_path / "var" / "static" / "staticfiles.json").is_file()
