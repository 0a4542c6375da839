"""Editing a draft: incomplete drafts are saved and resumed, a submitted one is read-only (409),
a value of the wrong type is refused with its field (422), another organisation's draft does
not exist (404); every edit is audited."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases import drafting
from cyberspex.web.cases.models import Request
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, form_data, make_case, make_request, move


def _patch(api: Api, request_id: int, data: dict[str, Any], user: Any) -> Any:
    return api.client.patch(
        f"/api/v1/requests/{request_id}",
        json.dumps({"data": data}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token(user)}"},
    )


def test_a_draft_is_patched_merged_and_audited(api: Api, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US")
    response = _patch(api, draft.pk, {"instructions": "Do not inform the subscriber.", "other_information": None}, prosecutor)
    assert response.status_code == 200, response.content
    saved = Request.objects.get(pk=draft.pk)
    assert saved.data["instructions"] == "Do not inform the subscriber."
    assert "other_information" not in saved.data
    assert saved.data["provider"] == draft.data["provider"]  # merged, not replaced
    entry = AuditEntry.objects.filter(event=Event.CHANGE, object_id=str(draft.pk)).get()
    assert "Do not inform" not in json.dumps(entry.details)  # the names of the elements, not their values


def test_an_incomplete_draft_is_saved_and_its_problems_listed_once(api: Api, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US")
    removed = {"issuing_authority": None, "provider": None, "legal_grounds": None, "offences": None}
    assert _patch(api, draft.pk, removed, prosecutor).status_code == 200
    issues = api.get(f"/requests/{draft.pk}", prosecutor).json()["issues"]
    missing = [i["path"] for i in issues if i["code"] == "missing_element"]
    assert missing == ["$.issuing_authority", "$.legal_grounds", "$.offences", "$.provider"]


def test_a_value_of_the_wrong_type_is_refused_with_its_field(api: Api, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    draft = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US")
    response = _patch(api, draft.pk, {"offences": [{"description": "fraud", "max_penalty_years": "five"}]}, prosecutor)
    assert response.status_code == 422
    assert response.json()["field"] == "data.offences.0.max_penalty_years"
    assert Request.objects.get(pk=draft.pk).data == draft.data  # nothing changed


def test_a_draft_submitted_for_approval_is_no_longer_editable(api: Api, fr: Org) -> None:
    investigator = fr[Role.INVESTIGATOR]
    draft = move(investigator, make_request(investigator, make_case(investigator), "2ap-7-order", "US"), "awaiting_approval")
    response = _patch(api, draft.pk, {"instructions": "late change"}, investigator)
    assert response.status_code == 409
    assert response.json()["field"] == "state"
    assert Request.objects.get(pk=draft.pk).data == draft.data


def test_another_organisations_draft_does_not_exist(api: Api, fr: Org, de: Org) -> None:
    draft = make_request(fr[Role.PROSECUTOR], make_case(fr[Role.PROSECUTOR]), "2ap-7-order", "US")
    assert _patch(api, draft.pk, {"instructions": "x"}, de[Role.PROSECUTOR]).status_code == 404


@pytest.mark.usefixtures("clock")
def test_the_service_saves_a_new_draft_without_most_of_its_elements(fr: Org) -> None:
    investigator = fr[Role.INVESTIGATOR]
    case = make_case(investigator)
    made, created = drafting.draft_create(
        user=investigator,
        case_id=case.pk,
        form_id="2ap-7-order",
        data={"recipient_state": "US", "language": "en"},
        now=NOW,
        idempotency_key="k-1",
        what_if=drafting.WhatIf(assume_in_force=True),
    )
    assert created
    assert made.data["recipient_state"] == "US"
    resumed = drafting.request_update(
        user=investigator, request_id=made.pk, data={"legal_grounds": "CPP art. 60-1"}, now=NOW, patch=True
    )
    assert resumed.data["legal_grounds"] == "CPP art. 60-1"
    assert resumed.data["recipient_state"] == "US"


def test_the_service_refuses_the_wrong_type_in_a_new_draft(fr: Org) -> None:
    investigator = fr[Role.INVESTIGATOR]
    data = form_data("2ap-7-order", "US") | {"notification_made": "yes"}
    with pytest.raises(ApplicationError) as refused:
        drafting.draft_create(
            user=investigator,
            case_id=make_case(investigator).pk,
            form_id="2ap-7-order",
            data=data,
            now=NOW,
            idempotency_key="k-2",
            what_if=drafting.WhatIf(),
        )
    assert (refused.value.status, refused.value.field) == (422, "data.notification_made")
