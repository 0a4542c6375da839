"""Tampering with the stored chain is detected, and the first bad record is named.

What "first bad record" means for each kind of tampering:

- edit: the edited record (its content no longer matches its hash);
- delete: the missing record's number;
- insert: a forged record that links correctly to its predecessor cannot be told from a genuine
  one, so the chain breaks at the record after it (whose link no longer holds); a forged record
  with made-up hashes is itself the first bad one;
- reorder: the first of the two places exchanged;
- truncation of the tail: invisible to the chain alone, named by a checkpoint (its record).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from django.db import transaction
from pytest_django import Settings

from cyberspex.web.audit.chain import Verdict, checkpoint, verify
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.audit import tampering
from tests.web.audit.tampering import build_chain, triggers_off
from tests.web.helpers import NOW

LENGTH = 10


@pytest.fixture
def attacker(db: None) -> Iterator[None]:  # noqa: ARG001  # needs the database
    build_chain(LENGTH)
    assert verify().ok
    with triggers_off():
        yield


def _broken(verdict: Verdict, seq: int, problem: str) -> None:
    assert (verdict.ok, verdict.first_bad_seq, verdict.checked) == (False, seq, seq - 1), verdict
    assert problem in verdict.problem


EDITS = {
    "actor": {"actor": "mallory"},
    "organisation": {"organisation": "Another authority"},
    "event": {"event": Event.ERASE},
    "object": {"object_id": "999"},
    "justification": {"justification": "routine check"},
    "details": {"details": {"n": -1}},
    "time": {"at": NOW - timedelta(days=1)},
}


@pytest.mark.usefixtures("attacker")
@pytest.mark.parametrize("field", EDITS)
@pytest.mark.parametrize("seq", [1, 5, LENGTH])
def test_it_names_an_edited_record(field: str, seq: int) -> None:
    tampering.edit(seq, **EDITS[field])
    _broken(verify(), seq, "does not match its hash (edited)")


@pytest.mark.usefixtures("attacker")
@pytest.mark.parametrize("seq", [1, 5, LENGTH - 1])
def test_it_names_the_record_after_one_edited_and_rehashed(seq: int) -> None:
    tampering.edit_and_rehash(seq, actor="mallory")
    _broken(verify(), seq + 1, "link to the previous record is broken")


@pytest.mark.usefixtures("attacker")
@pytest.mark.parametrize("seq", [1, 5, LENGTH - 1])
def test_it_names_a_deleted_record(seq: int) -> None:
    tampering.delete(seq)
    _broken(verify(), seq, f"record {seq} is missing (next is {seq + 1})")


@pytest.mark.usefixtures("attacker")
@pytest.mark.parametrize("seq", [1, 5, LENGTH])
def test_it_names_the_record_after_a_forged_record_that_links_correctly(seq: int) -> None:
    tampering.insert_before(seq)
    assert AuditEntry.objects.count() == LENGTH + 1
    _broken(verify(), seq + 1, "link to the previous record is broken")


@pytest.mark.usefixtures("attacker")
@pytest.mark.parametrize("seq", [1, 5, LENGTH])
def test_it_names_a_forged_record_with_made_up_hashes(seq: int) -> None:
    tampering.insert_before(seq, linked=False)
    _broken(verify(), seq, "link to the previous record is broken")


@pytest.mark.usefixtures("attacker")
@pytest.mark.parametrize(("first", "second"), [(1, 2), (3, 8), (LENGTH - 1, LENGTH), (1, LENGTH)])
def test_it_names_the_first_place_of_two_records_exchanged(first: int, second: int) -> None:
    tampering.swap(first, second)
    _broken(verify(), first, "link to the previous record is broken")


@pytest.mark.usefixtures("attacker")
def test_it_does_not_see_the_last_record_deleted_without_a_checkpoint(settings: Settings) -> None:
    settings.AUDIT_CHECKPOINT_KEY = "key"
    point = checkpoint()
    tampering.delete(LENGTH)
    assert verify() == Verdict(True, LENGTH - 1)
    assert verify(point).first_bad_seq == LENGTH


# -- randomised ---------------------------------------------------------------------------------

CHAIN = 200
TRIALS = 200


def _edit(rng: random.Random, n: int) -> int:
    seq = rng.randint(1, n)
    tampering.edit(seq, **EDITS[rng.choice(sorted(EDITS))])
    return seq


def _delete(rng: random.Random, n: int) -> int:
    seq = rng.randint(1, n - 1)  # removing the last record is a truncation
    tampering.delete(seq)
    return seq


def _insert(rng: random.Random, n: int) -> int:
    seq = rng.randint(1, n)
    linked = rng.random() < 0.5
    tampering.insert_before(seq, linked=linked)
    return seq + 1 if linked else seq


def _reorder(rng: random.Random, n: int) -> int:
    first, second = sorted(rng.sample(range(1, n + 1), 2))
    tampering.swap(first, second)
    return first


def _truncate(rng: random.Random, n: int) -> int:
    tampering.truncate(rng.randint(0, n - 1))
    return n


KINDS: dict[str, Callable[[random.Random, int], int]] = {
    "edit": _edit,
    "delete": _delete,
    "insert": _insert,
    "reorder": _reorder,
    "truncate": _truncate,
}


@pytest.mark.django_db
def test_it_detects_every_random_tampering_and_names_the_first_bad_record(settings: Settings) -> None:
    settings.AUDIT_CHECKPOINT_KEY = "key"
    rng = random.Random(20261128)  # noqa: S311  # reproducible test data, not cryptography
    build_chain(CHAIN)
    point = checkpoint()
    missed = []
    with triggers_off():
        for trial in range(TRIALS):
            kind = rng.choice(sorted(KINDS))
            with transaction.atomic():  # a savepoint: each trial starts from the genuine chain
                expected = KINDS[kind](rng, CHAIN)
                verdict = verify(point)
                alone_ok = verify().ok if kind == "truncate" else verdict.ok  # only a checkpoint sees a truncation
                transaction.set_rollback(True)
            if (verdict.ok, verdict.first_bad_seq, alone_ok) != (False, expected, kind == "truncate"):
                missed.append((trial, kind, expected, verdict))
    assert missed == []
    assert verify(point) == Verdict(True, CHAIN)  # every trial was rolled back
