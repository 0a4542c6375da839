"""Schemathesis against the OpenAPI document, as each role: no answer is a server error (5xx),
and every answer conforms to the document (status code, content type, headers, body schema).

Hypothesis generates valid (positive) and invalid (negative) requests for every operation,
sent through the WSGI application in the test process (no network, no server). Cases and
requests of two organisations exist, so that lists have content and small generated ids can
meet real objects; each example is rolled back, so every example starts from the same data.

Two profiles, chosen by ``CYBERSPEX_FUZZ_PROFILE``:
- ``fast`` (default, in ``make test``): a few examples per operation, role and mode, derandomized
  (the same examples on every run);
- ``soak`` (``make soak``): many more examples and every role, still derandomized unless
  ``CYBERSPEX_FUZZ_SEED`` gives a seed (then the examples follow from that seed).
``CYBERSPEX_FUZZ_EXAMPLES`` overrides the number of examples of either profile.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import Failure

from cyberspex.web.accounts.models import Role
from cyberspex.web.wsgi import application
from tests.web.conftest import Api, Org
from tests.web.helpers import make_case, make_request, move


@dataclass(frozen=True)
class Profile:
    examples: int  # per operation, role and generation mode
    roles: tuple[Role, ...]


PROFILES = {
    "fast": Profile(examples=4, roles=(Role.PROSECUTOR, Role.INVESTIGATOR, Role.AUDITOR, Role.RESPONDER)),
    "soak": Profile(examples=100, roles=tuple(Role)),
}
PROFILE_NAME = os.environ.get("CYBERSPEX_FUZZ_PROFILE", "fast")
PROFILE = PROFILES[PROFILE_NAME]
if os.environ.get("CYBERSPEX_FUZZ_EXAMPLES"):  # e.g. a longer run of one profile's roles
    PROFILE = Profile(examples=int(os.environ["CYBERSPEX_FUZZ_EXAMPLES"]), roles=PROFILE.roles)
SEED = os.environ.get("CYBERSPEX_FUZZ_SEED")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Answers that do not conform yet, each (operation, schemathesis failure code, status) -> why.
# Empty since the API answers every error with {message, field, extra} and the document lists
# 400/401/403/404/409/413/415/422; a failure listed here would not stop the search, so it
# would hide no other failure of the same operation.
KNOWN: dict[tuple[str, str, int], str] = {}
UNSATISFIABLE: set[str] = set()  # operations with no invalid request to generate (negative mode)


def _settings() -> Callable[[Callable[..., None]], Callable[..., None]]:
    return settings(
        max_examples=PROFILE.examples,
        derandomize=SEED is None,
        database=None,  # no example replayed from an earlier run: the run is the same everywhere
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )


def _organisations(fr: Org, de: Org) -> None:
    """Cases and requests of two organisations, so generated ids meet real objects."""
    for org, provider_state in ((fr, "DE"), (de, "FR")):
        prosecutor = org[Role.PROSECUTOR]
        case = make_case(prosecutor, f"{org.organisation.country}-2026-1")
        make_request(prosecutor, case, recipient_state=provider_state)
        move(prosecutor, make_request(prosecutor, case, recipient_state=provider_state), "issued")


def _failures(error: BaseException) -> list[Failure]:
    if isinstance(error, BaseExceptionGroup):
        return [found for inner in error.exceptions for found in _failures(inner)]
    return [error] if isinstance(error, Failure) else []


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> str | None:
    """Fuzz one operation; the first unknown failure, shrunk, with the request that caused it."""
    failure: list[str] = []

    @_settings()
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: Any) -> None:
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers=headers)
        finally:  # each example starts from the same data; a database error does not spill into the next
            transaction.savepoint_rollback(savepoint)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, BaseExceptionGroup) as error:
            found = _failures(error)
            unknown = [f for f in found if (operation.label, f.code, response.status_code) not in KNOWN]
            unknown = unknown if found else [error]
            if unknown:
                titles = "; ".join(f"{getattr(f, 'code', '?')} {getattr(f, 'title', f)}" for f in unknown)
                failure[:] = [
                    f"{operation.label} ({mode.value}): {titles}, status {response.status_code}: {response.text[:300]}\n"
                    f"    {case.as_curl_command(headers=headers)}"
                ]
                raise

    if SEED is not None:
        fuzz = seed(int(SEED))(fuzz)
    try:
        fuzz()
    except Unsatisfiable:
        # An operation whose every input is free (no parameter, no body, e.g. a public export)
        # has no invalid request to generate: nothing to send in this mode, not a failure.
        if mode is GenerationMode.NEGATIVE:
            UNSATISFIABLE.add(operation.label)
            return None
        raise
    except (AssertionError, BaseExceptionGroup):  # reported with the request that caused it; the test fails below
        return failure[0] if failure else f"{operation.label} ({mode.value}): failed without a response"
    return None


@pytest.fixture
def _connection_kept() -> Iterator[None]:
    """As Django's test client does: the WSGI application must not close the test's database
    connection (open transaction) between requests; on PostgreSQL an error would otherwise close it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_connection_kept")
@pytest.mark.parametrize("role", PROFILE.roles, ids=lambda role: role.value)
def test_no_generated_request_gets_a_server_error_or_an_answer_the_document_does_not_describe(
    fr: Org, de: Org, provider: Org, api: Api, role: Role
) -> None:
    _organisations(fr, de)
    user: User = (provider if role == Role.RESPONDER else fr)[role]
    headers = {"Authorization": f"Bearer {api.token(user)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            found = _run(operation, mode, headers)
            if found:
                failures.append(found)
    assert not failures, f"{len(failures)} operation(s) failed as {role.value}:\n" + "\n".join(failures)


def test_no_server_error_is_ever_excused() -> None:
    assert all(status < 500 for _, _, status in KNOWN)
