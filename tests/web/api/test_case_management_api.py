"""The API of case management: ``PATCH /cases/{id}``, attachments (list, upload, download,
remove) and ``GET /search``; refusals as ``{message, field}`` with 404, 413, 415 or 422."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.models import Attachment, Case
from tests.web.conftest import Api, Org
from tests.web.helpers import REVIEW, make_case, make_request

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"


def _patch(api: Api, path: str, body: dict[str, object], user: object) -> object:
    return api.client.patch(
        f"/api/v1{path}", body, content_type="application/json", headers={"Authorization": f"Bearer {api.token(user)}"}
    )


def _upload(api: Api, case_id: int, user: object, name: str, content: bytes) -> object:
    return api.client.post(
        f"/api/v1/cases/{case_id}/attachments",
        {"file": SimpleUploadedFile(name, content)},
        headers={"Authorization": f"Bearer {api.token(user)}"},
    )


def test_a_patch_changes_only_the_fields_given_and_is_audited(api: Api, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    response = _patch(api, f"/cases/{case.pk}", {"title": "Second wave", "classification": "secret"}, fr[Role.INVESTIGATOR])
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Second wave"
    case.refresh_from_db()
    assert (case.title, case.classification, case.persons) == ("Second wave", "secret", [{"name": "John Doe", "role": "suspect"}])
    assert AuditEntry.objects.get(event=Event.CHANGE).details["changed"] == ["title", "classification"]


def test_a_patch_moves_the_review_date_only_with_a_reason_and_forward(api: Api, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    later = REVIEW.replace(year=REVIEW.year + 1).isoformat()
    no_reason = _patch(api, f"/cases/{case.pk}", {"retention_review_date": later}, fr[Role.PROSECUTOR])
    assert no_reason.status_code == 422
    assert no_reason.json()["field"] == "retention_review_reason"
    past = _patch(
        api, f"/cases/{case.pk}", {"retention_review_date": "2026-01-01", "retention_review_reason": "x"}, fr[Role.PROSECUTOR]
    )
    assert (past.status_code, past.json()["field"]) == (422, "retention_review_date")
    moved = _patch(
        api, f"/cases/{case.pk}", {"retention_review_date": later, "retention_review_reason": "appeal"}, fr[Role.PROSECUTOR]
    )
    assert (moved.status_code, moved.json()["retention_review_date"]) == (200, later)


def test_a_bad_patch_names_the_field_and_changes_nothing(api: Api, fr: Org, de: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    bad = _patch(api, f"/cases/{case.pk}", {"title": "New", "classification": "top"}, fr[Role.PROSECUTOR])
    assert (bad.status_code, bad.json()["field"]) == (422, "classification")
    assert Case.objects.get(pk=case.pk).title != "New"
    assert _patch(api, f"/cases/{case.pk}", {"title": "Theirs"}, de[Role.PROSECUTOR]).status_code == 404


def test_attachments_are_uploaded_listed_and_downloaded(api: Api, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    made = _upload(api, case.pk, fr[Role.PROSECUTOR], "warrant.pdf", PDF)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["name"], body["content_type"], body["size"]) == ("warrant.pdf", "application/pdf", len(PDF))
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    listed = api.get(f"/cases/{case.pk}/attachments", fr[Role.INVESTIGATOR]).json()
    assert [a["id"] for a in listed] == [body["id"]]
    download = api.get(f"/cases/{case.pk}/attachments/{body['id']}", fr[Role.INVESTIGATOR])
    assert download.content == PDF
    assert download["Content-Disposition"] == 'attachment; filename="warrant.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    removed = api.client.delete(
        f"/api/v1/cases/{case.pk}/attachments/{body['id']}", headers={"Authorization": f"Bearer {api.token(fr[Role.PROSECUTOR])}"}
    )
    assert removed.status_code == 204
    assert not Attachment.objects.exists()


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_an_oversize_or_disallowed_upload_is_refused_and_nothing_is_stored(api: Api, fr: Org, de: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    big = _upload(api, case.pk, fr[Role.PROSECUTOR], "big.txt", b"x" * 1001)
    assert (big.status_code, big.json()["field"]) == (413, "file")
    wrong = _upload(api, case.pk, fr[Role.PROSECUTOR], "tool.exe", b"MZ\x90\x00" + b"\x00" * 50)
    assert (wrong.status_code, wrong.json()["field"]) == (422, "file")
    way_too_big = _upload(api, case.pk, fr[Role.PROSECUTOR], "huge.txt", b"x" * (1000 + 70 * 1024))
    assert way_too_big.status_code == 413  # refused before the body is read
    as_json = api.post(f"/cases/{case.pk}/attachments", {"file": "JVBERi0="}, fr[Role.PROSECUTOR])
    assert (as_json.status_code, as_json.json()["field"]) == (415, "file")
    assert _upload(api, case.pk, de[Role.PROSECUTOR], "note.txt", b"a note").status_code == 404
    assert not Attachment.objects.exists()


def test_the_search_finds_the_organisations_cases_and_requests_only(api: Api, fr: Org, de: Org) -> None:
    ours = make_case(fr[Role.PROSECUTOR], "PAR-2026-00412")
    request = make_request(fr[Role.PROSECUTOR], ours)
    make_case(de[Role.PROSECUTOR], "PAR-KOELN-1")  # another organisation, a similar reference
    found = api.get("/search", fr[Role.PROSECUTOR], q="PAR-").json()
    assert [c["reference"] for c in found["cases"]] == ["PAR-2026-00412"]
    assert [(r["id"], r["state"], r["next_due_at"]) for r in found["requests"]] == [(request.pk, "draft", None)]
    assert api.get("/search", fr[Role.PROSECUTOR], q="j.doe.1987").json()["cases_count"] == 1
    assert api.get("/search", fr[Role.AUDITOR], q="PAR-").json()["cases_count"] == 0
    assert api.get("/search", fr[Role.PROSECUTOR], q=" ").status_code == 422
