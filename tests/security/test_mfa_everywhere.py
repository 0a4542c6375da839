"""Every URL of the site and every operation of the API needs a log-in that passed the second
factor, except those listed here as public. The URLs come from Django's URL resolver and the
operations from the OpenAPI document, so a new one is guarded unless it is added to a list.

- A guarded page sends an anonymous visitor to the log-in, and a session that gave only its
  password to the second factor.
- A guarded API operation answers 401 to an anonymous caller and 401 or 403 to a session that
  gave only its password (API tokens are made only by a session that passed the second factor).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cyberspex.web.accounts.models import Role
from cyberspex.web.api.auth import ApiToken
from cyberspex.web.api.middleware import ANSWER_PATH, UPLOAD_PATH
from tests.security.test_access_matrix import api_operations, site_urls
from tests.web.conftest import Org

# Public: no log-in at all. Each with its reason.
PUBLIC = {
    "healthz": "the load balancer's health check",
    "federation:messages": "other instances deliver messages there, authenticated by the envelope's signature only",
    "federation:file_status": "other instances ask which chunks of a file are held, authenticated by a signed header only",
    "federation:file_chunk": "other instances send a file's chunks there, authenticated by a signed header only",
    "set_language": "the language can be chosen before logging in",
    "accounts:login": "the log-in itself",
    "accounts:logout": "logging out",
    "accounts:enrol": "a one-time enrolment link: the link itself is the credential, the password follows",
    "cases:calendar_feed": "a calendar application fetches it with its own secret token",
    "api:openapi-json": "the API's description, no data",
    "api:openapi-view": "the API's documentation page, no data",
    "api:api-root": "answers 404 to everyone",
    "GET /api/v1/routes": "the route advisor on public law, no personal data",
    "GET /api/v1/curation/versions": "the published versions of the public reference data, with no one's name",
    "GET /api/v1/curation/export": "the published reference data (public law and treaty status), no personal data",
    "public:advisor": "the public route advisor: public law, no personal data asked or shown",
    "public:help": "how to use the platform",
    "public:glossary": "the terms, with the provisions they come from",
    "knowledge:treaties": "treaty status from public sources (the knowledge portal), no personal data",
    "GET /api/v1/treaties": "treaty status from public sources as open data, no personal data",
    "knowledge:what_if": "the ratification what-if: public law and treaty status, no personal data",
    "GET /api/v1/what-if": "the ratification what-if as JSON: public law and treaty status, no personal data",
    "knowledge:providers": "the public provider and registrar policy inventory (issue 11)",
    "knowledge:implementation": "the public implementation tracker: reference data only",
    "knowledge:indicators": "the public project indicators: counts only, no personal data",
    "knowledge:indicators_report": "the indicators as a PDF report",
    "GET /api/v1/providers": "the provider policy inventory, public like its page",
    "GET /api/v1/implementation": "the implementation tracker, public like its page",
    "GET /api/v1/indicators": "the project indicators, public like their page",
    "knowledge:registers": "the public registers of designated authorities: reference data, no personal data",
    "knowledge:register": "one public register of designated authorities: reference data and organisation names",
    "knowledge:states": "the public list of States and their treaty status: reference data",
    "knowledge:state": "a public State profile: treaty status, positions, authorities and routes from reference data",
    "GET /api/v1/registers": "the registers as open data: reference data, no personal data",
    "GET /api/v1/registers/{register_id}": "one register as open data (JSON or CSV): reference data",
    "GET /api/v1/states/{code}": "a State profile as open data: reference data, no personal data",
    "cases:dashboard": "a visitor sees the front door; a member the dashboard, after the second factor (tested below)",
}
# A password log-in but not yet the second factor: the second-factor pages themselves.
PASSWORD_ONLY = {"accounts:mfa", "accounts:mfa_enrol", "accounts:mfa_recovery"}

SAMPLE = {"int": "1", "slug": "x", "path": "x", "str": "x", "uuid": "6f1c2b1e-0000-4000-8000-000000000001"}
BODIES = {"POST /api/v1/tokens": '{"name": "integration"}'}  # valid, so that only the second factor is missing


def _sample(route: str) -> str:
    """A path for ``route`` with sample values in its parameters (the guard answers before any lookup)."""
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)
    return "/" + re.sub(r"\{\w+\}", "1", path).lstrip("/")


PAGES = {url.key: _sample(url.route) for url in site_urls()}
OPERATIONS = {key: _sample(path) for key, path in api_operations().items()}
GUARDED_PAGES = {key: path for key, path in PAGES.items() if key not in PUBLIC and key not in PASSWORD_ONLY}
GUARDED_OPERATIONS = {key: path for key, path in OPERATIONS.items() if key not in PUBLIC}


def _call(client: Client, method: str, path: str, body: str = "{}") -> Any:
    if method == "GET":
        return client.get(path)
    if method == "POST" and (UPLOAD_PATH.match(path) or ANSWER_PATH.match(path)):  # files go as multipart/form-data
        return client.post(path, {"file": SimpleUploadedFile("note.txt", b"a note")})
    return client.generic(method, path, data=body, content_type="application/json")


def test_the_lists_name_only_urls_and_operations_that_exist() -> None:
    known = set(PAGES) | set(OPERATIONS)
    assert set(PUBLIC) | PASSWORD_ONLY <= known, sorted((set(PUBLIC) | PASSWORD_ONLY) - known)
    assert len(GUARDED_PAGES) >= 12
    assert len(GUARDED_OPERATIONS) > 10


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("key", sorted(GUARDED_PAGES))
def test_a_guarded_page_sends_an_anonymous_visitor_to_the_log_in(client: Client, key: str, method: str) -> None:
    path = GUARDED_PAGES[key]
    response = _call(client, method, path)
    assert (response.status_code, response.get("Location")) == (302, f"/accounts/login/?next={quote(path)}")


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("key", sorted(GUARDED_PAGES))
def test_a_guarded_page_sends_a_password_only_session_to_the_second_factor(
    client: Client, fr: Org, key: str, method: str
) -> None:
    client.force_login(fr[Role.SUPERVISOR])
    response = _call(client, method, GUARDED_PAGES[key])
    assert (response.status_code, response.get("Location")) == (302, "/accounts/mfa/")


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(GUARDED_OPERATIONS))
def test_a_guarded_operation_answers_401_to_an_anonymous_caller(client: Client, key: str) -> None:
    method = key.split(maxsplit=1)[0]
    response = _call(client, method, GUARDED_OPERATIONS[key])
    assert response.status_code == 401, response.content
    assert set(response.json()) == {"message", "field", "extra"}


@pytest.mark.parametrize("key", sorted(GUARDED_OPERATIONS))
def test_a_guarded_operation_refuses_a_password_only_session(client: Client, fr: Org, key: str) -> None:
    client.force_login(fr[Role.SUPERVISOR])
    response = _call(client, key.split(maxsplit=1)[0], GUARDED_OPERATIONS[key], BODIES.get(key, "{}"))
    assert response.status_code in (401, 403), response.content
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(PUBLIC))
def test_a_public_url_answers_an_anonymous_visitor_without_asking_for_a_log_in(client: Client, key: str) -> None:
    method, path = key.split() if key in OPERATIONS else ("GET", PAGES[key])
    if key == "set_language":
        method = "POST"
    response = _call(client, method, path)
    assert response.status_code not in (401, 403), response.status_code
    assert not response.get("Location", "").startswith(("/accounts/login/", "/accounts/mfa/"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/advisor/x/", "/help/x", "/glossary/x/", "/helpx/", "/advisor"])
def test_only_the_public_pages_themselves_are_public_not_addresses_below_or_beside_them(client: Client, path: str) -> None:
    response = client.get(path)
    assert (response.status_code, response.get("Location")) == (302, f"/accounts/login/?next={quote(path)}")


def test_the_front_door_sends_a_password_only_session_to_the_second_factor(client: Client, fr: Org) -> None:
    client.force_login(fr[Role.SUPERVISOR])
    response = client.get("/")
    assert (response.status_code, response.get("Location")) == (302, "/accounts/mfa/")
