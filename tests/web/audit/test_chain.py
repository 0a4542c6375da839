"""Appending to the hash chain, verifying it, and signed checkpoints of its head."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from cyberspex.web.audit.chain import GENESIS, Verdict, append, checkpoint, verify
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.audit.tampering import build_chain, rehash_from, triggers_off, truncate
from tests.web.helpers import NOW

KEY = "checkpoint key kept outside the database"


@pytest.fixture
def key(settings: Settings) -> str:
    settings.AUDIT_CHECKPOINT_KEY = KEY
    return KEY


def _one(**changes: Any) -> AuditEntry:
    fields = {"at": NOW, "actor": "fr-prosecutor", "organisation": "Parquet de Paris", "event": Event.VIEW, **changes}
    with transaction.atomic():
        return append(**fields)


@pytest.mark.usefixtures("autocommit")
def test_it_refuses_to_append_outside_a_transaction() -> None:
    assert not connection.in_atomic_block
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError, match="transaction"):
        append(at=NOW, actor="fr-prosecutor", organisation="Parquet de Paris", event=Event.VIEW)
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_it_verifies_an_empty_chain_and_a_fresh_one() -> None:
    assert verify() == Verdict(True, 0)
    build_chain(25)
    assert verify() == Verdict(True, 25)


@pytest.mark.django_db
def test_it_numbers_and_links_the_records_from_the_genesis_hash() -> None:
    build_chain(4)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert [e.previous_hash for e in entries] == [GENESIS] + [e.hash for e in entries[:-1]]
    assert len({e.hash for e in entries}) == 4


@pytest.mark.django_db
def test_it_stores_what_it_was_given() -> None:
    entry = _one(object_type="case", object_id=42, justification="hearing", details={"b": [1, "é"], "a": None})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.object_id, stored.justification_text, stored.details, stored.at) == (
        "42",
        "hearing",
        {"a": None, "b": [1, "é"]},
        NOW,
    )
    assert verify().ok


@pytest.mark.django_db
def test_it_verifies_a_record_appended_with_a_time_in_another_time_zone() -> None:
    _one(at=NOW.astimezone(ZoneInfo("Europe/Paris")))
    assert verify().ok


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "texts"), [({}, 0), ({"justification": "hearing"}, 1)], ids=["plain", "with-a-text"])
def test_an_append_costs_a_fixed_few_queries_the_head_and_the_record(changes: dict[str, Any], texts: int) -> None:
    build_chain(3)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        append(at=NOW, actor="fr-prosecutor", organisation="Parquet de Paris", event=Event.VIEW, **changes)
    # The head (on PostgreSQL with the chain's lock, in the same call), the record, its text kept apart.
    assert len(captured.captured_queries) == 2 + texts
    assert verify() == Verdict(True, 4)


@pytest.mark.django_db
def test_an_appended_record_is_the_saved_row() -> None:
    build_chain(2)
    entry = _one(justification="hearing")
    assert (entry.pk, entry._state.adding) == (AuditEntry.objects.get(seq=3).pk, False)
    assert entry.texts.get().text == "hearing"


# -- checkpoints ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("key")
def test_it_signs_a_checkpoint_of_the_head() -> None:
    assert checkpoint()["seq"] == 0
    build_chain(5)
    point = checkpoint()
    head = AuditEntry.objects.get(seq=5)
    assert (point["seq"], point["hash"]) == (5, head.hash)
    assert len(point["signature"]) == 64
    assert verify(point) == Verdict(True, 5)


@pytest.mark.django_db
@pytest.mark.usefixtures("key")
def test_it_still_verifies_against_a_checkpoint_once_the_chain_has_grown() -> None:
    build_chain(5)
    point = checkpoint()
    build_chain(3)
    assert verify(point) == Verdict(True, 8)


@pytest.mark.django_db
@pytest.mark.usefixtures("key")
@pytest.mark.parametrize("keep", [0, 1, 9])
def test_it_detects_a_truncated_tail_only_with_a_checkpoint(keep: int) -> None:
    build_chain(10)
    point = checkpoint()
    with triggers_off():
        truncate(keep)
    assert verify() == Verdict(True, keep)  # the chain that is left is consistent
    verdict = verify(point)
    assert (verdict.ok, verdict.first_bad_seq, verdict.checked) == (False, 10, keep)
    assert "truncated" in verdict.problem


@pytest.mark.django_db
@pytest.mark.usefixtures("key")
def test_it_detects_a_rewritten_tail_only_with_a_checkpoint() -> None:
    """The hashes are not keyed: someone who can write the table can recompute the whole tail."""
    build_chain(10)
    point = checkpoint()
    with triggers_off():
        AuditEntry.objects.filter(seq=4).update(actor="mallory")
        rehash_from(4)
    assert verify().ok
    verdict = verify(point)
    assert (verdict.ok, verdict.first_bad_seq) == (False, 10)
    assert "differs from the checkpoint" in verdict.problem


@pytest.mark.django_db
@pytest.mark.usefixtures("key")
@pytest.mark.parametrize(
    "forgery",
    [
        {"signature": "0" * 64},
        {"signature": ""},
        {"seq": 4},  # the signature of another head
        {"hash": "a" * 64},
    ],
    ids=["zeros", "empty", "other-seq", "other-hash"],
)
def test_it_rejects_a_checkpoint_whose_signature_does_not_match(forgery: dict[str, Any]) -> None:
    build_chain(5)
    point = {**checkpoint(), **forgery}
    verdict = verify(point)
    assert (verdict.ok, verdict.problem) == (False, "the checkpoint's signature is not valid")


@pytest.mark.django_db
def test_it_rejects_a_checkpoint_signed_with_another_key_after_a_truncation(settings: Settings) -> None:
    build_chain(6)
    with triggers_off():
        truncate(3)
    settings.AUDIT_CHECKPOINT_KEY = "the attacker's guess"
    forged = checkpoint()  # a checkpoint of the truncated head
    settings.AUDIT_CHECKPOINT_KEY = KEY
    assert verify(forged).problem == "the checkpoint's signature is not valid"


@pytest.mark.django_db
def test_it_refuses_to_sign_or_check_a_checkpoint_without_a_key(settings: Settings) -> None:
    settings.AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(RuntimeError, match="AUDIT_CHECKPOINT_KEY"):
        checkpoint()
    with pytest.raises(RuntimeError, match="AUDIT_CHECKPOINT_KEY"):
        verify({"seq": 0, "hash": GENESIS, "signature": ""})


@pytest.mark.django_db
def test_it_records_the_time_it_is_given_not_the_wall_clock() -> None:
    later = NOW + timedelta(days=400)
    assert AuditEntry.objects.get(pk=_one(at=later).pk).at == later
