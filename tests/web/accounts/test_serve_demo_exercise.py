"""`serve --demo` starts an instance in exercise mode: its server processes get EXERCISE_MODE=True,
so what-if drafts may be issued there, marked "EXERCISE — not a legal order"."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

from cyberspex.cli.main import main


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
