"""The route API takes the kind of emergency (``emergency=life|infrastructure``) and answers
a bad value with 422 and an error body naming the query parameter."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from cyberspex.cli.main import main

# The reference data in use includes the published curation changes (knowledge/reference.py).
pytestmark = pytest.mark.django_db

QUERY = {"issuing": "FR", "provider_state": "US", "data": "subscriber", "as_of": "2026-11-28"}


@pytest.mark.parametrize("kind", ["life", "infrastructure"])
def test_the_kind_of_emergency_gives_the_same_answer_as_the_command_line(
    client: Client, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    response = client.get("/api/v1/routes", {**QUERY, "emergency": kind})
    argv = ["route", "--json", "--issuing", "FR", "--provider-state", "US", "--data", "subscriber", "--as-of", "2026-11-28"]
    assert main([*argv, "--emergency", kind]) == 0
    assert response.status_code == 200
    body = response.json()
    assert body == json.loads(capsys.readouterr().out)
    assert body["scenario"]["emergency_kind"] == kind
    assert body["emergency_first_steps"][0]["channel"] == "24/7 network"


@pytest.mark.parametrize("value", ["true", "yes", "LIFE", ""])
def test_a_bad_kind_of_emergency_is_a_422_naming_the_parameter(client: Client, value: str) -> None:
    response = client.get("/api/v1/routes", {**QUERY, "emergency": value})
    body = response.json()
    assert (response.status_code, set(body), body["field"]) == (422, {"message", "field", "extra"}, "emergency")
    assert "life" in body["message"]
    assert "infrastructure" in body["message"]
