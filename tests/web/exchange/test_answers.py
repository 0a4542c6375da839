"""A provider answers an order delivered to it, with the files it produces; what is refused changes
nothing, stores nothing and is recorded; the issuing side sees the answer and the same hashes."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.test import override_settings

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange import answers, sealing, selectors
from cyberspex.web.exchange.answers import Upload
from cyberspex.web.exchange.models import (
    Answer,
    Channel,
    Delivery,
    DeliveryRole,
    DeliveryStatus,
    Message,
    ProducedFile,
    ReceiptKind,
)
from cyberspex.web.federation import files
from tests.web.conftest import Org
from tests.web.helpers import NOW, move

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CSV = b"account,ip,time\nj.doe.1987@mail.example.com,198.51.100.7,2026-10-01T10:00:00Z\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("logs.txt", "a log")
    return buffer.getvalue()


def stored(location: Path) -> list[Path]:
    return [p for p in location.rglob("*") if p.is_file()] if location.exists() else []


def answer(provider: Org, delivery: Delivery, outcome: str = "data", files: list[Upload] | None = None, **kwargs: str) -> Answer:
    return answers.answer_create(
        user=provider[Role.RESPONDER],
        delivery_id=delivery.pk,
        outcome=outcome,
        reason_code=kwargs.get("reason_code", ""),
        reason=kwargs.get("reason", ""),
        files=[Upload("subscriber.pdf", PDF)] if files is None else files,
        now=NOW,
    )


def refusals(delivery: Delivery) -> list[AuditEntry]:
    return [e for e in AuditEntry.objects.filter(object_type="delivery", object_id=str(delivery.pk)) if "refused" in e.details]


def assert_refused_and_nothing_stored(error: ApplicationError, status: int, delivery: Delivery, location: Path) -> None:
    assert error.status == status
    assert Answer.objects.count() == 0
    assert ProducedFile.objects.count() == 0
    assert stored(location) == []
    delivery.refresh_from_db()
    assert delivery.status != DeliveryStatus.ANSWERED
    assert delivery.request.state == State.ISSUED
    assert [e.details["refused"] for e in refusals(delivery)] == [error.message]


# -- the answer ---------------------------------------------------------------------------


def test_an_answer_with_data_answers_the_request_and_closes_its_deadlines(delivered: Delivery, provider_de: Org) -> None:
    made = answer(provider_de, delivered, files=[Upload("subscriber.pdf", PDF), Upload("logins.csv", CSV)])
    delivered.refresh_from_db()
    request = Request.objects.get(pk=delivered.request_id)
    assert delivered.status == DeliveryStatus.ANSWERED
    assert delivered.answered_at == NOW
    assert ReceiptKind.ANSWERED in [r.kind for r in delivered.receipts.all()]
    assert request.state == State.ANSWERED
    assert request.deadlines.exists()
    assert not request.deadlines.filter(done_at__isnull=True).exists()
    assert request.transitions.filter(to_state=State.ANSWERED).count() == 1
    files = list(made.files.order_by("pk"))
    assert [f.sha256 for f in files] == [hashlib.sha256(PDF).hexdigest(), hashlib.sha256(CSV).hexdigest()]
    assert [f.content_type for f in files] == ["application/pdf", "text/plain; charset=utf-8"]
    disclosed = AuditEntry.objects.filter(event=Event.DISCLOSE, object_type="delivery").get()
    assert [f["sha256"] for f in disclosed.details["files"]] == [f.sha256 for f in files]


def test_produced_files_are_stored_sealed_under_names_that_owe_nothing_to_the_upload(
    delivered: Delivery, provider_de: Org, produced: Path
) -> None:
    made = answer(provider_de, delivered, files=[Upload("subscriber.pdf", PDF)])
    (on_disk,) = stored(produced)
    assert "subscriber" not in str(on_disk)
    assert PDF not in on_disk.read_bytes()
    assert made.files.get().stored_name.endswith(on_disk.name)


def test_a_produced_file_is_sealed_as_a_stream_that_federation_sends_record_after_record(
    delivered: Delivery, provider_de: Org
) -> None:
    made = answer(provider_de, delivered, files=[Upload("logins.csv", CSV)])
    source = files.source_of(made.files.get())
    with storages["exchange"].open(source.stored_name, "rb") as handle:
        assert handle.read(len(sealing.STREAM_MAGIC)) == sealing.STREAM_MAGIC
        handle.seek(0)
        assert b"".join(sealing.open_stream(handle, purpose=source.purpose)) == CSV
    assert (source.name, source.size, source.sha256) == ("logins.csv", len(CSV), hashlib.sha256(CSV).hexdigest())


@pytest.mark.parametrize(
    ("outcome", "reason_code", "state"),
    [("partial", "over_broad", State.PARTIALLY_ANSWERED), ("refused", "wrong_entity", State.REFUSED)],
)
def test_part_of_the_data_and_a_refusal_move_the_request_accordingly(
    delivered: Delivery, provider_de: Org, outcome: str, reason_code: str, state: State
) -> None:
    files = [Upload("subscriber.pdf", PDF)] if outcome == "partial" else []
    answer(provider_de, delivered, outcome, files, reason_code=reason_code)
    assert Request.objects.get(pk=delivered.request_id).state == state


def test_no_data_with_its_reason_answers_the_request(delivered: Delivery, provider_de: Org) -> None:
    answer(provider_de, delivered, "no_data", [], reason_code="data_not_retained")
    assert Request.objects.get(pk=delivered.request_id).state == State.ANSWERED


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (("refused", "", ""), "needs a reason code"),
        (("no_data", "because", ""), "unknown reason code"),
        (("refused", "legal_reason", "  "), "needs an explanation"),
        (("other", "", ""), "does not answer this order"),
    ],
)
def test_an_answer_without_the_reason_it_needs_is_refused(
    delivered: Delivery, provider_de: Org, produced: Path, given: tuple[str, str, str], message: str
) -> None:
    outcome, reason_code, reason = given
    with pytest.raises(ApplicationError, match=message) as caught:
        answer(provider_de, delivered, outcome, [], reason_code=reason_code, reason=reason)
    assert_refused_and_nothing_stored(caught.value, 422, delivered, produced)


def test_an_answer_with_data_but_no_file_is_refused(delivered: Delivery, provider_de: Org, produced: Path) -> None:
    with pytest.raises(ApplicationError, match="comes with the files produced") as caught:
        answer(provider_de, delivered, "data", [])
    assert_refused_and_nothing_stored(caught.value, 422, delivered, produced)


# -- bad files ------------------------------------------------------------------------------


@override_settings(PRODUCED_FILE_MAX_MB=1)
def test_an_oversized_file_is_refused(delivered: Delivery, provider_de: Org, produced: Path) -> None:
    big = b"a" * (1024 * 1024 + 1)
    with pytest.raises(ApplicationError, match="larger than the limit of 1 MB") as caught:
        answer(provider_de, delivered, files=[Upload("subscriber.pdf", PDF), Upload("big.txt", big)])
    assert_refused_and_nothing_stored(caught.value, 413, delivered, produced)


@override_settings(PRODUCED_FILES_PER_ANSWER=2)
def test_more_files_than_allowed_are_refused(delivered: Delivery, provider_de: Org, produced: Path) -> None:
    with pytest.raises(ApplicationError, match="at most 2 files") as caught:
        answer(provider_de, delivered, files=[Upload(f"part-{n}.pdf", PDF) for n in range(3)])
    assert_refused_and_nothing_stored(caught.value, 422, delivered, produced)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (Upload("photo.jpg", PDF), r"content is PDF, but its name does not end with \.pdf"),
        (Upload("report.pdf", EXE), "this type of file is not accepted"),
        (Upload("logs.zip", zipped()), r"archives \(zip\) are not accepted"),
        (Upload("logs.pdf", zipped()), r"archives \(zip\) are not accepted"),
        (Upload("logs.txt.gz", b"\x1f\x8b\x08\x00rest"), r"archives \(gzip\) are not accepted"),
        (Upload("empty.txt", b""), "the file is empty"),
    ],
)
def test_a_disguised_file_or_an_archive_is_refused(
    delivered: Delivery, provider_de: Org, produced: Path, upload: Upload, message: str
) -> None:
    with pytest.raises(ApplicationError, match=message) as caught:
        answer(provider_de, delivered, files=[Upload("subscriber.pdf", PDF), upload])
    assert_refused_and_nothing_stored(caught.value, 422, delivered, produced)


# -- refused answers ----------------------------------------------------------------------------


def test_an_answer_to_a_blocked_item_is_refused_with_the_authoritys_instruction(
    delivered: Delivery, provider_de: Org, produced: Path
) -> None:
    Delivery.objects.filter(pk=delivered.pk).update(
        status=DeliveryStatus.BLOCKED, blocked_at=NOW, blocked_reason="Do not disclose until 2027-01-31."
    )
    with pytest.raises(ApplicationError, match=r"blocked.*Do not disclose until 2027-01-31") as caught:
        answer(provider_de, delivered)
    assert_refused_and_nothing_stored(caught.value, 409, delivered, produced)


def test_an_answer_to_a_withdrawn_request_is_refused(delivered: Delivery, provider_de: Org, rs: Org, produced: Path) -> None:
    move(rs[Role.PROSECUTOR], Request.objects.get(pk=delivered.request_id), "withdrawn")
    with pytest.raises(ApplicationError, match="the request was withdrawn") as caught:
        answer(provider_de, delivered)
    assert caught.value.status == 409
    assert ProducedFile.objects.count() == 0
    assert stored(produced) == []
    assert len(refusals(delivered)) == 1


def test_a_second_answer_is_refused_and_the_first_stands(delivered: Delivery, provider_de: Org, produced: Path) -> None:
    first = answer(provider_de, delivered)
    with pytest.raises(ApplicationError, match="already answered") as caught:
        answer(provider_de, delivered, files=[Upload("more.pdf", PDF), Upload("more.csv", CSV)])
    assert caught.value.status == 409
    assert list(Answer.objects.all()) == [first]
    assert ProducedFile.objects.count() == 1
    assert len(stored(produced)) == 1
    assert len(refusals(delivered)) == 1


def test_another_organisation_cannot_answer_and_its_try_is_recorded(
    delivered: Delivery, bfj: Org, rs: Org, produced: Path
) -> None:
    for outsider in (bfj, rs):
        with pytest.raises(ApplicationError) as caught:
            answer(outsider, delivered)
        assert caught.value.status == 404
    assert Answer.objects.count() == 0
    assert stored(produced) == []
    assert len(refusals(delivered)) == 2


def test_a_member_of_the_provider_whose_role_does_not_answer_is_refused(
    delivered: Delivery, provider_de: Org, produced: Path
) -> None:
    with pytest.raises(ApplicationError, match="cannot answer") as caught:
        answers.answer_create(
            user=provider_de[Role.CONTACT_247],
            delivery_id=delivered.pk,
            outcome="data",
            reason_code="",
            reason="",
            files=[Upload("a.pdf", PDF)],
            now=NOW,
        )
    assert_refused_and_nothing_stored(caught.value, 403, delivered, produced)


def test_the_notified_authority_cannot_answer_in_the_providers_place(delivered: Delivery, bfj: Org) -> None:
    notified = Delivery.objects.get(request=delivered.request, role=DeliveryRole.NOTIFIED)
    with pytest.raises(ApplicationError) as caught:
        answers.answer_create(
            user=bfj[Role.NOTIFIED_AUTHORITY],
            delivery_id=notified.pk,
            outcome="data",
            reason_code="",
            reason="",
            files=[],
            now=NOW,
        )
    assert caught.value.status == 403


# -- what each side sees ----------------------------------------------------------------------


def test_the_issuing_side_sees_the_same_hash_as_the_upload(delivered: Delivery, provider_de: Org, rs: Org) -> None:
    answer(provider_de, delivered, files=[Upload("logins.csv", CSV)])
    (seen,) = answers.answers_of_request(user=rs[Role.PROSECUTOR], request_id=delivered.request_id)
    assert seen.files.get().sha256 == hashlib.sha256(CSV).hexdigest()
    download = answers.file_download(user=rs[Role.PROSECUTOR], delivery_id=delivered.pk, file_id=seen.files.get().pk, now=NOW)
    assert download.verified
    assert download.content == CSV
    assert hashlib.sha256(download.content).hexdigest() == seen.files.get().sha256


def test_the_notified_authority_and_other_organisations_do_not_see_the_files(
    delivered: Delivery, provider_de: Org, bfj: Org
) -> None:
    made = answer(provider_de, delivered)
    with pytest.raises(ApplicationError) as caught:
        answers.file_download(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=delivered.pk, file_id=made.files.get().pk, now=NOW)
    assert caught.value.status == 404


def test_a_tampered_stored_file_is_not_verified(delivered: Delivery, provider_de: Org, rs: Org, produced: Path) -> None:
    made = answer(provider_de, delivered, files=[Upload("logins.csv", CSV)])
    produced_file = made.files.get()
    (on_disk,) = stored(produced)
    blob = bytearray(on_disk.read_bytes())
    blob[-1] ^= 1
    on_disk.write_bytes(bytes(blob))
    found = answers.file_download(user=rs[Role.PROSECUTOR], delivery_id=delivered.pk, file_id=produced_file.pk, now=NOW)
    assert not found.verified
    assert found.content == b""
    assert "cannot be opened" in found.reason


def test_a_stored_file_replaced_by_another_sealed_one_is_not_verified(delivered: Delivery, provider_de: Org) -> None:

    made = answer(provider_de, delivered, files=[Upload("logins.csv", CSV)])
    produced_file = made.files.get()
    storage = storages["exchange"]
    storage.delete(produced_file.stored_name)
    storage.save(
        produced_file.stored_name, io.BytesIO(sealing.seal(b"other,data\n", purpose=f"produced_file:{produced_file.stored_name}"))
    )
    found = answers.file_check(produced_file)
    assert not found.verified
    assert "differs from the one taken at upload" in found.reason


# -- clarification ------------------------------------------------------------------------------


def test_the_provider_asks_for_clarification_and_the_issuing_side_replies(delivered: Delivery, provider_de: Org, rs: Org) -> None:
    answers.message_send(user=provider_de[Role.RESPONDER], delivery_id=delivered.pk, body="Which time zone?", now=NOW)
    answers.message_send(user=rs[Role.INVESTIGATOR], delivery_id=delivered.pk, body="UTC.", now=NOW)
    item = selectors.inbox_item(user=provider_de[Role.RESPONDER], delivery_id=delivered.pk, now=NOW)
    assert [(m.organisation, m.body, m.channel) for m in item.messages] == [
        (provider_de.organisation, "Which time zone?", Channel.CLARIFICATION),
        (rs.organisation, "UTC.", Channel.CLARIFICATION),
    ]
    assert [r.kind for r in delivered.receipts.all()].count(ReceiptKind.MESSAGE) == 2


def test_the_provider_never_sees_a_consultation(delivered: Delivery, provider_de: Org, bfj: Org) -> None:
    Message.objects.create(
        delivery=delivered,
        channel=Channel.CONSULTATION,
        organisation=bfj.organisation,
        author=bfj[Role.NOTIFIED_AUTHORITY],
        body="x",
        at=NOW,
    )
    item = selectors.inbox_item(user=provider_de[Role.RESPONDER], delivery_id=delivered.pk, now=NOW)
    assert item.messages == []


def test_an_empty_message_or_an_outsiders_is_refused(delivered: Delivery, provider_de: Org, bfj: Org) -> None:
    with pytest.raises(ApplicationError, match="the message is empty"):
        answers.message_send(user=provider_de[Role.RESPONDER], delivery_id=delivered.pk, body="  ", now=NOW)
    with pytest.raises(ApplicationError) as caught:
        answers.message_send(user=bfj[Role.RESPONDER], delivery_id=delivered.pk, body="hello", now=NOW)
    assert caught.value.status == 404
    assert Message.objects.count() == 0
    assert len(refusals(delivered)) == 2


# -- receipts ---------------------------------------------------------------------------------


def test_a_replayed_receipt_is_refused_recorded_and_not_stored(delivered: Delivery, provider_de: Org) -> None:
    nonce = "7f3c2a9e-5b1d-4e8a-9c0f-2d6b8e4a1c35"
    answers.receipt_record(user=provider_de[Role.RESPONDER], delivery_id=delivered.pk, kind="opened", nonce=nonce, now=NOW)
    with pytest.raises(ApplicationError, match="replayed receipt") as caught:
        answers.receipt_record(user=provider_de[Role.RESPONDER], delivery_id=delivered.pk, kind="opened", nonce=nonce, now=NOW)
    assert caught.value.status == 409
    assert delivered.receipts.filter(kind=ReceiptKind.OPENED).count() == 1
    assert [e.details["refused"] for e in refusals(delivered)] == ["replayed receipt: this nonce was already used"]
    delivered.refresh_from_db()
    assert delivered.status == DeliveryStatus.OPENED
    assert delivered.opened_at == NOW


# -- a provider served by the requested Party (CETS 224 Art 8) ------------------------------------


def test_a_served_provider_answers_the_requested_party_first_and_the_requesting_side_sees_it_once_passed_back(
    rs: Org, bfj: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    from cyberspex.web.exchange import requested_party  # noqa: PLC0415
    from tests.web.exchange.test_requested_party import art8_order, complete, serve, to_requested_party  # noqa: PLC0415

    order = art8_order(rs, bfj, rehearsal)
    at_the_requested_party = to_requested_party(order)
    complete(bfj, at_the_requested_party)
    served = serve(bfj, at_the_requested_party, provider_de)
    made = answer(provider_de, served, files=[Upload("logins.csv", CSV)])
    file_id = made.files.get().pk
    assert Request.objects.get(pk=order.pk).state == State.ISSUED  # the requesting side's request is not moved here
    seen = answers.file_download(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=served.pk, file_id=file_id, now=NOW)
    assert seen.content == CSV
    assert answers.answers_of_request(user=rs[Role.PROSECUTOR], request_id=order.pk) == []
    with pytest.raises(ApplicationError):
        answers.file_download(user=rs[Role.PROSECUTOR], delivery_id=served.pk, file_id=file_id, now=NOW)
    with pytest.raises(ApplicationError, match="through the requested Party"):
        answers.message_send(user=rs[Role.PROSECUTOR], delivery_id=served.pk, body="hello", now=NOW)

    requested_party.pass_back(user=bfj[Role.NOTIFIED_AUTHORITY], delivery_id=at_the_requested_party.pk, now=NOW)
    (passed,) = answers.answers_of_request(user=rs[Role.PROSECUTOR], request_id=order.pk)
    assert passed.files.get().sha256 == hashlib.sha256(CSV).hexdigest()
    assert answers.file_download(user=rs[Role.PROSECUTOR], delivery_id=served.pk, file_id=file_id, now=NOW).verified
