"""The worker signs checkpoints of the chain's head into a log kept outside the database.

The latest checkpoint is the validly signed one with the latest signing time: a forged line is
refused, and an old line copied to the end of the log (a replay) does not become the latest.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_django import Settings

from cyberspex.web.audit import checkpoints
from cyberspex.web.audit.chain import AuditKeyError, Verdict, checkpoint, verify
from tests.web.audit import tampering
from tests.web.audit.tampering import build_chain, triggers_off
from tests.web.helpers import NOW

HOUR = 3600


@pytest.fixture
def log_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.AUDIT_CHECKPOINT_KEY = "the checkpoint key, held by the worker and the auditors"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return tmp_path / "checkpoints"


def _lines(log_dir: Path) -> list[str]:
    return (log_dir / checkpoints.LOG_NAME).read_text(encoding="utf-8").splitlines()


@pytest.mark.django_db
def test_the_log_is_empty_until_the_first_checkpoint(log_dir: Path) -> None:
    assert checkpoints.read() == checkpoints.Log(None)
    assert not log_dir.exists()


@pytest.mark.django_db
def test_a_recorded_checkpoint_is_signed_with_its_time_and_is_the_latest(log_dir: Path) -> None:
    build_chain(4)
    point = checkpoints.record(at=NOW)
    assert (point["seq"], point["at"]) == (4, NOW.isoformat())
    assert checkpoints.read().latest == point
    assert json.loads(_lines(log_dir)[0]) == point
    assert verify(point) == Verdict(True, 4)


@pytest.mark.django_db
@pytest.mark.usefixtures("log_dir")
def test_the_worker_signs_a_new_checkpoint_only_when_the_interval_has_passed_and_the_head_moved() -> None:
    build_chain(2)
    assert checkpoints.record_if_due(now=NOW, interval=HOUR) is not None  # the first one at once
    build_chain(1)
    assert checkpoints.record_if_due(now=NOW + timedelta(minutes=59), interval=HOUR) is None  # too early
    later = checkpoints.record_if_due(now=NOW + timedelta(minutes=61), interval=HOUR)
    assert later is not None
    assert later["seq"] == 3
    assert checkpoints.record_if_due(now=NOW + timedelta(hours=5), interval=HOUR) is None  # nothing new
    assert checkpoints.record_if_due(now=NOW + timedelta(hours=9), interval=0) is None  # switched off


@pytest.mark.django_db
def test_a_replayed_old_checkpoint_does_not_become_the_latest(log_dir: Path) -> None:
    build_chain(2)
    old = checkpoints.record(at=NOW)
    build_chain(3)
    new = checkpoints.record(at=NOW + timedelta(hours=1))
    with (log_dir / checkpoints.LOG_NAME).open("a", encoding="utf-8") as log:
        log.write(json.dumps(old) + "\n")
    assert checkpoints.read().latest == new


@pytest.mark.django_db
def test_a_forged_or_damaged_line_is_refused_and_reported(log_dir: Path, settings: Settings) -> None:
    build_chain(2)
    genuine = checkpoints.record(at=NOW)
    settings.AUDIT_CHECKPOINT_KEY = "someone else's key"
    forged = checkpoint(at=NOW + timedelta(days=1))
    settings.AUDIT_CHECKPOINT_KEY = "the checkpoint key, held by the worker and the auditors"
    with (log_dir / checkpoints.LOG_NAME).open("a", encoding="utf-8") as log:
        log.write(json.dumps(forged) + "\n{not json\n" + json.dumps({"seq": "x", "hash": 1}) + "\n")
    log_read = checkpoints.read()
    assert log_read.latest == genuine
    assert log_read.refused == [
        "line 2: the signature is not valid",
        "line 3: not JSON",
        "line 4: not a checkpoint (seq, hash, at, signature)",
    ]


@pytest.mark.django_db
def test_the_latest_checkpoint_names_a_truncation_that_the_chain_alone_cannot_see(log_dir: Path) -> None:  # noqa: ARG001
    build_chain(8)
    checkpoints.record(at=NOW)
    with triggers_off():
        tampering.truncate(5)
    assert verify().ok
    verdict = verify(checkpoints.read().latest)
    assert (verdict.ok, verdict.first_bad_seq) == (False, 8)


@pytest.mark.django_db
def test_the_time_of_a_checkpoint_is_covered_by_its_signature(log_dir: Path) -> None:  # noqa: ARG001
    point = checkpoints.record(at=NOW)
    moved = {**point, "at": (NOW + timedelta(days=30)).isoformat()}
    assert verify(moved).problem == "the checkpoint's signature is not valid"


@pytest.mark.django_db
def test_reading_the_log_needs_the_checkpoint_key(log_dir: Path, settings: Settings) -> None:  # noqa: ARG001
    checkpoints.record(at=NOW)
    settings.AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(AuditKeyError, match="AUDIT_CHECKPOINT_KEY"):
        checkpoints.read()
