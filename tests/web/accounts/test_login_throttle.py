"""Log-in throttling: per account, per client address and for the whole service; unknown names
counted rather than audited one by one; passwords hashed outside any transaction; parallel
attempts on PostgreSQL check no more passwords than the lockout allows."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, RequestFactory, override_settings

from cyberspex.web.accounts.models import LoginFailure, LoginRefusalCount
from cyberspex.web.accounts.services import login_attempt
from cyberspex.web.accounts.throttle import Refusal, client_address, count_refusal
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.errors import ApplicationError
from tests.web.concurrency import at_once, committed, parallel
from tests.web.helpers import NOW

__all__ = ["committed", "parallel"]  # the fixtures, used by name

PASSWORD = "correct horse battery staple"  # noqa: S105  # test account only
MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Checks:
    """Every password the hasher checks, and whether a transaction was open meanwhile."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.in_transaction: list[bool] = []
        self._lock = threading.Lock()

    def verify(self, hasher: MD5PasswordHasher, password: str, encoded: str) -> bool:
        with self._lock:
            self.in_transaction.append(transaction.get_connection().in_atomic_block)
        time.sleep(self.delay)  # as slow as a real hash, so that parallel attempts overlap
        return bool(ORIGINAL_VERIFY(hasher, password, encoded))


ORIGINAL_VERIFY = MD5PasswordHasher.verify


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[Checks]:
    found = Checks()

    def verify(hasher: MD5PasswordHasher, password: str, encoded: str) -> bool:
        return found.verify(hasher, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", verify)
    with override_settings(PASSWORD_HASHERS=MD5):
        yield found


@pytest.fixture
def alice(db: None) -> User:  # noqa: ARG001  # needs the database
    with override_settings(PASSWORD_HASHERS=MD5):
        return User.objects.create_user("alice", password=PASSWORD)


def _attempt(username: str, password: str, address: str, seconds: float = 0) -> int:
    """The HTTP status a log-in attempt gets (200 for success)."""
    try:
        login_attempt(username=username, password=password, address=address, now=NOW + timedelta(seconds=seconds))
    except ApplicationError as error:
        return error.status
    return 200


# -- per client address and for the whole service ---------------------------------------


@pytest.mark.usefixtures("checks")
def test_a_spray_from_one_address_is_stopped_there_and_other_addresses_still_log_in(alice: User) -> None:
    spray = [_attempt(f"nobody-{n}", "guess", "198.51.100.9") for n in range(20)]
    assert spray == [400] * 20
    assert _attempt("nobody-20", "guess", "198.51.100.9") == 429
    assert _attempt(alice.username, PASSWORD, "198.51.100.9") == 429  # throttled: the password is not checked
    assert _attempt(alice.username, PASSWORD, "203.0.113.5") == 200
    assert _attempt(alice.username, PASSWORD, "198.51.100.9", seconds=61) == 200  # the window has passed


@override_settings(LOGIN_SERVICE_ATTEMPTS=30)
def test_a_spray_from_many_addresses_is_stopped_for_the_whole_service(alice: User, checks: Checks) -> None:
    spray = [_attempt(f"nobody-{n}", "guess", f"198.51.100.{n}") for n in range(30)]
    assert spray == [400] * 30
    assert _attempt("nobody-31", "guess", "198.51.100.200") == 429
    assert _attempt(alice.username, PASSWORD, "203.0.113.5") == 429
    assert len(checks.in_transaction) == 0  # the spray's unknown names are hashed, not verified; alice's was never checked
    assert _attempt(alice.username, PASSWORD, "203.0.113.5", seconds=61) == 200


@pytest.mark.usefixtures("checks")
def test_a_right_password_gives_back_its_slot(alice: User) -> None:
    assert [_attempt(alice.username, PASSWORD, "198.51.100.9") for _ in range(25)] == [200] * 25
    assert not LoginFailure.objects.exists()


# -- what is audited ----------------------------------------------------------------------


@pytest.mark.usefixtures("checks")
def test_a_spray_against_unknown_names_writes_one_summary_per_window_not_one_record_per_attempt(alice: User) -> None:
    statuses = [_attempt(f"nobody-{n}", "guess", f"198.51.100.{n % 3}") for n in range(24)]  # 8 per address
    assert statuses == [400] * 24
    assert not AuditEntry.objects.exists()
    assert _attempt(alice.username, PASSWORD, "203.0.113.5", seconds=15 * 60) == 200  # after the window has ended

    summary = AuditEntry.objects.get(event=Event.LOGIN_FAILED)
    assert summary.actor == ""
    assert summary.details["summary"] is True
    assert summary.details["counts"] == {"unknown_account": 24}
    assert (summary.details["from"], summary.details["to"]) == ("2026-11-28T09:00:00+00:00", "2026-11-28T09:15:00+00:00")
    assert "nobody-1" not in str(summary.details)  # names typed are not kept: they may be mistyped passwords
    assert [e.event for e in AuditEntry.objects.order_by("seq")] == [Event.LOGIN, Event.LOGIN_FAILED]
    assert verify().ok


@pytest.mark.usefixtures("checks")
def test_wrong_passwords_for_a_real_account_are_still_audited_one_by_one(alice: User) -> None:
    assert [_attempt(alice.username, "guess", "198.51.100.9") for _ in range(6)] == [400] * 5 + [429]
    failed = list(AuditEntry.objects.filter(event=Event.LOGIN_FAILED).order_by("seq"))
    assert [e.actor for e in failed] == [alice.username] * 5
    assert [e.details.get("locked_for_minutes") for e in failed] == [None] * 4 + [15]


# -- hashing outside the write transaction ----------------------------------------------


@pytest.mark.usefixtures("committed")
def test_the_password_is_checked_outside_any_transaction(checks: Checks) -> None:
    with override_settings(PASSWORD_HASHERS=MD5):
        User.objects.create_user("bob", password=PASSWORD)
    assert _attempt("bob", "guess", "198.51.100.9") == 400
    assert _attempt("bob", PASSWORD, "198.51.100.9") == 200
    assert checks.in_transaction == [False, False]


# -- parallel attempts (PostgreSQL) -----------------------------------------------------


@pytest.mark.usefixtures("parallel")
def test_eight_parallel_wrong_passwords_check_no_more_than_five(checks: Checks) -> None:
    with override_settings(PASSWORD_HASHERS=MD5):
        User.objects.create_user("carol", password=PASSWORD)
    checks.delay = 0.2

    statuses = at_once([lambda n=n: _attempt("carol", f"guess-{n}", f"198.51.100.{n}") for n in range(8)])

    assert len(checks.in_transaction) == 5
    assert sorted(statuses) == [400] * 5 + [429] * 3
    assert LoginFailure.objects.filter(username="carol").count() == 5


@pytest.mark.usefixtures("parallel")
def test_parallel_attempts_from_one_address_check_no_more_than_its_limit(checks: Checks) -> None:
    checks.delay = 0.05
    with override_settings(PASSWORD_HASHERS=MD5):
        for n in range(30):
            User.objects.create_user(f"user-{n}", password=PASSWORD)

    statuses = at_once([lambda n=n: _attempt(f"user-{n}", "guess", "198.51.100.9") for n in range(30)])

    assert sorted(statuses) == [400] * 20 + [429] * 10
    assert len(checks.in_transaction) == 20


# -- the client address -----------------------------------------------------------------


def _request(remote: str, forwarded: str | None = None) -> Any:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=remote, **headers)


