"""`cyberspex bench-data` seeds a data set for the benchmarks: organisations, cases, requests
in every state with their deadlines, and audit records that extend a valid chain; the measured
organisation keeps a fixed share; bad input and a non-empty database are refused (status 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from cyberspex.cli.main import main
from cyberspex.web.audit.chain import verify
from cyberspex.web.benchdata import MEASURED_ORGANISATION, MEASURED_USER
from cyberspex.web.cases.models import Case, Deadline, Request, State


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CYBERSPEX_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SECRET_KEY", "only-for-these-tests")


@pytest.mark.django_db
def test_it_seeds_requests_in_every_state_with_deadlines_and_a_valid_audit_chain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench-data", "--requests", "60", "--organisations", "3"]) == 0
    assert "seeded 60 requests" in capsys.readouterr().out
    assert Request.objects.count() == Deadline.objects.count() == 60
    assert set(Request.objects.values_list("state", flat=True)) == set(State.values)
    assert not Deadline.objects.filter(done_at__isnull=True, request__state__in=[State.CLOSED, State.ANSWERED]).exists()
    measured = User.objects.get(username=MEASURED_USER)
    assert measured.membership.organisation.name == MEASURED_ORGANISATION
    assert Request.objects.filter(case__organisation=measured.membership.organisation).count() == 6  # its 10%
    verdict = verify()
    assert (verdict.ok, verdict.checked) == (True, 60)


@pytest.mark.django_db
def test_the_measured_organisation_holds_the_share_asked_for() -> None:
    assert main(["bench-data", "--requests", "200", "--organisations", "2", "--measured-share", "0.25"]) == 0
    own = Case.objects.filter(organisation__name=MEASURED_ORGANISATION)
    assert Request.objects.filter(case__in=own).count() == 50
    assert main(["bench-data", "--requests", "40", "--append"]) == 0  # more rows, none of them the measured one's
    assert Request.objects.filter(case__in=own).count() == 50
    assert Request.objects.count() == 240
    assert verify().ok


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--requests", "0"], "--requests must be at least 1"),
        (["--requests", "5", "--organisations", "0"], "--organisations"),
        (["--requests", "5", "--measured-share", "1.5"], "--measured-share"),
    ],
)
def test_it_refuses_a_count_below_one(argv: list[str], complaint: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench-data", *argv]) == 2
    assert complaint in capsys.readouterr().err


@pytest.mark.django_db
def test_it_refuses_a_database_that_holds_cases_unless_appending(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench-data", "--requests", "4"]) == 0
    assert main(["bench-data", "--requests", "4"]) == 2
    assert "already holds cases" in capsys.readouterr().err
    assert Request.objects.count() == 4
