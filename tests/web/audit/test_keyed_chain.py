"""The chain is sealed with a key kept outside the database (HMAC-SHA256, AUDIT_CHAIN_KEY).

Someone who can write to the database but does not hold the key can no longer append a record,
rewrite the tail or rebuild the whole chain so that it verifies. Records written before a key
was configured stay verifiable as before; the first keyed record binds them (the keyed epoch).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import transaction
from pytest_django import Settings

from cyberspex.web.audit.chain import (
    GENESIS,
    AuditKeyError,
    Verdict,
    _fields,
    append,
    checkpoint,
    entry_hash,
    key_id,
    seal,
    verify,
)
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.audit import tampering
from tests.web.audit.tampering import build_chain, triggers_off
from tests.web.helpers import NOW

KEY = "the chain key, 40 characters, kept apart"
NEW_KEY = "the next chain key after a rotation, kept"
ATTACKER_KEY = "a key the attacker made up, 40 characters"


@pytest.fixture
def keyed(settings: Settings) -> str:
    settings.AUDIT_CHAIN_KEY = KEY
    settings.AUDIT_CHAIN_RETIRED_KEYS = []
    return KEY


def _forge_append(*, key: str | None, key_name: str | None = None, actor: str = "mallory") -> AuditEntry:
    """What someone with write access to the table can do: add a record linked to the head, sealed as they can."""
    last = AuditEntry.objects.order_by("-seq").first()
    forged = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=NOW + timedelta(days=1),
        actor=actor,
        organisation="Parquet de Paris, section J3",
        event=Event.VIEW,
        details={},
        previous_hash=last.hash if last else GENESIS,
        key_id=key_name,
    )
    forged.hash = entry_hash(forged.previous_hash, _fields(forged), key)
    forged.save()  # INSERT is what the application itself may do: the triggers let it through
    return forged


def _rehash_all_from(seq: int, *, key: str | None, key_name: str | None) -> None:
    """Rebuild every seal and link from ``seq`` on, with the attacker's means (triggers off)."""
    previous = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS
    for entry in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        entry.previous_hash, entry.key_id = previous, key_name
        entry.hash = entry_hash(previous, _fields(entry), key)
        entry.save(update_fields=["previous_hash", "hash", "key_id"])
        previous = entry.hash


def _broken(verdict: Verdict, seq: int, problem: str) -> None:
    assert (verdict.ok, verdict.first_bad_seq) == (False, seq), verdict
    assert problem in verdict.problem, verdict


# -- the defect: without a key, an appended record verifies -----------------------------------


@pytest.mark.django_db
def test_without_a_key_a_record_appended_by_someone_with_write_access_verifies_which_is_why_the_chain_is_keyed() -> None:
    build_chain(3)
    _forge_append(key=None)
    assert verify() == Verdict(True, 4)


# -- sealing ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("keyed")
def test_with_a_key_each_record_is_sealed_with_hmac_sha256_and_names_its_key() -> None:
    build_chain(3)
    for entry in AuditEntry.objects.order_by("seq"):
        assert entry.key_id == key_id(KEY)
        assert entry.hash == entry_hash(entry.previous_hash, _fields(entry), KEY)
        assert entry.hash != entry_hash(entry.previous_hash, _fields(entry))  # not the plain SHA-256
    assert verify() == Verdict(True, 3)


def test_the_key_id_is_public_and_does_not_reveal_the_key() -> None:
    assert len(key_id(KEY)) == 16
    assert key_id(KEY) != key_id(NEW_KEY)
    assert key_id(KEY) not in hashlib.sha256(KEY.encode()).hexdigest()


@pytest.mark.django_db
def test_a_short_chain_key_is_refused(settings: Settings) -> None:
    settings.AUDIT_CHAIN_KEY = "too short"
    with pytest.raises(AuditKeyError, match="at least 32 characters"), transaction.atomic():
        append(at=NOW, actor="fr-prosecutor", organisation="Parquet de Paris", event=Event.VIEW)


