"""Auditors search and export the trail through the API; every search is itself recorded."""

from __future__ import annotations

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from tests.web.conftest import Api, Org
from tests.web.helpers import make_case


def test_an_auditor_searches_the_trail_of_their_organisation_and_the_search_is_recorded(fr: Org, de: Org, api: Api) -> None:
    make_case(fr[Role.INVESTIGATOR])
    make_case(de[Role.INVESTIGATOR])
    auditor = api.token(fr[Role.AUDITOR])
    response = api.client.get(
        "/api/v1/audit", {"event": "create", "justification": "quarterly review"}, headers={"Authorization": f"Bearer {auditor}"}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["organisation"] for i in items] == [fr[Role.AUDITOR].membership.organisation.name]
    search = AuditEntry.objects.filter(event=Event.VIEW, object_type="audit").get()
    assert (search.actor, search.justification_text) == (fr[Role.AUDITOR].username, "quarterly review")
    assert verify().ok


def test_only_auditors_read_the_trail_and_only_with_a_justification(fr: Org, api: Api) -> None:
    investigator = api.token(fr[Role.INVESTIGATOR])
    auditor = api.token(fr[Role.AUDITOR])
    assert (
        api.client.get("/api/v1/audit", {"justification": "x"}, headers={"Authorization": f"Bearer {investigator}"}).status_code
        == 403
    )
    missing = api.client.get("/api/v1/audit", headers={"Authorization": f"Bearer {auditor}"})
    assert (missing.status_code, missing.json()["field"]) == (422, "justification")
    unknown = api.client.get(
        "/api/v1/audit", {"justification": "x", "event": "nope"}, headers={"Authorization": f"Bearer {auditor}"}
    )
    assert unknown.status_code == 422
