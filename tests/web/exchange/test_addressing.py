"""Addressing a draft: the drafter picks the recipient organisation from the directory, filtered
by the function the route needs and the recipient State, or sends it outside the platform; the
choice is kept with the draft until it is submitted, and the issue confirmation names every
recipient. The addressee's published languages feed the forms' language check."""

from __future__ import annotations

import pytest
from django.test import Client

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.cases import drafting, services
from cyberspex.web.cases.models import Request
from cyberspex.web.errors import ApplicationError
from cyberspex.web.exchange.models import PolicyProfile
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, form_data, make_case, move, verified_session

pytestmark = pytest.mark.django_db


def art7_draft(rs: Org, what_if: WhatIf, *, notified: bool = True) -> Request:
    data = form_data("2ap-7-order", "DE")
    data["notification_made"] = notified
    made, _ = services.request_draft(
        user=rs[Role.PROSECUTOR],
        case_id=make_case(rs[Role.PROSECUTOR]).pk,
        form_id="2ap-7-order",
        data=data,
        now=NOW,
        what_if=what_if,
    )
    return made


def address(rs: Org, draft: Request, organisation: int | None, *, sent_outside: bool = False) -> Request:
    return drafting.request_address(
        user=rs[Role.PROSECUTOR], request_id=draft.pk, recipient_organisation=organisation, sent_outside=sent_outside, now=NOW
    )


def page(user, path: str, data: dict[str, str] | None = None, *, post: bool = False):  # type: ignore[no-untyped-def]
    client = Client()
    verified_session(client, user)
    return client.post(path, data or {}) if post else client.get(path)


def test_a_draft_is_addressed_to_a_provider_of_the_directory_then_changed_audited(
    rs: Org, provider_de: Org, rehearsal: WhatIf
) -> None:
    draft = art7_draft(rs, rehearsal)
    assert address(rs, draft, provider_de.organisation.pk).recipient_organisation == provider_de.organisation
    changed = address(rs, draft, None, sent_outside=True)
    assert changed.recipient_organisation is None
    assert changed.sent_outside
    trail = AuditEntry.objects.filter(object_type="request", object_id=str(draft.pk), details__has_key="addressed")
    assert [e.details["addressed"] for e in trail.order_by("seq")] == [provider_de.organisation.pk, None]


@pytest.mark.usefixtures("provider_de")
def test_an_organisation_without_the_function_the_route_needs_is_refused(rs: Org, bfj: Org, rehearsal: WhatIf) -> None:
    draft = art7_draft(rs, rehearsal)
    with pytest.raises(ApplicationError, match="is not a service provider") as refused:
        address(rs, draft, bfj.organisation.pk)
    assert refused.value.status == 422
    assert refused.value.field == "recipient_organisation"
    draft.refresh_from_db()
    assert draft.recipient_organisation is None


def test_a_provider_not_serving_the_recipient_state_is_refused(rs: Org, provider_ie: Org, rehearsal: WhatIf) -> None:
    draft = art7_draft(rs, rehearsal)  # to Germany; the provider's EU establishment is in Ireland
    with pytest.raises(ApplicationError, match="not in DE"):
        address(rs, draft, provider_ie.organisation.pk)


@pytest.mark.usefixtures("bfj")
def test_the_addressing_cannot_change_after_issue(rs: Org, provider_de: Org, rehearsal: WhatIf) -> None:
    draft = address(rs, art7_draft(rs, rehearsal), provider_de.organisation.pk)
    move(rs[Role.PROSECUTOR], draft, "issued")
    with pytest.raises(ApplicationError, match="can no longer be changed") as refused:
        address(rs, draft, None, sent_outside=True)
    assert refused.value.status == 409
    draft.refresh_from_db()
    assert draft.recipient_organisation == provider_de.organisation
    assert not draft.sent_outside


def test_the_api_patch_addresses_a_draft_and_refuses_a_wrong_addressee(
    api: Api, rs: Org, provider_de: Org, bfj: Org, rehearsal: WhatIf
) -> None:
    draft = art7_draft(rs, rehearsal)
    path = f"/api/v1/requests/{draft.pk}"
    headers = {"Authorization": f"Bearer {api.token(rs[Role.PROSECUTOR])}"}
    ok = api.client.patch(path, {"recipient_organisation": provider_de.organisation.pk}, "application/json", headers=headers)
    assert ok.status_code == 200
    assert ok.json()["recipient_organisation_id"] == provider_de.organisation.pk
    refused = api.client.patch(path, {"recipient_organisation": bfj.organisation.pk}, "application/json", headers=headers)
    assert refused.status_code == 422
    assert "is not a service provider" in refused.json()["message"]
    assert api.client.patch(path, {}, "application/json", headers=headers).status_code == 422