# -- what an attacker without the key can no longer do ----------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("keyed")
@pytest.mark.parametrize(
    ("seal_key", "seal_name", "problem"),
    [
        (None, None, "not sealed with a key although earlier records are"),
        (ATTACKER_KEY, key_id(KEY), "does not match its hash"),
        (ATTACKER_KEY, key_id(ATTACKER_KEY), "sealed with an unknown key"),
    ],
    ids=["plain-sha256", "wrong-key-claiming-the-right-id", "own-key"],
)
def test_a_record_appended_without_the_key_is_named(seal_key: str | None, seal_name: str | None, problem: str) -> None:
    build_chain(5)
    _forge_append(key=seal_key, key_name=seal_name)
    _broken(verify(), 6, problem)


@pytest.mark.django_db
@pytest.mark.usefixtures("keyed")
def test_a_rewritten_tail_is_detected_without_a_checkpoint() -> None:
    build_chain(10)
    with triggers_off():
        tampering.edit(4, actor="mallory")
        _rehash_all_from(4, key=ATTACKER_KEY, key_name=key_id(KEY))
    _broken(verify(), 4, "does not match its hash (edited)")


@pytest.mark.django_db
@pytest.mark.usefixtures("keyed")
def test_a_chain_rebuilt_entirely_without_the_key_is_detected() -> None:
    """The downgrade: every record re-sealed with plain SHA-256, as if no key had ever been used."""
    build_chain(10)
    with triggers_off():
        tampering.edit(4, actor="mallory")
        _rehash_all_from(1, key=None, key_name=None)
    _broken(verify(), 10, "the last record is not sealed with the current AUDIT_CHAIN_KEY")


@pytest.mark.django_db
@pytest.mark.usefixtures("keyed")
def test_a_truncated_keyed_chain_still_needs_a_checkpoint(settings: Settings) -> None:
    """Cutting the tail off leaves a genuine, keyed chain: only a checkpoint sees it (the worker signs them)."""
    settings.AUDIT_CHECKPOINT_KEY = "checkpoint key"
    build_chain(10)
    point = checkpoint(at=NOW)
    with triggers_off():
        tampering.truncate(6)
    assert verify().ok
    _broken(verify(point), 10, "truncated")


# -- without the key, the application refuses rather than weakens the chain --------------------


@pytest.mark.django_db
def test_a_process_without_the_key_refuses_to_append_to_a_keyed_chain_and_to_verify_it(settings: Settings) -> None:
    settings.AUDIT_CHAIN_KEY = KEY
    build_chain(2)
    settings.AUDIT_CHAIN_KEY = ""
    with pytest.raises(AuditKeyError, match="AUDIT_CHAIN_KEY is not set"), transaction.atomic():
        append(at=NOW, actor="fr-prosecutor", organisation="Parquet de Paris", event=Event.VIEW)
    with pytest.raises(AuditKeyError, match="set AUDIT_CHAIN_KEY"):
        verify()
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db
def test_a_process_with_another_key_refuses_to_append(settings: Settings) -> None:
    settings.AUDIT_CHAIN_KEY = KEY
    build_chain(2)
    settings.AUDIT_CHAIN_KEY = NEW_KEY  # a new key, without the old one listed as retired
    with pytest.raises(AuditKeyError, match="neither AUDIT_CHAIN_KEY nor listed in AUDIT_CHAIN_RETIRED_KEYS"):
        seal(at=NOW)
    assert AuditEntry.objects.count() == 2


# -- the migration path: an unkeyed chain, then a key -------------------------------------------


def _legacy_then_keyed(settings: Settings, legacy: int) -> AuditEntry:
    settings.AUDIT_CHAIN_KEY = ""
    build_chain(legacy)
    settings.AUDIT_CHAIN_KEY = KEY
    epoch = seal(at=NOW + timedelta(hours=1))
    assert epoch is not None
    return epoch


