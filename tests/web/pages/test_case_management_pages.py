"""The pages that change a case, its retention review date and attachments, the search, the
lists with each request's state and next deadline, and dates shown in the user's time zone."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings

from cyberspex.web.accounts import access
from cyberspex.web.accounts.models import Preference, Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.attachments import attachment_add
from cyberspex.web.cases.editing import case_update
from cyberspex.web.cases.models import Attachment, Case, Deadline
from tests.web.conftest import Org
from tests.web.helpers import CASE_FIELDS, NOW, REVIEW, make_case, make_request, move
from tests.web.pages.conftest import consult, logged_in

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"


def edit_post(case: Case, **fields: str) -> dict[str, str]:
    """The edit form as a browser posts it, pre-filled with the case's contents."""
    management = {
        f"{prefix}-{key}": value
        for prefix, rows in (("offences", case.offences), ("identifiers", case.identifiers), ("persons", case.persons))
        for key, value in (
            ("TOTAL_FORMS", str(len(rows) + 2)),
            ("INITIAL_FORMS", str(len(rows))),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    }
    rows = {}
    for number, offence in enumerate(case.offences):
        rows |= {f"offences-{number}-{k}": str(v) for k, v in offence.items()}
    for number, identifier in enumerate(case.identifiers):
        rows |= {f"identifiers-{number}-{k}": str(v) for k, v in identifier.items()}
    for number, person in enumerate(case.persons):
        rows |= {f"persons-{number}-{k}": str(v) for k, v in person.items()}
    return {
        **management,
        **rows,
        "title": case.title,
        "classification": case.classification,
        "summary_of_facts": case.summary_of_facts,
        **fields,
    }


@pytest.fixture
def no_edit_for_investigators(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment where investigators may see cases but not change them."""
    grants = dict(access.GRANTS)
    grants[access.Action.EDIT_CASE] = frozenset({Role.PROSECUTOR, Role.SUPERVISOR})
    monkeypatch.setattr(access, "GRANTS", grants)


def test_a_prosecutor_edits_a_case_after_consulting_it_and_the_change_is_audited(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.PROSECUTOR])
    assert browser.get(f"/cases/{case.pk}/edit/")["Location"] == f"/cases/{case.pk}/"  # a justification first
    consult(browser, case.pk)
    form = browser.get(f"/cases/{case.pk}/edit/").content.decode()
    assert "j.doe.1987@mail.example.com" in form  # pre-filled
    saved = browser.post(
        f"/cases/{case.pk}/edit/",
        edit_post(case, title="Phishing, second wave", **{"persons-1-name": "Jane Roe", "persons-1-role": "witness"}),
    )
    assert (saved.status_code, saved["Location"]) == (302, f"/cases/{case.pk}/edit/")
    case.refresh_from_db()
    assert case.title == "Phishing, second wave"
    assert case.persons == [{"name": "John Doe", "role": "suspect"}, {"name": "Jane Roe", "role": "witness"}]
    assert case.identifiers == [{"kind": "email", "value": "j.doe.1987@mail.example.com"}]  # kept as it was
    change = AuditEntry.objects.get(event=Event.CHANGE, object_type="case")
    assert change.details == {"changed": ["title", "persons"]}


def test_a_refused_edit_says_why_next_to_the_field_and_keeps_what_was_typed(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.PROSECUTOR])
    consult(browser, case.pk)
    typed = "A long summary the prosecutor typed for ten minutes"
    refused = browser.post(
        f"/cases/{case.pk}/edit/", edit_post(case, title="", summary_of_facts=typed, **{"offences-0-provisions": ""})
    )
    page = refused.content.decode()
    assert refused.status_code == 422
    assert 'id="id_title_error"' in page
    assert "An offence needs both a description and its provisions." in page
    assert typed in page
    assert Case.objects.get(pk=case.pk).summary_of_facts != typed
    assert not AuditEntry.objects.filter(event=Event.CHANGE).exists()


def test_an_edit_of_a_case_changed_meanwhile_is_refused_and_the_text_typed_is_kept(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.PROSECUTOR])
    consult(browser, case.pk)
    shown = browser.get(f"/cases/{case.pk}/edit/").content.decode()
    version = re.search(r'name="version" value="(\w+)"', shown)
    assert version is not None
    case_update(user=fr[Role.SUPERVISOR], case_id=case.pk, changes={"title": "Renamed by a colleague"}, now=NOW)
    typed = "My long summary of the facts"
    stale = browser.post(f"/cases/{case.pk}/edit/", edit_post(case, summary_of_facts=typed, version=version.group(1)))
    assert stale.status_code == 409
    assert "someone changed this case after you opened the page" in stale.content.decode()
    assert typed in stale.content.decode()
    case.refresh_from_db()
    assert (case.title, case.summary_of_facts) == ("Renamed by a colleague", CASE_FIELDS["summary_of_facts"])


def test_another_organisations_case_cannot_be_edited_nor_its_attachments_touched(browser: Client, fr: Org, de: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    made = attachment_add(user=fr[Role.PROSECUTOR], case_id=case.pk, name="warrant.pdf", content=PDF, now=NOW)
    logged_in(browser, de[Role.PROSECUTOR])
    assert browser.get(f"/cases/{case.pk}/edit/").status_code == 404
    assert browser.post(f"/cases/{case.pk}/edit/", edit_post(case, title="Taken")).status_code == 404
    assert browser.post(f"/cases/{case.pk}/retention/", {"retention-reason": "x"}).status_code == 404
    assert browser.get(f"/cases/{case.pk}/attachments/{made.pk}/").status_code == 404
    assert browser.post(f"/cases/{case.pk}/attachments/{made.pk}/remove/").status_code == 404
    assert Attachment.objects.count() == 1
    assert Case.objects.get(pk=case.pk).title != "Taken"


@pytest.mark.usefixtures("no_edit_for_investigators")
def test_a_role_without_edit_case_sees_no_edit_button_and_gets_403(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    page = browser.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/edit/" not in page
    assert "New case" not in page  # the menu does not offer it either
    consult(browser, case.pk)
    assert browser.get(f"/cases/{case.pk}/edit/").status_code == 403
    assert browser.post(f"/cases/{case.pk}/attachments/", {}).status_code == 403


def test_roles_see_only_the_actions_they_can_take(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    request = make_request(fr[Role.INVESTIGATOR], case)  # an investigator's draft needs approval
    logged_in(browser, fr[Role.PROSECUTOR])
    prosecutor_page = browser.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/edit/" in prosecutor_page
    assert 'id="site-search"' in browser.get("/").content.decode()

    investigator = Client()
    logged_in(investigator, fr[Role.INVESTIGATOR])
    request_page = investigator.get(f"/requests/{request.pk}/").content.decode()
    assert 'value="issued"' not in request_page  # no Issue button for an investigator

    auditor = Client()
    logged_in(auditor, fr[Role.AUDITOR])
    dashboard = auditor.get("/").content.decode()
    assert 'id="site-search"' not in dashboard
    assert "/cases/new/" not in dashboard
    assert "/calendar/new/" not in dashboard
    assert auditor.get("/search/", {"q": "PAR"}).status_code == 403


def test_the_review_date_is_moved_with_a_reason_and_never_into_the_past(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.PROSECUTOR])
    consult(browser, case.pk)
    past = browser.post(
        f"/cases/{case.pk}/retention/", {"retention-retention_review_date": "2026-01-01", "retention-reason": "still needed"}
    )
    assert past.status_code == 422
    assert 'id="id_retention-retention_review_date_error"' in past.content.decode()
    assert "still needed" in past.content.decode()  # the reason typed is kept
    later = REVIEW + timedelta(days=180)
    moved = browser.post(
        f"/cases/{case.pk}/retention/", {"retention-retention_review_date": later.isoformat(), "retention-reason": "appeal"}
    )
    assert moved.status_code == 302
    assert Case.objects.get(pk=case.pk).retention_review_date == later
    assert AuditEntry.objects.filter(event=Event.CHANGE, details__citation="CETS 224 Art 14(5)").count() == 1


def test_an_uploaded_file_is_hashed_listed_and_downloaded_as_an_attachment(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.PROSECUTOR])
    consult(browser, case.pk)
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    uploaded = browser.post(f"/cases/{case.pk}/attachments/", {"attachment-file": SimpleUploadedFile("warrant.pdf", PDF)})
    assert uploaded.status_code == 302
    digest = hashlib.sha256(PDF).hexdigest()
    listed = browser.get(f"/cases/{case.pk}/edit/").content.decode()
    assert digest in listed
    assert "warrant.pdf" in consult(browser, case.pk).content.decode()  # listed on the case
    made = Attachment.objects.get()
    download = browser.get(f"/cases/{case.pk}/attachments/{made.pk}/")
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="warrant.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_an_oversize_or_disallowed_file_is_refused_with_a_message_and_nothing_is_stored(browser: Client, fr: Org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: PLC0415

    case = make_case(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.PROSECUTOR])
    consult(browser, case.pk)
    big = browser.post(f"/cases/{case.pk}/attachments/", {"attachment-file": SimpleUploadedFile("big.txt", b"x" * 1001)})
    assert big.status_code == 413
    assert "larger than the limit" in big.content.decode()
    script = browser.post(
        f"/cases/{case.pk}/attachments/", {"attachment-file": SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 50)}
    )
    assert script.status_code == 422
    assert 'id="id_attachment-file_error"' in script.content.decode()
    assert not Attachment.objects.exists()


@override_settings(ATTACHMENT_MAX_BYTES=1000)
def test_a_body_far_over_the_limit_is_refused_before_it_is_read(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    logged_in(browser, fr[Role.PROSECUTOR])
    consult(browser, case.pk)
    body = b"x" * (1000 + 64 * 1024 + 1)  # not even multipart: the limit answers first
    refused = browser.generic("POST", f"/cases/{case.pk}/attachments/", body, content_type="application/octet-stream")
    assert refused.status_code == 413
    assert "larger than the limit of 1 MB" in refused.content.decode()
    assert '<html lang="en">' in refused.content.decode()  # a page in the layout
    assert not Attachment.objects.exists()


def test_the_search_page_finds_by_reference_and_identifier_and_never_another_organisations(
    browser: Client, fr: Org, de: Org
) -> None:
    ours = make_case(fr[Role.PROSECUTOR], "PAR-2026-00412")
    make_request(fr[Role.PROSECUTOR], ours)
    make_case(de[Role.PROSECUTOR], "KOE-2026-00001")
    logged_in(browser, fr[Role.PROSECUTOR])
    found = browser.get("/search/", {"q": "j.doe.1987"}).content.decode()
    assert "PAR-2026-00412" in found
    assert "KOE-2026-00001" not in found
    assert "j.doe.1987@mail.example.com" not in found.replace('value="j.doe.1987"', "")  # the match, not the value
    by_reference = browser.get("/search/", {"q": "PAR-2026"}).content.decode()
    assert "1 case" in by_reference
    assert "1 request" in by_reference
    assert browser.get("/search/", {"q": "KOE"}).content.decode().count("KOE-2026-00001") == 0
    assert browser.get("/search/", {"q": "x" * 101}).status_code == 422


def test_the_lists_show_each_requests_state_and_days_to_its_next_deadline(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    case = make_case(prosecutor)
    issued = move(prosecutor, make_request(prosecutor, case), "issued")
    Deadline.objects.filter(request=issued).update(due_at=NOW + timedelta(days=5, hours=3))
    logged_in(browser, prosecutor)
    for page in (browser.get("/").content.decode(), browser.get(f"/cases/{case.pk}/").content.decode()):
        assert "Issued" in page
        assert "5 days" in page


def test_dates_are_shown_in_the_users_time_zone_brussels_by_default(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    issued = move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "issued")
    Deadline.objects.filter(request=issued).update(due_at=NOW + timedelta(days=3))  # 2026-12-01 09:00 UTC
    logged_in(browser, prosecutor)
    assert "2026-12-01 10:00 CET" in browser.get(f"/requests/{issued.pk}/").content.decode()

    chosen = browser.post("/accounts/preferences/", {"time_zone": "America/New_York"})
    assert chosen.status_code == 302
    assert Preference.objects.get(user=prosecutor).time_zone == "America/New_York"
    assert "2026-12-01 04:00 EST" in browser.get(f"/requests/{issued.pk}/").content.decode()
    assert "2026-12-01 04:00 EST" in browser.get("/").content.decode()
    assert AuditEntry.objects.filter(event=Event.CHANGE, object_type="user", details__time_zone__to="America/New_York").exists()


def test_an_unknown_time_zone_is_refused_next_to_the_field(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.AUDITOR])
    refused = browser.post("/accounts/preferences/", {"time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 422
    assert 'id="id_time_zone_error"' in refused.content.decode()
    assert not Preference.objects.exists()
