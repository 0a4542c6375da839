"""The answer panel on an inbox item, and the answer on the issuing side's request page."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cyberspex.web.accounts.models import Role
from cyberspex.web.exchange.models import Delivery
from tests.web.conftest import Org
from tests.web.exchange.test_answers import CSV, PDF, stored
from tests.web.helpers import verified_session

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    verified_session(client, user)
    return client


def test_the_item_page_offers_the_answer_form_with_its_limits(delivered: Delivery, provider_de: Org) -> None:
    page = logged_in(provider_de[Role.RESPONDER]).get(f"/inbox/{delivered.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'name="outcome"' in page
    assert 'name="reason_code"' in page
    assert "Data no longer retained" in page
    assert "At most 20 files of at most 50 MB each" in page
    assert "Clarification with the issuing authority" in page


def test_answering_on_the_page_shows_the_files_and_their_hash_to_both_sides(
    delivered: Delivery, provider_de: Org, rs: Org
) -> None:
    client = logged_in(provider_de[Role.RESPONDER])
    sent = client.post(f"/inbox/{delivered.pk}/answer", {"outcome": "data", "files": [SimpleUploadedFile("logins.csv", CSV)]})
    assert sent.status_code == 302
    page = client.get(f"/inbox/{delivered.pk}/").content.decode()
    digest = hashlib.sha256(CSV).hexdigest()
    assert digest in page
    assert "Verified" in page
    assert 'name="outcome"' not in page
    issuer = logged_in(rs[Role.PROSECUTOR]).get(f"/requests/{delivered.request_id}/")
    assert issuer.status_code == 200
    assert digest in issuer.content.decode()


def test_a_refused_answer_shows_the_reason_on_the_item_page(delivered: Delivery, provider_de: Org, produced: Path) -> None:
    client = logged_in(provider_de[Role.RESPONDER])
    sent = client.post(f"/inbox/{delivered.pk}/answer", {"outcome": "data", "files": [SimpleUploadedFile("a.jpg", PDF)]})
    assert sent.status_code == 422
    assert "the file&#x27;s content is PDF" in sent.content.decode()
    assert stored(produced) == []


def test_a_tampered_file_shows_not_verified_and_is_not_served(delivered: Delivery, provider_de: Org, produced: Path) -> None:
    client = logged_in(provider_de[Role.RESPONDER])
    client.post(f"/inbox/{delivered.pk}/answer", {"outcome": "data", "files": [SimpleUploadedFile("logins.csv", CSV)]})
    (on_disk,) = stored(produced)
    on_disk.write_bytes(on_disk.read_bytes()[:-1] + b"\0")
    assert "Not verified" in client.get(f"/inbox/{delivered.pk}/").content.decode()
    file_id = delivered.answer.files.get().pk
    download = client.get(f"/inbox/{delivered.pk}/files/{file_id}")
    assert download.status_code == 409
    assert "Not verified" in download.content.decode()


def test_the_issuing_side_replies_from_its_request_page(delivered: Delivery, rs: Org, provider_de: Org) -> None:
    sent = logged_in(rs[Role.PROSECUTOR]).post(f"/inbox/{delivered.pk}/messages", {"body": "Use UTC."})
    assert sent.status_code == 302
    assert sent["Location"].startswith(f"/requests/{delivered.request_id}/")
    assert "Use UTC." in logged_in(provider_de[Role.RESPONDER]).get(f"/inbox/{delivered.pk}/").content.decode()
