"""The platform answers: health check, public route API, OpenAPI, audit chain on an empty database."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from cyberspex.cli.main import main
from cyberspex.web.audit.chain import verify
from tests.web.helpers import HEALTHY


def test_the_health_check_answers_200_with_json(db: None, client: Client) -> None:  # noqa: ARG001  # it queries the database
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, HEALTHY)


@pytest.mark.django_db  # the reference data in use includes the published curation changes
def test_the_public_route_api_returns_what_the_command_line_returns(client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    query = {"issuing": "FR", "provider_state": "JP", "data": "traffic", "as_of": "2026-11-28"}
    response = client.get("/api/v1/routes", query)
    main(["route", "--issuing", "FR", "--provider-state", "JP", "--data", "traffic", "--as-of", "2026-11-28", "--json"])
    assert response.status_code == 200
    assert response.json() == json.loads(capsys.readouterr().out)


def test_the_openapi_document_lists_the_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/routes",
        "/api/v1/cases",
        "/api/v1/cases/{case_id}/requests",
        "/api/v1/requests/{request_id}/transitions",
    } <= set(paths)


@pytest.mark.django_db
def test_an_empty_audit_trail_verifies() -> None:
    assert verify().ok


@pytest.mark.django_db  # the reference data in use includes the published curation changes
def test_a_bad_route_query_names_the_query_parameter_not_the_command_line_option(client: Client) -> None:
    response = client.get("/api/v1/routes", {"issuing": "XX", "provider_state": "US", "data": "subscriber"})
    body = response.json()
    assert (response.status_code, body["field"]) == (400, "issuing")
    assert body["message"].startswith("unknown State code 'XX' for issuing")
    assert "--" not in body["message"]
