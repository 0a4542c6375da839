"""The editor's pages without a browser: the form picker, saving from the widgets, a problem of
type kept next to its field with what was typed, the read-only page once submitted, and the
Article 8 follow-up draft fixed in the editor."""

from __future__ import annotations

import json

from django.test import Client

from cyberspex.web.accounts.models import Role
from cyberspex.web.cases.models import Request, State
from tests.web.cases.test_approval import traffic_epoc
from tests.web.conftest import Org
from tests.web.helpers import make_case, make_request, move
from tests.web.pages.conftest import logged_in


def test_without_a_form_the_page_offers_every_form(browser: Client, fr: Org) -> None:
    case = make_case(fr[Role.INVESTIGATOR])
    logged_in(browser, fr[Role.INVESTIGATOR])
    page = browser.get(f"/cases/{case.pk}/requests/new/").content.decode()
    assert "Order for the disclosure of subscriber information" in page
    assert "European Production Order Certificate (EPOC)" in page
    assert browser.get(f"/cases/{case.pk}/requests/new/", {"form": "nope"}).status_code == 422


def test_a_draft_is_saved_from_the_widgets_and_a_wrong_number_is_kept_next_to_its_field(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US")
    logged_in(browser, prosecutor)
    page = browser.get(f"/requests/{draft.pk}/edit/").content.decode()
    assert 'name="offences.0.description"' in page
    wrong = browser.post(
        f"/requests/{draft.pk}/edit/",
        {
            "intent": "save",
            "recipient_state": "US",
            "language": "en",
            "offences.0.description": "fraud",
            "offences.0.max_penalty_years": "five",
        },
    )
    assert wrong.status_code == 422
    shown = wrong.content.decode()
    assert 'href="#f-offences-0-max_penalty_years"' in shown
    assert 'value="five"' in shown  # nothing typed is lost
    assert Request.objects.get(pk=draft.pk).data == draft.data

    saved = browser.post(
        f"/requests/{draft.pk}/edit/", {"intent": "save", "recipient_state": "US", "language": "en", "legal_grounds": "CPP 60-1"}
    )
    assert (saved.status_code, saved["Location"]) == (302, f"/requests/{draft.pk}/edit/")
    assert Request.objects.get(pk=draft.pk).data["legal_grounds"] == "CPP 60-1"


def test_autosave_answers_with_the_time_it_saved(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US")
    logged_in(browser, prosecutor)
    answer = browser.post(f"/requests/{draft.pk}/edit/", {"intent": "autosave", "recipient_state": "US", "instructions": "none"})
    assert answer.status_code == 200
    assert set(answer.json()) == {"saved_at", "edit_url"}
    assert Request.objects.get(pk=draft.pk).data["instructions"] == "none"


def test_a_submitted_draft_is_read_only_with_the_reason(browser: Client, fr: Org) -> None:
    investigator = fr[Role.INVESTIGATOR]
    draft = move(investigator, make_request(investigator, make_case(investigator), "2ap-7-order", "US"), "awaiting_approval")
    logged_in(browser, investigator)
    page = browser.get(f"/requests/{draft.pk}/edit/").content.decode()
    assert "can no longer be edited" in page
    assert 'name="intent" value="save"' not in page
    refused = browser.post(f"/requests/{draft.pk}/edit/", {"intent": "save", "legal_grounds": "late"})
    assert refused.status_code == 409
    assert Request.objects.get(pk=draft.pk).state == State.AWAITING_APPROVAL


def test_the_review_shows_each_package_and_never_more_than_it_holds(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US")
    logged_in(browser, prosecutor)
    page = browser.get(f"/requests/{draft.pk}/review/").content.decode()
    provider = page[page.index('id="package-provider"') : page.index('id="package-notification"')]
    notification = page[page.index('id="package-notification"') :]
    assert "Summary of the facts" in notification
    assert "Summary of the facts" not in provider


def test_the_article_8_follow_up_draft_is_fixed_in_the_editor(browser: Client, fr: Org) -> None:
    from cyberspex.web.cases import services  # noqa: PLC0415
    from tests.web.helpers import NOW  # noqa: PLC0415

    prosecutor = fr[Role.PROSECUTOR]
    order = move(prosecutor, make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US"), "issued", "refused")
    follow_up, _created = services.request_follow_up(user=prosecutor, request_id=order.pk, now=NOW)
    logged_in(browser, prosecutor)
    assert f'href="/requests/{follow_up.pk}/edit/"' in browser.get(f"/requests/{follow_up.pk}/").content.decode()
    page = browser.get(f"/requests/{follow_up.pk}/edit/").content.decode()
    assert 'name="legal_grounds"' in page
    saved = browser.post(
        f"/requests/{follow_up.pk}/edit/",
        {"intent": "save", "recipient_state": "US", "language": "en", "legal_grounds": "CPP 60-1"},
    )
    assert saved.status_code == 302
    assert Request.objects.get(pk=follow_up.pk).data["legal_grounds"] == "CPP 60-1"


def test_autosave_answers_the_script_in_json_when_it_cannot_save(browser: Client, fr: Org) -> None:
    investigator = fr[Role.INVESTIGATOR]
    case = make_case(investigator)
    draft = make_request(investigator, case, "2ap-7-order", "US")
    submitted = move(investigator, make_request(investigator, case, "2ap-7-order", "US"), "awaiting_approval")
    logged_in(browser, investigator)
    unreadable = browser.post(f"/requests/{draft.pk}/edit/", {"intent": "autosave", "offences.0.max_penalty_years": "ten"})
    assert (unreadable.status_code, unreadable.json()["field"]) == (422, "offences.0.max_penalty_years")
    late = browser.post(f"/requests/{submitted.pk}/edit/", {"intent": "autosave", "legal_grounds": "late"})
    assert (late.status_code, late.json()["field"]) == (409, "state")


def test_an_autosave_with_nothing_changed_writes_nothing(browser: Client, fr: Org) -> None:
    from cyberspex.web.audit.models import AuditEntry, Event  # noqa: PLC0415

    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US")
    logged_in(browser, prosecutor)
    body = {"intent": "autosave", "recipient_state": "US", "language": "en", "legal_grounds": "CPP 60-1"}
    browser.post(f"/requests/{draft.pk}/edit/", body)
    browser.post(f"/requests/{draft.pk}/edit/", body)
    assert AuditEntry.objects.filter(event=Event.CHANGE, object_id=str(draft.pk)).count() == 1


def test_the_editor_speaks_the_page_language(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US")
    logged_in(browser, prosecutor)
    page = browser.get(f"/requests/{draft.pk}/edit/", headers={"accept-language": "fr"}).content.decode()
    assert "Fondement juridique interne de l&#x27;injonction" in page  # the label, escaped
    assert "Domestic legal grounds for issuing the order" not in page


def test_the_editors_problems_read_in_the_page_language_with_the_platforms_note(browser: Client, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = traffic_epoc(prosecutor)  # issued by "another competent authority": validation required
    logged_in(browser, prosecutor)
    check = {"intent": "import", "form_data": json.dumps(draft.data)}
    english = browser.post(f"/requests/{draft.pk}/edit/", check).content.decode()
    assert "must be validated before it is sent: it is validated on this platform once you submit the draft" in english
    for language, catalogue, note in (
        ("fr", "l&#x27;injonction doit être validée avant son envoi", "elle est validée sur cette plateforme"),
        ("de", "die Anordnung muss vor dem Versand validiert werden", "sie wird auf dieser Plattform validiert"),
    ):
        checked = browser.post(f"/requests/{draft.pk}/edit/", check, headers={"accept-language": language}).content.decode()
        assert f"{catalogue} (" in checked, language
        assert note in checked, language
        review = browser.get(f"/requests/{draft.pk}/review/", headers={"accept-language": language}).content.decode()
        assert catalogue in review, language
        for shown in (checked, review):
            assert "must be validated before it is sent" not in shown, language
