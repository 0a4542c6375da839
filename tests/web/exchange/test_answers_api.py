"""The answers in the API: a provider answers with files (multipart), the issuing side reads the
answers and the same hashes, integrations send receipts that cannot be replayed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.exchange.models import Delivery, ProducedFile, ReceiptKind
from tests.web.conftest import Api, Org
from tests.web.exchange.test_answers import CSV, PDF, stored

pytestmark = pytest.mark.django_db


def post_answer(api: Api, user, delivery: Delivery, files: list[tuple[str, bytes]], **fields: str):  # type: ignore[no-untyped-def]
    body = {"outcome": "data", **fields, "files": [SimpleUploadedFile(name, content) for name, content in files]}
    return api.client.post(f"/api/v1/inbox/{delivery.pk}/answers", body, headers={"Authorization": f"Bearer {api.token(user)}"})


def test_a_provider_answers_with_files_and_the_issuing_side_sees_the_same_hashes(
    api: Api, delivered: Delivery, provider_de: Org, rs: Org
) -> None:
    sent = post_answer(api, provider_de[Role.RESPONDER], delivered, [("subscriber.pdf", PDF), ("logins.csv", CSV)])
    assert sent.status_code == 201, sent.content
    assert [f["sha256"] for f in sent.json()["files"]] == [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(CSV).hexdigest()]
    mine = api.get(f"/inbox/{delivered.pk}/answer", provider_de[Role.RESPONDER])
    assert mine.json()["outcome"] == "data"
    theirs = api.get(f"/requests/{delivered.request_id}/answers", rs[Role.PROSECUTOR])
    assert theirs.status_code == 200
    (seen,) = theirs.json()
    assert [f["sha256"] for f in seen["files"]] == [f["sha256"] for f in sent.json()["files"]]
    csv_id = seen["files"][1]["id"]
    download = api.get(f"/requests/{delivered.request_id}/answers/{delivered.pk}/files/{csv_id}", rs[Role.PROSECUTOR])
    assert download.status_code == 200
    assert download.content == CSV
    assert download["X-Content-SHA256"] == hashlib.sha256(CSV).hexdigest()
    assert api.get(f"/inbox/{delivered.pk}/files/{csv_id}", provider_de[Role.RESPONDER]).content == CSV


def test_a_disguised_file_is_refused_with_its_message_and_nothing_stored(
    api: Api,
    delivered: Delivery,
    provider_de: Org,
    produced: Path,
) -> None:
    sent = post_answer(api, provider_de[Role.RESPONDER], delivered, [("subscriber.pdf", PDF), ("photo.jpg", PDF)])
    assert sent.status_code == 422
    assert sent.json()["message"] == "photo.jpg: the file's content is PDF, but its name does not end with .pdf"
    assert sent.json()["field"] == "files"
    assert ProducedFile.objects.count() == 0
    assert stored(produced) == []


@override_settings(PRODUCED_FILE_MAX_MB=1)
def test_an_oversized_file_is_refused_before_it_is_read(api: Api, delivered: Delivery, provider_de: Org) -> None:
    sent = post_answer(api, provider_de[Role.RESPONDER], delivered, [("big.txt", b"a" * (1024 * 1024 + 1))])
    assert sent.status_code == 413
    assert "larger than the limit of 1 MB" in sent.json()["message"]
    assert AuditEntry.objects.filter(object_type="delivery", object_id=str(delivered.pk), details__operation="answer").exists()


def test_a_second_answer_is_refused(api: Api, delivered: Delivery, provider_de: Org) -> None:
    assert post_answer(api, provider_de[Role.RESPONDER], delivered, [("a.pdf", PDF)]).status_code == 201
    again = post_answer(api, provider_de[Role.RESPONDER], delivered, [("b.pdf", PDF)])
    assert again.status_code == 409
    assert "already answered" in again.json()["message"]


def test_a_replayed_receipt_is_409(api: Api, delivered: Delivery, provider_de: Org) -> None:
    body = {"kind": "opened", "nonce": "b3f1a2c4d5e6f7a8b9c0d1e2"}
    first = api.post(f"/inbox/{delivered.pk}/receipts", body, provider_de[Role.RESPONDER])
    assert first.status_code == 201
    assert first.json()["nonce"] == body["nonce"]
    replay = api.post(f"/inbox/{delivered.pk}/receipts", body, provider_de[Role.RESPONDER])
    assert replay.status_code == 409
    assert replay.json()["message"] == "replayed receipt: this nonce was already used"
    assert delivered.receipts.filter(kind=ReceiptKind.OPENED).count() == 1


def test_messages_go_both_ways(api: Api, delivered: Delivery, provider_de: Org, rs: Org) -> None:
    asked = api.post(f"/inbox/{delivered.pk}/messages", {"body": "Which account exactly?"}, provider_de[Role.RESPONDER])
    assert asked.status_code == 201
    assert asked.json()["channel"] == "clarification"
    replied = api.post(f"/inbox/{delivered.pk}/messages", {"body": "The first one."}, rs[Role.PROSECUTOR])
    assert replied.status_code == 201
    assert replied.json()["organisation"] == rs.organisation.name
    item = api.get(f"/inbox/{delivered.pk}", provider_de[Role.RESPONDER]).json()
    assert [m["body"] for m in item["messages"]] == ["Which account exactly?", "The first one."]
