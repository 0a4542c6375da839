"""`serve --demo` starts an instance in exercise mode: its server processes get EXERCISE_MODE=True,
so what-if drafts may be issued there, marked "EXERCISE — not a legal order"; and, unless an
address is set, the address of the port it serves (its links, its identity document)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest
from django.test import override_settings

from cyberspex.cli.main import main
from cyberspex.cli.web import served_address
from cyberspex.web.demo import EXCHANGES, USERS


class Started(Exception):  # raised where the server would start: the test stops there
    pass


@pytest.mark.django_db
def test_serve_demo_starts_the_server_in_exercise_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBERSPEX_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SECRET_KEY", "only-for-this-test")
    monkeypatch.delenv("EXERCISE_MODE", raising=False)
    seen: dict[str, str | None] = {}

    def start(*_args: object) -> NoReturn:
        seen["EXERCISE_MODE"] = os.environ.get("EXERCISE_MODE")
        raise Started

    monkeypatch.setattr(os, "execv", start)
    with pytest.raises(Started):
        main(["serve", "--demo", "--port", "8999"])
    assert seen == {"EXERCISE_MODE": "True"}


@pytest.mark.django_db
def test_serve_demo_prints_every_demo_user_with_the_functions_of_its_organisation_and_the_exercises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CYBERSPEX_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SECRET_KEY", "only-for-this-test")

    def start(*_args: object) -> NoReturn:
        raise Started

    monkeypatch.setattr(os, "execv", start)
    with override_settings(EXERCISE_MODE=True), pytest.raises(Started):
        main(["serve", "--demo", "--port", "8999"])
    printed = capsys.readouterr().out
    for user in USERS:
        assert f"  {user.username} " in printed
    assert "provider-de     Provider or registrar responder — Beispiel Mail GmbH (demo) [Service provider]" in printed
    assert "Authority notified of Art 7 orders (CETS 224 Art 7(5)(a))" in printed
    assert f"{len(EXCHANGES)} issued now" in printed
    assert "DEMO-EX-ART7-1" in printed
    assert "not issued" not in printed


def _served_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *argv: str) -> dict[str, str]:
    """The environment `serve` hands to its server processes (it stops where they would start)."""
    monkeypatch.setenv("CYBERSPEX_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SECRET_KEY", "only-for-this-test")
    seen: dict[str, str] = {}

    def start(*_args: object) -> NoReturn:
        seen.update(os.environ)
        raise Started

    monkeypatch.setattr(os, "execv", start)
    with override_settings(EXERCISE_MODE=True), pytest.raises(Started):
        main(["serve", *argv])
    return seen


@pytest.mark.django_db
def test_serve_demo_publishes_the_address_of_the_port_it_serves_in_its_identity_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SITE_ROOT", "SITE_ROOT_FILE", "CYBERSPEX_BASE_URL", "CYBERSPEX_BASE_URL_FILE"):
        monkeypatch.delenv(name, raising=False)
    served = _served_environment(tmp_path, monkeypatch, "--demo", "--port", "8999")
    assert served["SITE_ROOT"] == "http://127.0.0.1:8999"
    # What the served instance publishes: its settings, read from that environment (on its own
    # SQLite database in the data directory, not the server a PostgreSQL test run points at).
    own_database = {name: value for name, value in served.items() if name != "DATABASE_URL"}
    identity = subprocess.run(  # our own interpreter and command
        [sys.executable, "-m", "cyberspex", "instance", "identity"],
        env={**own_database, "DEBUG": "True"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    document = json.loads(identity.stdout)
    payload = json.loads(base64.urlsafe_b64decode(document["payload"] + "=" * (-len(document["payload"]) % 4)))
    assert payload["base_url"] == "http://127.0.0.1:8999"


@pytest.mark.django_db
def test_serve_demo_keeps_an_address_set_explicitly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_ROOT", "https://demo.example")
    assert _served_environment(tmp_path, monkeypatch, "--demo", "--port", "8999")["SITE_ROOT"] == "https://demo.example"


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "http://127.0.0.1:8001"),
        ("0.0.0.0", "http://127.0.0.1:8001"),  # noqa: S104  # every interface: reached on the loopback
        ("::", "http://[::1]:8001"),
        ("::1", "http://[::1]:8001"),
        ("localhost", "http://localhost:8001"),
    ],
)
def test_the_served_address_is_the_one_this_machine_reaches_the_port_at(host: str, address: str) -> None:
    assert served_address(host, 8001) == address