def test_the_client_address_is_the_peer_unless_the_peer_is_a_trusted_proxy() -> None:
    assert client_address(_request("198.51.100.9", "203.0.113.5")) == "198.51.100.9"  # a forged header is ignored
    with override_settings(TRUSTED_PROXIES=["10.0.0.2"]):
        assert client_address(_request("10.0.0.2", "203.0.113.5")) == "203.0.113.5"
        assert client_address(_request("10.0.0.2", "1.2.3.4, 203.0.113.5")) == "203.0.113.5"  # the left part is the client's
        assert client_address(_request("10.0.0.2", "203.0.113.5, 10.0.0.2")) == "203.0.113.5"
        assert client_address(_request("10.0.0.2", "not an address")) == "10.0.0.2"
        assert client_address(_request("10.0.0.2")) == "10.0.0.2"
        assert client_address(_request("198.51.100.9", "203.0.113.5")) == "198.51.100.9"


@pytest.mark.usefixtures("checks")
def test_the_log_in_page_throttles_by_the_address_the_server_sees(alice: User) -> None:
    browser = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(20):
        browser.post("/accounts/login/", {"username": f"nobody-{n}", "password": "guess"})
    refused = browser.post("/accounts/login/", {"username": alice.username, "password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many failed log-ins from your network" in refused.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.5").post("/accounts/login/", {"username": alice.username, "password": PASSWORD})
    assert other.status_code == 302
    assert LoginRefusalCount.objects.get(reason="address_throttled").count == 1


@pytest.mark.usefixtures("parallel")
def test_refusals_counted_at_the_same_moment_are_all_counted_once() -> None:
    statuses = at_once([lambda: count_refusal(Refusal.UNKNOWN_ACCOUNT, now=NOW)] * 10)
    assert statuses == [None] * 10
    assert list(LoginRefusalCount.objects.values_list("reason", "count")) == [("unknown_account", 10)]
