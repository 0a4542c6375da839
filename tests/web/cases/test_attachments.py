"""Attachments of a case (attachments.py): the type is read from the content, the size is
limited, the file is SHA-256 hashed; a refused file leaves nothing stored; adding, downloading
and removing are audited on the case; retention erases the files with the case."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.audit.personal import ERASED, readable_details
from cyberspex.web.cases.attachments import attachment_add, attachment_download, attachment_list, attachment_remove, sniff
from cyberspex.web.cases.models import Attachment
from cyberspex.web.cases.retention import retention_run
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Org
from tests.web.helpers import NOW, REVIEW, make_case


def _zip(entries: dict[str, bytes], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, (name, content) in enumerate(entries.items()):
            kind = zipfile.ZIP_STORED if stored_first and number == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=kind)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 24
TEXT = b"Provider's answer of 2026-11-27: no data retained.\n"
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}, stored_first=True)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("warrant.pdf", PDF, "application/pdf"),
        ("screenshot.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("answer.txt", TEXT, "text/plain; charset=utf-8"),
        ("report.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("report.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_it_attaches_an_allowed_file_with_its_hash_and_its_type_from_the_content(
    fr: Org, name: str, content: bytes, content_type: str
) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    made = attachment_add(user=fr[Role.INVESTIGATOR], case_id=case.pk, name=name, content=content, now=NOW)
    assert (made.name, made.content_type, made.size) == (name, content_type, len(content))
    assert made.sha256 == hashlib.sha256(content).hexdigest()
    assert bytes(Attachment.objects.get(pk=made.pk).content) == content
    entry = AuditEntry.objects.get(event=Event.CREATE, object_type="case", object_id=str(case.pk), details__attachment=made.pk)
    assert readable_details(entry)["sha256"] == made.sha256
    assert readable_details(entry)["attachment_name"] == name
    assert name not in str(entry.details)  # the name is sealed: erasable with the case


@pytest.mark.parametrize(
    ("name", "content", "status", "says"),
    [
        ("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 40, 422, "not accepted"),
        ("archive.zip", _zip({"a.txt": b"a"}), 422, "not accepted"),
        ("page.html", b"<html>\x00</html>", 422, "not accepted"),
        ("invoice.pdf", PNG, 422, "content is PNG"),  # an extension that lies about the content
        ("empty.txt", b"", 422, "empty"),
        ("big.txt", b"x" * 1001, 413, "larger than the limit"),
    ],
)
@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_a_file_too_large_or_of_a_type_not_allowed_is_refused_and_nothing_is_stored(
    fr: Org, name: str, content: bytes, status: int, says: str
) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    before = AuditEntry.objects.count()
    with pytest.raises(ApplicationError) as refused:
        attachment_add(user=fr[Role.PROSECUTOR], case_id=case.pk, name=name, content=content, now=NOW)
    assert (refused.value.status, refused.value.field) == (status, "file")
    assert says in refused.value.message
    assert not Attachment.objects.exists()
    assert AuditEntry.objects.count() == before


def test_text_is_recognised_by_its_content_and_binary_data_is_not_text() -> None:
    assert sniff("Réponse du fournisseur\r\n\tligne 2".encode()) is not None
    assert sniff(b"\xff\xfe\x00binary") is None
    assert sniff(b"text with a NUL \x00") is None


def test_the_name_loses_any_folder_and_control_characters(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    made = attachment_add(user=fr[Role.PROSECUTOR], case_id=case.pk, name="../../etc/pass\x07wd.txt", content=TEXT, now=NOW)
    assert made.name == "passwd.txt"


def test_another_organisation_can_neither_list_nor_download_nor_remove_nor_add(fr: Org, de: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    made = attachment_add(user=fr[Role.PROSECUTOR], case_id=case.pk, name="warrant.pdf", content=PDF, now=NOW)
    stranger = de[Role.PROSECUTOR]
    attempts = [
        lambda: attachment_list(user=stranger, case_id=case.pk),
        lambda: attachment_download(user=stranger, attachment_id=made.pk, now=NOW),
        lambda: attachment_remove(user=stranger, attachment_id=made.pk, now=NOW),
        lambda: attachment_add(user=stranger, case_id=case.pk, name="x.txt", content=TEXT, now=NOW),
    ]
    for attempt in attempts:
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert refused.value.status == 404
    assert Attachment.objects.count() == 1


def test_a_download_and_a_removal_are_recorded_with_the_hash(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    made = attachment_add(user=fr[Role.PROSECUTOR], case_id=case.pk, name="warrant.pdf", content=PDF, now=NOW)
    got = attachment_download(user=fr[Role.INVESTIGATOR], attachment_id=made.pk, case_id=case.pk, now=NOW)
    assert bytes(got.content) == PDF
    attachment_remove(user=fr[Role.SUPERVISOR], attachment_id=made.pk, now=NOW)
    assert not Attachment.objects.exists()
    export = AuditEntry.objects.get(event=Event.EXPORT, object_type="case", object_id=str(case.pk))
    removal = AuditEntry.objects.get(event=Event.CHANGE, object_type="case", object_id=str(case.pk))
    assert (export.actor, export.details["sha256"]) == (fr[Role.INVESTIGATOR].username, made.sha256)
    assert (removal.actor, removal.details["removed"], removal.details["sha256"]) == (
        fr[Role.SUPERVISOR].username,
        True,
        made.sha256,
    )


def test_an_attachment_of_another_case_is_not_found_under_this_case(fr: Org) -> None:
    first, second = make_case(fr[Role.PROSECUTOR], "PAR-1"), make_case(fr[Role.PROSECUTOR], "PAR-2")
    made = attachment_add(user=fr[Role.PROSECUTOR], case_id=first.pk, name="warrant.pdf", content=PDF, now=NOW)
    with pytest.raises(ApplicationError) as refused:
        attachment_download(user=fr[Role.PROSECUTOR], attachment_id=made.pk, case_id=second.pk, now=NOW)
    assert refused.value.status == 404


def test_retention_erases_the_files_and_their_names_with_the_case(fr: Org) -> None:
    system = User.objects.create(username="cyberspex-system", is_active=False)
    case = make_case(fr[Role.PROSECUTOR])
    kept = make_case(fr[Role.PROSECUTOR], "PAR-KEPT", review=REVIEW + timedelta(days=30))
    attachment_add(user=fr[Role.PROSECUTOR], case_id=case.pk, name="suspect-photo.jpeg", content=JPEG, now=NOW)
    attachment_add(user=fr[Role.PROSECUTOR], case_id=kept.pk, name="warrant.pdf", content=PDF, now=NOW)
    run = datetime.combine(REVIEW, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
    assert retention_run(actor=system, now=run).erased == [case.pk]
    assert list(Attachment.objects.values_list("case_id", flat=True)) == [kept.pk]
    added = AuditEntry.objects.get(event=Event.CREATE, object_type="case", object_id=str(case.pk), details__has_key="attachment")
    assert readable_details(added)["attachment_name"] == ERASED
