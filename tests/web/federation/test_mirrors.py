"""The organisations of trusted peers, mirrored here (federation/mirrors.py): made and updated at
`peers add`, named apart from this instance's own, listed in the directory as hosted by the peer,
never published in this instance's identity document, kept when the peer is removed."""

from __future__ import annotations

import pytest

from cyberspex.web.accounts.models import Organisation, OrganisationKind
from cyberspex.web.exchange import directory
from cyberspex.web.federation import identity, trust
from tests.web.federation.remote import Remote
from tests.web.helpers import NOW

pytestmark = pytest.mark.django_db

PROVIDER = {"id": "7", "name": "Beispiel Mail GmbH", "kind": "provider", "state": "DE", "functions": ["provider"]}


def test_a_peer_organisations_are_mirrored_with_their_kind_state_and_functions_at_peers_add() -> None:
    trust.add(Remote("b.example", organisations=[PROVIDER]).document(), now=NOW)
    mirror = Organisation.objects.get(peer__instance_id="b.example", remote_id="7")
    assert (mirror.name, mirror.kind, mirror.country, mirror.functions) == ("Beispiel Mail GmbH", "provider", "DE", ["provider"])
    assert not mirror.members.exists()


def test_a_mirror_whose_name_is_taken_here_is_named_after_its_peer() -> None:
    Organisation.objects.create(name="Beispiel Mail GmbH", kind=OrganisationKind.PROVIDER, country="DE")
    trust.add(Remote("b.example", organisations=[PROVIDER]).document(), now=NOW)
    assert Organisation.objects.get(peer__isnull=False).name == "Beispiel Mail GmbH (b.example)"


def test_a_newer_document_updates_the_mirror_in_place() -> None:
    b = Remote("b.example", organisations=[PROVIDER])
    trust.add(b.document(), now=NOW)
    b.organisations = [{**PROVIDER, "name": "Beispiel Mail AG", "functions": ["provider", "registrar"]}]
    trust.add(b.document(issued_at=NOW.replace(hour=10)), now=NOW)
    [mirror] = Organisation.objects.filter(peer__isnull=False)
    assert (mirror.name, mirror.functions) == ("Beispiel Mail AG", ["provider", "registrar"])


def test_the_directory_lists_a_mirror_as_hosted_by_its_peer_and_the_identity_document_does_not() -> None:
    own = Organisation.objects.create(name="Parquet de Paris", kind=OrganisationKind.ISSUING_AUTHORITY, country="FR")
    trust.add(Remote("b.example", organisations=[PROVIDER]).document(), now=NOW)
    assert {e["name"]: e["hosted_by"] for e in directory.entries()} == {
        "Parquet de Paris": None,
        "Beispiel Mail GmbH": "b.example",
    }
    assert [o["id"] for o in identity.hosted_organisations()] == [str(own.pk)]


def test_a_removed_peer_mirrors_are_kept() -> None:
    trust.add(Remote("b.example", organisations=[PROVIDER]).document(), now=NOW)
    trust.remove("b.example", now=NOW)
    assert Organisation.objects.filter(peer__instance_id="b.example").count() == 1