@pytest.mark.django_db
def test_the_first_start_with_a_key_seals_an_existing_chain_and_it_verifies(settings: Settings) -> None:
    epoch = _legacy_then_keyed(settings, 4)
    assert (epoch.seq, epoch.event, epoch.key_id) == (5, Event.CHAIN_KEYED, key_id(KEY))
    assert epoch.details == {"previous_key_id": None, "key_id": key_id(KEY), "after_record": 4}
    assert seal(at=NOW) is None  # sealed once: the head already carries the key
    build_chain(2)
    assert verify() == Verdict(True, 7)
    assert [e.key_id for e in AuditEntry.objects.order_by("seq")] == [None] * 4 + [key_id(KEY)] * 3


@pytest.mark.django_db
def test_an_empty_chain_needs_no_sealing(keyed: str) -> None:  # noqa: ARG001  # the key is set
    assert seal(at=NOW) is None
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_an_edit_in_the_unkeyed_prefix_is_named_as_before(settings: Settings) -> None:
    _legacy_then_keyed(settings, 4)
    with triggers_off():
        tampering.edit(2, actor="mallory")
    _broken(verify(), 2, "does not match its hash (edited)")


@pytest.mark.django_db
def test_the_unkeyed_prefix_cannot_be_rewritten_once_a_keyed_record_follows_it(settings: Settings) -> None:
    _legacy_then_keyed(settings, 4)
    with triggers_off():
        previous = AuditEntry.objects.get(seq=1).hash
        for entry in AuditEntry.objects.filter(seq__in=[2, 3, 4]).order_by("seq"):  # the prefix, re-linked after an edit
            entry.actor, entry.previous_hash = "mallory", previous
            entry.hash = previous = entry_hash(previous, _fields(entry))
            entry.save()
        AuditEntry.objects.filter(seq=5).update(previous_hash=previous)  # the epoch record re-linked, its seal kept
    _broken(verify(), 5, "does not match its hash")


@pytest.mark.django_db
def test_a_legacy_chain_not_yet_sealed_is_reported_with_what_to_do(settings: Settings) -> None:
    settings.AUDIT_CHAIN_KEY = ""
    build_chain(3)
    settings.AUDIT_CHAIN_KEY = KEY
    _broken(verify(), 3, "run `cyberspex audit seal`")


# -- key rotation ---------------------------------------------------------------------------------


def _rotate(settings: Settings) -> None:
    settings.AUDIT_CHAIN_KEY = KEY
    settings.AUDIT_CHAIN_RETIRED_KEYS = []
    build_chain(3)
    settings.AUDIT_CHAIN_KEY, settings.AUDIT_CHAIN_RETIRED_KEYS = NEW_KEY, [KEY]
    assert seal(at=NOW + timedelta(hours=1)) is not None


@pytest.mark.django_db
def test_after_a_rotation_the_retired_key_still_verifies_the_records_it_sealed(settings: Settings) -> None:
    _rotate(settings)
    build_chain(2)
    assert verify() == Verdict(True, 6)
    assert [e.key_id for e in AuditEntry.objects.order_by("seq")] == [key_id(KEY)] * 3 + [key_id(NEW_KEY)] * 3


@pytest.mark.django_db
def test_after_a_rotation_a_record_sealed_with_the_retired_key_is_named(settings: Settings) -> None:
    """Someone who obtained the retired key still cannot add to the chain."""
    _rotate(settings)
    _forge_append(key=KEY, key_name=key_id(KEY))
    _broken(verify(), 5, "sealed with a retired key after a newer key")


@pytest.mark.django_db
def test_a_retired_key_that_is_no_longer_listed_is_reported(settings: Settings) -> None:
    _rotate(settings)
    settings.AUDIT_CHAIN_RETIRED_KEYS = []
    _broken(verify(), 1, "a retired key must be listed in AUDIT_CHAIN_RETIRED_KEYS")


@pytest.mark.django_db
def test_retired_keys_without_a_current_key_are_refused(settings: Settings) -> None:
    settings.AUDIT_CHAIN_KEY, settings.AUDIT_CHAIN_RETIRED_KEYS = "", [KEY]
    with pytest.raises(AuditKeyError, match="AUDIT_CHAIN_RETIRED_KEYS is set but AUDIT_CHAIN_KEY is not"):
        verify()
