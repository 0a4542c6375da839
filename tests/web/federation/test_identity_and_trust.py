"""The instance's identity document, its key rotation with overlap, and the trust of peers
(`cyberspex instance`, `cyberspex peers`): federation/identity.py, keys.py and trust.py."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from django.test import override_settings

from cyberspex.web.accounts.models import Organisation
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.errors import ApplicationError
from cyberspex.web.federation import identity, trust
from cyberspex.web.federation.keys import b64, unb64
from cyberspex.web.federation.models import Peer
from tests.web.federation.remote import Remote
from tests.web.helpers import NOW

pytestmark = pytest.mark.django_db


@override_settings(CYBERSPEX_INSTANCE_ID="here.example", CYBERSPEX_BASE_URL="https://here.example")
def test_the_identity_document_names_the_instance_its_organisations_and_keys_and_verifies_itself() -> None:
    Organisation.objects.create(name="Provider", kind="provider", country="IE")
    read = identity.read(json.dumps(identity.document(NOW)), NOW)
    assert (read.instance_id, read.base_url) == ("here.example", "https://here.example")
    assert [(o["name"], o["kind"], o["state"]) for o in read.organisations] == [("Provider", "provider", "IE")]
    assert len(read.keys) == 1
    assert read.keys[0]["not_after"] is None
    assert read.signed_by == [read.keys[0]["kid"]]


def test_a_rotated_key_is_still_published_and_signs_the_document_until_its_overlap_ends() -> None:
    first = identity.read(json.dumps(identity.document(NOW)), NOW).keys[0]["kid"]
    new, old = identity.rotate_key(NOW)
    assert old is not None
    assert old.key_id == first
    assert old.not_after == NOW + timedelta(days=30)
    during = identity.read(json.dumps(identity.document(NOW + timedelta(days=1))), NOW + timedelta(days=1))
    assert during.signed_by == [new.key_id, first]  # a peer that trusts only the old key accepts it
    after = identity.read(json.dumps(identity.document(NOW + timedelta(days=31))), NOW + timedelta(days=31))
    assert after.signed_by == [new.key_id]
    assert AuditEntry.objects.filter(details__action="instance_key_rotated").count() == 1


def test_a_document_whose_content_was_changed_after_signing_is_refused() -> None:
    document = json.loads(Remote().document())
    content = json.loads(unb64(document["payload"]))
    document["payload"] = b64(json.dumps({**content, "base_url": "https://attacker.example"}).encode())
    with pytest.raises(ApplicationError, match="signature does not verify"):
        trust.add(json.dumps(document), now=NOW)
    assert not Peer.objects.exists()


@pytest.mark.parametrize("text", ["", "{}", "[1]", '{"payload": "e30", "signatures": []}'])
def test_what_is_not_an_identity_document_is_refused(text: str) -> None:
    with pytest.raises(ApplicationError, match="not an identity document"):
        trust.add(text, now=NOW)


def test_a_peer_is_trusted_from_its_document_and_the_change_is_audited() -> None:
    remote = Remote()
    added = trust.add(remote.document(), now=NOW)
    assert added.created
    assert added.peer.instance_id == "remote.example"
    assert added.peer.organisations == remote.organisations
    assert added.peer.keys[0]["kid"] == remote.kid
    assert [p.instance_id for p in trust.trusted()] == ["remote.example"]
    assert AuditEntry.objects.get(details__action="peer_added").object_id == "remote.example"


@override_settings(CYBERSPEX_INSTANCE_ID="remote.example")
def test_an_instance_does_not_trust_its_own_document() -> None:
    with pytest.raises(ApplicationError, match="does not trust itself"):
        trust.add(Remote().document(), now=NOW)


def test_a_known_peer_is_updated_only_by_a_document_signed_with_a_key_already_trusted() -> None:
    remote = Remote()
    trust.add(remote.document(), now=NOW)
    impostor = Remote()  # the same id, another key: not signed by a key trusted for it
    with pytest.raises(ApplicationError, match="signed by none of the keys trusted") as refused:
        trust.add(impostor.document(issued_at=NOW + timedelta(hours=1)), now=NOW)
    assert refused.value.status == 409
    assert Peer.objects.get().keys[0]["kid"] == remote.kid
    more = [*remote.organisations, {"id": "8", "name": "Remote registrar", "kind": "registrar", "state": "IE"}]
    updated = trust.add(remote.document(issued_at=NOW + timedelta(hours=1), organisations=more), now=NOW)
    assert not updated.created
    assert len(updated.peer.organisations) == 2


def test_the_operator_replaces_a_peers_keys_with_replace() -> None:
    trust.add(Remote().document(), now=NOW)
    replaced = Remote()
    trust.add(replaced.document(issued_at=NOW + timedelta(hours=1)), now=NOW, replace=True)
    assert Peer.objects.get().keys[0]["x"] == replaced.jwk()["x"]
    assert AuditEntry.objects.filter(details__action="peer_replaced").exists()


def test_an_older_document_does_not_replace_a_newer_one() -> None:
    remote = Remote()
    trust.add(remote.document(issued_at=NOW), now=NOW)
    with pytest.raises(ApplicationError, match="older than the one trusted"):
        trust.add(remote.document(issued_at=NOW - timedelta(days=1)), now=NOW)


def test_a_removed_peer_is_no_longer_trusted_and_the_removal_is_audited() -> None:
    trust.add(Remote().document(), now=NOW)
    trust.remove("remote.example", now=NOW)
    assert trust.trusted() == []
    assert trust.trusted_peer("remote.example") is None
    assert AuditEntry.objects.filter(details__action="peer_removed").count() == 1
    with pytest.raises(ApplicationError, match="not found"):
        trust.remove("remote.example", now=NOW)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ({"base_url": "https://remote.example/" + "a" * 500}, "'base_url' must be an http(s) address"),
        ({"base_url": "ftp://remote.example"}, "'base_url' must be an http(s) address"),
        ({"id": ""}, "'id' must be 1 to 200 characters"),
        ({"organisations": [{"id": 7}]}, "each organisation needs"),
        ({"issued_at": datetime(2026, 11, 28, 9, 0)}, "'issued_at' must carry a time zone"),  # noqa: DTZ001  # on purpose
    ],
)
def test_a_document_with_a_field_of_the_wrong_shape_is_refused(content: dict[str, object], says: str) -> None:
    with pytest.raises(ApplicationError, match=re.escape(says)):
        trust.add(Remote().document(**content), now=NOW)


def test_a_document_whose_keys_are_not_ed25519_jwks_is_refused() -> None:
    remote = Remote()
    with pytest.raises(ApplicationError, match="each key must be an Ed25519 JWK"):
        trust.add(remote.document(keys=[{**remote.jwk(), "crv": "X25519"}]), now=NOW)
