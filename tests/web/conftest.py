"""Shared personas for the web tests.

- ``fr``: an issuing authority in France with one member in every role of ``Role``;
- ``de``: a second, foreign issuing authority in Germany, every role as well;
- ``provider``: a service provider in Ireland, every role as well.

API tokens are made with ``token_create(verified=True)``, as a session that passed the second
factor would. The ``api`` client freezes the clock at ``helpers.NOW`` (the API reads
``timezone.now()``), so deadlines and form dates never depend on the wall clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import translation

from cyberspex.web.accounts.models import Membership, Organisation, OrganisationKind, Role
from cyberspex.web.api.auth import token_create
from tests.web.helpers import NOW


@dataclass
class Org:
    """An organisation and one member per role, e.g. ``fr[Role.PROSECUTOR]``."""

    organisation: Organisation
    members: dict[Role, User] = field(default_factory=dict)

    def __getitem__(self, role: Role) -> User:
        return self.members[role]


def _org(name: str, kind: OrganisationKind, country: str) -> Org:
    organisation = Organisation.objects.create(name=name, kind=kind, country=country)
    prefix = country.lower()
    users = User.objects.bulk_create(
        [User(username=f"{prefix}-{role.value}", email=f"{role.value}@{prefix}.example") for role in Role]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=organisation, role=role) for user, role in zip(users, Role, strict=True)]
    )
    return Org(organisation, dict(zip(Role, users, strict=True)))


@pytest.fixture(autouse=True)
def produced_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Produced files (exchange/answers.py) go to a folder of the test's own, never to ./var."""
    location = tmp_path_factory.mktemp("produced")
    exchange = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(location)}}
    with override_settings(STORAGES={**django_settings.STORAGES, "exchange": exchange}):
        yield location


@pytest.fixture(autouse=True)
def rate_counters() -> None:
    """The per-address counters (web/ratelimit.py) are in the process's cache: each test starts without any."""
    cache.clear()


@pytest.fixture(autouse=True)
def _language_of_the_last_page_does_not_leak() -> Iterator[None]:
    """A page asked in French leaves French active in the thread: each test starts in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def fr(db: None) -> Org:  # noqa: ARG001  # needs the database
    return _org("Parquet de Paris, section J3", OrganisationKind.ISSUING_AUTHORITY, "FR")


@pytest.fixture
def de(db: None) -> Org:  # noqa: ARG001  # needs the database
    return _org("Staatsanwaltschaft Köln, ZAC", OrganisationKind.ISSUING_AUTHORITY, "DE")


@pytest.fixture
def provider(db: None) -> Org:  # noqa: ARG001  # needs the database
    return _org("Example Social Media Ireland Limited", OrganisationKind.PROVIDER, "IE")


@pytest.fixture
def exercise_instance() -> Iterator[None]:
    """An instance in exercise mode (EXERCISE_MODE): drafts made under what-if assumptions, such as
    orders under the Second Additional Protocol assumed in force, may be issued there."""
    with override_settings(EXERCISE_MODE=True):
        yield


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """The wall clock stopped at ``NOW`` for code that reads ``timezone.now()`` (the API)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


class Api:
    """The test client speaking to ``/api/v1/`` with a bearer token per user (made once)."""

    def __init__(self) -> None:
        self.client = Client()
        self._tokens: dict[int, str] = {}

    def token(self, user: User) -> str:
        if user.pk not in self._tokens:
            self._tokens[user.pk] = token_create(user=user, name="tests", verified=True, now=NOW)
        return self._tokens[user.pk]

    def _headers(self, user: User | None, headers: dict[str, str] | None) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {self.token(user)}"} if user is not None else {}
        return {**auth, **(headers or {})}

    def get(self, path: str, user: User | None = None, *, headers: dict[str, str] | None = None, **query: Any) -> Any:
        return self.client.get(f"/api/v1{path}", query, headers=self._headers(user, headers))

    def post(self, path: str, body: dict[str, Any], user: User | None = None, *, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(f"/api/v1{path}", body, content_type="application/json", headers=self._headers(user, headers))


@pytest.fixture
def api(db: None, clock: time_machine.Coordinates) -> Api:  # noqa: ARG001  # the database, the stopped clock
    return Api()
