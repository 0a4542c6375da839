"""The first administrator is made with `cyberspex account create-admin`, which prints a
one-time enrolment link; `serve --demo` refuses a database with people who are not demo users."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from cyberspex.cli.main import main
from cyberspex.web.accounts.models import EnrolmentLink, Role
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.conftest import Org

PASSWORD = "a long enough passphrase 2026"  # noqa: S105  # test accounts only


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' data folder and key stay in the test's own folder."""
    monkeypatch.setenv("CYBERSPEX_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SECRET_KEY", "only-for-these-tests")


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_create_admin_makes_an_administrator_and_prints_a_one_time_link(
    password_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["account", "create-admin", "alice", "--organisation", "Parquet de Lyon", "--country", "fr"]
    assert main([*argv, "--password-file", str(password_file)]) == 0
    out = capsys.readouterr().out
    assert "/accounts/enrol/" in out
    alice = User.objects.get(username="alice")
    assert alice.check_password(PASSWORD)
    assert (alice.membership.role, alice.membership.organisation.name, alice.membership.organisation.country) == (
        Role.ADMINISTRATOR,
        "Parquet de Lyon",
        "FR",
    )
    assert EnrolmentLink.objects.get().user == alice
    created = AuditEntry.objects.get(event=Event.CREATE)
    assert (created.actor, created.details["action"]) == ("cyberspex account", "user_created")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "complaint"),
    [
        (["--country", "FRA", "--organisation", "X"], "--country"),
        (["--country", "FR"], "--organisation"),
        (["--country", "FR", "--organisation", "X", "--kind", "bakery"], "--kind"),
    ],
    ids=["bad-country", "no-organisation", "bad-kind"],
)
def test_create_admin_names_a_bad_option_in_one_line(
    password_file: Path, capsys: pytest.CaptureFixture[str], extra: list[str], complaint: str
) -> None:
    assert main(["account", "create-admin", "bob", *extra, "--password-file", str(password_file)]) == 2
    err = capsys.readouterr().err
    assert complaint in err
    assert len(err.strip().splitlines()) == 1
    assert not User.objects.exists()


@pytest.mark.django_db
def test_create_admin_refuses_a_weak_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weak = tmp_path / "weak"
    weak.write_text("12345678", encoding="utf-8")
    argv = ["account", "create-admin", "bob", "--organisation", "X", "--country", "FR", "--password-file", str(weak)]
    assert main(argv) == 2
    assert "too short" in capsys.readouterr().err
    assert not User.objects.exists()


def test_enrolment_link_is_refused_to_someone_who_has_an_authenticator(fr: Org, capsys: pytest.CaptureFixture[str]) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415

    TOTPDevice.objects.create(user=fr[Role.INVESTIGATOR], name="phone", confirmed=True)
    assert main(["account", "enrolment-link", "fr-investigator"]) == 2
    assert "reset it first" in capsys.readouterr().err
    assert main(["account", "enrolment-link", "fr-prosecutor"]) == 0
    assert "/accounts/enrol/" in capsys.readouterr().out
    assert main(["account", "enrolment-link", "nobody"]) == 2


def test_serve_demo_refuses_a_database_with_other_users(
    fr: Org, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[Any] = []
    monkeypatch.setattr(os, "execv", lambda *args: started.append(args))
    assert main(["serve", "--demo", "--port", "8999"]) == 2
    assert "not demo users" in capsys.readouterr().err
    assert started == []
    assert fr[Role.ADMINISTRATOR].membership.role == Role.ADMINISTRATOR
    assert not User.objects.filter(username="investigator").exists()