def test_the_editor_offers_only_providers_in_the_recipient_state_and_saves_the_choice(
    rs: Org, provider_de: Org, bfj: Org, provider_ie: Org, rehearsal: WhatIf
) -> None:
    PolicyProfile.objects.create(organisation=provider_de.organisation, languages=["de", "en"], updated_at=NOW)
    draft = art7_draft(rs, rehearsal)
    shown = page(rs[Role.PROSECUTOR], f"/requests/{draft.pk}/edit/").content.decode()
    assert f'<option value="{provider_de.organisation.pk}"' in shown
    assert f'<option value="{bfj.organisation.pk}"' not in shown
    assert f'<option value="{provider_ie.organisation.pk}"' not in shown

    posted = {"form_id": "2ap-7-order", "intent": "save", "addressing": "1"}
    posted["addressing_organisation"] = str(provider_de.organisation.pk)
    response = page(rs[Role.PROSECUTOR], f"/requests/{draft.pk}/edit/", posted, post=True)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.recipient_organisation == provider_de.organisation
    again = page(rs[Role.PROSECUTOR], f"/requests/{draft.pk}/edit/").content.decode()
    assert "states in its policy profile that it accepts: de, en" in again


def test_the_editor_shows_a_refused_addressee_by_its_message(rs: Org, bfj: Org, rehearsal: WhatIf) -> None:
    draft = art7_draft(rs, rehearsal)
    posted = {"form_id": "2ap-7-order", "intent": "save", "addressing": "1", "addressing_organisation": str(bfj.organisation.pk)}
    response = page(rs[Role.PROSECUTOR], f"/requests/{draft.pk}/edit/", posted, post=True)
    assert response.status_code == 422
    assert "is not a service provider" in response.content.decode()
    draft.refresh_from_db()
    assert draft.recipient_organisation is None


@pytest.mark.usefixtures("bfj")
def test_the_issue_confirmation_names_every_recipient_on_the_platform(rs: Org, provider_de: Org, rehearsal: WhatIf) -> None:
    draft = address(rs, art7_draft(rs, rehearsal), provider_de.organisation.pk)
    text = page(rs[Role.PROSECUTOR], f"/requests/{draft.pk}/issue/").content.decode()
    assert "Beispiel Mail GmbH" in text
    assert "Bundesamt für Justiz" in text
    assert "CETS 224 Art 7(5)(a)" in text


def test_the_issue_confirmation_says_what_is_sent_by_other_means(rs: Org, provider_de: Org, rehearsal: WhatIf) -> None:
    draft = address(rs, art7_draft(rs, rehearsal), provider_de.organisation.pk)  # no notified authority on the instance
    text = page(rs[Role.PROSECUTOR], f"/requests/{draft.pk}/issue/").content.decode()
    assert "send it to them by other means" in text
    assert "the authority notified under CETS 224 Art 7(5)(a)" in text


def test_the_language_check_uses_the_languages_the_addressee_publishes(rs: Org, provider_de: Org, rehearsal: WhatIf) -> None:
    PolicyProfile.objects.create(organisation=provider_de.organisation, languages=["xh"], updated_at=NOW)
    draft = address(rs, art7_draft(rs, rehearsal), provider_de.organisation.pk)
    issues = services.form_issues(Request.objects.get(pk=draft.pk), NOW)
    assert any("accepts in its policy profile (xh)" in i["message"] for i in issues)


@pytest.mark.usefixtures("rehearsal")  # an exercise instance: the Protocol assumed in force
def test_a_new_draft_is_saved_with_the_addressee_chosen_in_the_editor(rs: Org, provider_de: Org) -> None:
    case = make_case(rs[Role.PROSECUTOR])
    posted = {
        "form_id": "2ap-7-order",
        "idempotency_key": "new-1",
        "intent": "save",
        "assume_in_force": "True",
        "assume_ratified": "RS,DE",
        "recipient_state": "DE",
        "addressing": "1",
        "addressing_organisation": str(provider_de.organisation.pk),
    }
    response = page(rs[Role.PROSECUTOR], f"/cases/{case.pk}/requests/new/", posted, post=True)
    assert response.status_code == 302
    made = Request.objects.get(case=case)
    assert made.recipient_organisation == provider_de.organisation
    assert not made.sent_outside
