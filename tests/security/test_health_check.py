"""``/healthz`` answers 200 only when the database answers; otherwise 503, with no detail."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.web.helpers import HEALTHY


def test_the_health_check_queries_the_database_and_is_never_cached(db: None, client: Client) -> None:  # noqa: ARG001
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, HEALTHY)
    assert "no-store" in response["Cache-Control"]


def test_a_database_that_does_not_answer_makes_the_health_check_fail_with_503(
    db: None,  # noqa: ARG001
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def refused(*_: Any) -> Any:
        raise OperationalError('connection to server at "10.0.0.9", port 5432 failed: Connection refused')

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refused)
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "unavailable", "database": "unreachable"})
    assert "10.0.0.9" not in response.content.decode()
    assert "the database does not answer (OperationalError)" in caplog.text
