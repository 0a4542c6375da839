"""API basics: health, public routes equal to the command line, error bodies, OpenAPI, authentication."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from cyberspex.cli.main import main
from cyberspex.web.accounts.models import ApiToken, Role
from tests.web.conftest import Api, Org
from tests.web.helpers import CASE_FIELDS, HEALTHY, JUSTIFICATION, NOW, REVIEW, make_case

ERROR_KEYS = {"message", "field", "extra"}


def test_it_answers_the_health_check_with_json(db: None, client: Client) -> None:  # noqa: ARG001  # it queries the database
    response = client.get("/healthz")
    assert (response.status_code, response["Content-Type"], response.json()) == (
        200,
        "application/json",
        HEALTHY,
    )


ROUTE_QUERIES = [
    {"issuing": "FR", "provider_state": "DE", "data": "subscriber", "as_of": "2026-11-28"},
    {"issuing": "FR", "provider_state": "US", "data": "subscriber", "as_of": "2026-11-28", "assume_in_force": "true"},
    {"issuing": "DE", "provider_state": "JP", "data": "traffic", "as_of": "2026-11-28", "assume_ratified": "DE"},
    {"issuing": "FR", "provider_state": "US", "data": "subscriber", "assume_ratified": "all-signatories", "as_of": "2027-06-01"},
    {"issuing": "ES", "provider_state": "US", "data": "content", "emergency": "life", "as_of": "2026-11-28"},
    {"issuing": "BE", "provider_state": "NL", "data": "content", "measure": "preservation", "as_of": "2026-11-28"},
    {"issuing": "FR", "provider_state": "US", "data": "domain_registration", "entity": "registrar", "as_of": "2026-11-28"},
    {"issuing": "fr", "provider_state": "de", "data": "identification"},  # lower case; today's date (the clock is stopped)
]


def _argv(query: dict[str, str]) -> list[str]:
    argv = ["route", "--json"]
    for name, value in query.items():
        option = "--" + name.replace("_", "-")
        argv += [option] if value == "true" else [option, value]
    return argv


@pytest.mark.django_db  # the reference data in use includes the published curation changes (knowledge/reference.py)
@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("query", ROUTE_QUERIES, ids=lambda q: "-".join(q.values()))
def test_it_answers_the_public_route_query_exactly_as_the_command_line(
    client: Client, capsys: pytest.CaptureFixture[str], query: dict[str, str]
) -> None:
    response = client.get("/api/v1/routes", query)
    assert main(_argv(query)) == 0
    assert response.status_code == 200
    assert response.json() == json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"issuing": "FR", "provider_state": "DE"}, 422, "data"),
        ({"issuing": "FR", "provider_state": "DE", "data": "everything"}, 422, "data"),
        ({"issuing": "FR", "provider_state": "DE", "data": "content", "as_of": "2026-13-01"}, 422, "as_of"),
        ({"issuing": "FR", "provider_state": "DE", "data": "content", "measure": "seizure"}, 422, "measure"),
        ({"issuing": "FR", "provider_state": "XX", "data": "content"}, 400, "provider_state"),
        ({"issuing": "FR", "provider_state": "DE", "data": "content", "assume_ratified": "??"}, 400, "assume_ratified"),
    ],
    ids=["no-data", "bad-data", "bad-date", "bad-measure", "unknown-state", "bad-what-if"],
)
@pytest.mark.django_db  # the reference data in use includes the published curation changes
def test_it_explains_a_bad_route_query_in_the_error_body(
    client: Client, query: dict[str, str], status: int, field: str | None
) -> None:
    response = client.get("/api/v1/routes", query)
    body = response.json()
    assert (response.status_code, set(body), body["field"]) == (status, ERROR_KEYS, field)
    assert body["message"]
    assert isinstance(body["extra"], dict)


# The public operations (no token): public law and published reference data, no personal data.
PUBLIC_PATHS = {
    "/api/v1/routes",
    "/api/v1/treaties",
    "/api/v1/what-if",
    "/api/v1/providers",
    "/api/v1/implementation",
    "/api/v1/indicators",
    "/api/v1/curation/versions",
    "/api/v1/curation/export",
    "/api/v1/registers",
    "/api/v1/registers/{register_id}",
    "/api/v1/states/{code}",
}


def test_it_lists_every_endpoint_in_the_openapi_document(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operations = {(path, method) for path, methods in spec["paths"].items() for method in methods}
    assert operations == {
        ("/api/v1/routes", "get"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens/{token_id}", "delete"),
        ("/api/v1/cases", "get"),
        ("/api/v1/cases", "post"),
        ("/api/v1/cases/{case_id}", "get"),
        ("/api/v1/cases/{case_id}/requests", "post"),
        ("/api/v1/requests/{request_id}", "get"),
        ("/api/v1/requests/{request_id}", "patch"),
        ("/api/v1/requests/{request_id}/transitions", "post"),
        ("/api/v1/requests/{request_id}/packages/{package}", "get"),
        ("/api/v1/deadlines", "get"),
        ("/api/v1/deadlines/{deadline_id}/done", "post"),
        ("/api/v1/audit", "get"),
        ("/api/v1/requests/{request_id}/follow-up", "post"),
        ("/api/v1/requests/{request_id}/service", "post"),
        ("/api/v1/requests/{request_id}/validation", "post"),
        ("/api/v1/cases/{case_id}", "patch"),
        ("/api/v1/cases/{case_id}/attachments", "get"),
        ("/api/v1/cases/{case_id}/attachments", "post"),
        ("/api/v1/cases/{case_id}/attachments/{attachment_id}", "get"),
        ("/api/v1/cases/{case_id}/attachments/{attachment_id}", "delete"),
        ("/api/v1/search", "get"),
        ("/api/v1/directory", "get"),
        ("/api/v1/inbox", "get"),
        ("/api/v1/inbox/{delivery_id}", "get"),
        ("/api/v1/inbox/{delivery_id}/document", "get"),
        ("/api/v1/inbox/{delivery_id}/answer", "get"),
        ("/api/v1/inbox/{delivery_id}/answers", "post"),
        ("/api/v1/inbox/{delivery_id}/files/{file_id}", "get"),
        ("/api/v1/inbox/{delivery_id}/messages", "post"),
        ("/api/v1/inbox/{delivery_id}/receipts", "post"),
        ("/api/v1/requests/{request_id}/answers", "get"),
        ("/api/v1/requests/{request_id}/answers/{delivery_id}/files/{file_id}", "get"),
        ("/api/v1/inbox/{delivery_id}/emergency-check", "post"),
        ("/api/v1/inbox/{delivery_id}/hand-off", "post"),
        ("/api/v1/oral-requests", "get"),
        ("/api/v1/oral-requests", "post"),
        ("/api/v1/oral-requests/{oral_request_id}/confirmation", "post"),
        ("/api/v1/requests/{request_id}/escalations", "post"),
        ("/api/v1/inbox/{delivery_id}/decisions", "get"),
        ("/api/v1/inbox/{delivery_id}/decisions", "post"),
        ("/api/v1/statistics", "get"),
        ("/api/v1/providers", "get"),
        ("/api/v1/implementation", "get"),
        ("/api/v1/indicators", "get"),
        ("/api/v1/curation/changes", "post"),
        ("/api/v1/curation/changes", "get"),
        ("/api/v1/curation/changes/{change_id}", "get"),
        ("/api/v1/curation/changes/{change_id}/publish", "post"),
        ("/api/v1/curation/changes/{change_id}/reject", "post"),
        ("/api/v1/curation/versions", "get"),
        ("/api/v1/curation/imports", "post"),
        ("/api/v1/curation/export", "get"),
        ("/api/v1/inbox/{delivery_id}/completeness", "post"),
        ("/api/v1/inbox/{delivery_id}/execution", "post"),
        ("/api/v1/inbox/{delivery_id}/pass-back", "post"),
        ("/api/v1/inbox/{delivery_id}/service", "post"),
        ("/api/v1/requested-party/checklist", "get"),
        ("/api/v1/treaties", "get"),
        ("/api/v1/requests/{request_id}/supplement", "post"),
        ("/api/v1/exercises", "get"),
        ("/api/v1/exercises/{exercise_id}/attempts", "post"),
        ("/api/v1/what-if", "get"),
        ("/api/v1/registers", "get"),
        ("/api/v1/registers/{register_id}", "get"),
        ("/api/v1/states/{code}", "get"),
    }
    protected = {path for path, methods in spec["paths"].items() for op in methods.values() if op.get("security")}
    assert protected == {path for path, _ in operations} - PUBLIC_PATHS
    assert spec["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"},
        "SessionAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"},  # token creation only
        "VerifiedSession": {"type": "apiKey", "in": "cookie", "name": "sessionid"},  # listing and revoking tokens
    }


PROTECTED: list[tuple[str, str, dict[str, Any] | None]] = [
    ("get", "/cases", None),
    ("post", "/cases", {"reference": "R", "title": "T", "retention_review_date": "2027-01-01"}),
    ("get", "/cases/1", None),
    ("post", "/cases/1/requests", {"form_id": "eu-epoc", "data": {}}),
    ("get", "/requests/1", None),
    ("post", "/requests/1/transitions", {"state": "issued"}),
    ("get", "/requests/1/packages/full", None),
    ("get", "/deadlines", None),
]
BAD_CREDENTIALS = {
    "none": {},
    "unknown-token": {"Authorization": "Bearer not-a-token"},
    "not-bearer": {"Authorization": "Basic dXNlcjpwYXNz"},
    "empty-bearer": {"Authorization": "Bearer "},
}


def _call(api: Api, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]) -> Any:
    if method == "get":
        return api.get(path, headers=headers)
    return api.post(path, body or {}, headers=headers)


@pytest.mark.parametrize("credentials", BAD_CREDENTIALS)
@pytest.mark.parametrize(("method", "path", "body"), PROTECTED, ids=[f"{m}-{p}" for m, p, _ in PROTECTED])
def test_it_answers_401_with_an_error_body_without_a_valid_token(
    api: Api, method: str, path: str, body: dict[str, Any] | None, credentials: str
) -> None:
    response = _call(api, method, path, body, BAD_CREDENTIALS[credentials])
    assert response.status_code == 401
    assert response.json() == {
        "message": "authentication required: send 'Authorization: Bearer <token>'",
        "field": None,
        "extra": {},
    }


def test_it_refuses_a_revoked_token_and_the_token_of_a_deactivated_user(fr: Org, api: Api) -> None:
    prosecutor, investigator = fr[Role.PROSECUTOR], fr[Role.INVESTIGATOR]
    assert api.get("/cases", prosecutor).status_code == 200
    assert api.get("/cases", investigator).status_code == 200
    ApiToken.objects.filter(user=prosecutor).update(revoked_at=NOW)
    investigator.is_active = False
    investigator.save()
    assert api.get("/cases", prosecutor).status_code == 401
    assert api.get("/cases", investigator).status_code == 401


def test_it_keeps_only_the_digest_of_a_token(fr: Org, api: Api) -> None:
    token = api.token(fr[Role.PROSECUTOR])
    stored = ApiToken.objects.get(user=fr[Role.PROSECUTOR])
    assert token not in {stored.digest, stored.name}
    assert len(stored.digest) == 64


def test_it_opens_a_case_through_the_api_and_answers_409_for_its_reference_again(fr: Org, api: Api) -> None:
    body = {**CASE_FIELDS, "reference": "PAR-2026-00412", "retention_review_date": REVIEW.isoformat()}
    created = api.post("/cases", body, fr[Role.INVESTIGATOR])
    assert created.status_code == 201
    assert created.json() == {
        "id": created.json()["id"],
        "reference": "PAR-2026-00412",
        "title": CASE_FIELDS["title"],
        "classification": "restricted",
        "retention_review_date": REVIEW.isoformat(),
    }
    again = api.post("/cases", body, fr[Role.PROSECUTOR])
    assert (again.status_code, again.json()["field"]) == (409, "reference")


def test_it_opens_a_case_posted_with_only_the_required_fields(fr: Org, api: Api) -> None:
    body = {"reference": "PAR-2026-00413", "title": "Minimal", "retention_review_date": REVIEW.isoformat()}
    assert api.post("/cases", body, fr[Role.INVESTIGATOR]).status_code == 201


@pytest.mark.parametrize("how", ["query", "header"])
def test_it_takes_the_justification_from_the_query_or_the_header(fr: Org, api: Api, how: str) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    if how == "query":
        response = api.get(f"/cases/{case.pk}", fr[Role.PROSECUTOR], justification=JUSTIFICATION)
    else:
        response = api.get(f"/cases/{case.pk}", fr[Role.PROSECUTOR], headers={"X-Justification": JUSTIFICATION})
    assert response.status_code == 200
    assert response.json()["persons"] == CASE_FIELDS["persons"]


def test_it_answers_422_naming_the_justification_when_there_is_none(fr: Org, api: Api) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    response = api.get(f"/cases/{case.pk}", fr[Role.PROSECUTOR])
    assert (response.status_code, response.json()["field"]) == (422, "justification")


def test_it_reports_an_invalid_body_as_422_naming_the_field(fr: Org, api: Api) -> None:
    body = {"reference": "R", "title": "T", "retention_review_date": "someday"}
    response = api.post("/cases", body, fr[Role.PROSECUTOR])
    # the path into the body, as the services name fields (reference, identifiers.0.value)
    assert (response.status_code, response.json()["field"]) == (422, "retention_review_date")
    assert response.json()["extra"]["errors"]
