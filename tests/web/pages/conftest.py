"""Fixtures for the page tests: a browser-like client with the clock stopped at ``NOW``.

Personas (``fr``, ``de``) come from tests/web/conftest.py. Passwords are hashed with MD5 here
only to keep the suite fast (Argon2 costs about 0.2 s per hash); what is tested is the
log-in logic, not the hasher.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tests.web.helpers import JUSTIFICATION, verified_session

PASSWORD = "correct horse battery staple"  # noqa: S105  # test accounts only


@pytest.fixture(autouse=True)
def _fast_hasher() -> Iterator[None]:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def browser(db: None, clock: time_machine.Coordinates) -> Client:  # noqa: ARG001  # the database, the stopped clock
    """A client that, like a browser, keeps cookies; the clock is stopped at ``NOW``."""
    return Client()


def with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def logged_in(client: Client, user: User) -> Client:
    """``client`` logged in as ``user`` with the second factor passed."""
    verified_session(client, user)
    return client


def consult(client: Client, case_id: int, justification: str = JUSTIFICATION) -> Any:
    return client.post(f"/cases/{case_id}/", {"justification": justification})


def case_post(**fields: str) -> dict[str, str]:
    """The new-case form as a browser posts it: one offence, one identifier, one person."""
    management = {
        f"{prefix}-{key}": value
        for prefix in ("offences", "identifiers", "persons")
        for key, value in (("TOTAL_FORMS", "2"), ("INITIAL_FORMS", "0"), ("MIN_NUM_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))
    }
    return {
        **management,
        "reference": "PAR-2026-00501",
        "title": "Phishing against bank customers",
        "classification": "restricted",
        "retention_review_date": "2027-11-28",
        "summary_of_facts": "More than 300 customers received phishing e-mails.",
        "offences-0-description": "Organised fraud by phishing",
        "offences-0-provisions": "Code pénal 313-1",
        "offences-0-max_penalty_years": "10",
        "identifiers-0-kind": "ip_address",
        "identifiers-0-value": "203.0.113.7",
        "identifiers-0-port": "51234",
        "identifiers-0-time": "2026-10-01T12:30",
        "persons-0-name": "John Doe",
        "persons-0-role": "suspect",
        **fields,
    }
