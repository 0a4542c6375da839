"""`serve --demo` starts an instance in exercise mode: its server processes get EXERCISE_MODE=True,
so what-if drafts may be issued there, marked "EXERCISE — not a legal order"."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest
from django.test import override_settings

from cyberspex.cli.main import main
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
