"""Retries of the same draft sent at the same moment, with one ``Idempotency-Key`` (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.test import Client

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.models import Request
from tests.web.concurrency import at_once, committed, parallel
from tests.web.conftest import Api, Org
from tests.web.helpers import form_data, make_case

__all__ = ["committed", "parallel"]  # the fixtures, used by name

BODY = {"form_id": "eu-epoc", "data": form_data("eu-epoc", "DE")}
RETRIES = 6


@pytest.mark.usefixtures("parallel")
def test_simultaneous_retries_with_one_key_make_one_request_and_all_get_it(fr: Org, api: Api) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    case = make_case(prosecutor)
    headers = {"Authorization": f"Bearer {api.token(prosecutor)}", "Idempotency-Key": "3f1c-retry-storm"}

    def post() -> tuple[int, int | None]:
        response = Client().post(f"/api/v1/cases/{case.pk}/requests", BODY, content_type="application/json", headers=headers)
        return response.status_code, response.json().get("id")

    answers = at_once([post] * RETRIES)

    made = Request.objects.get()
    assert sorted(status for status, _ in answers) == [200] * (RETRIES - 1) + [201]
    assert {request_id for _, request_id in answers} == {made.pk}
    assert AuditEntry.objects.filter(event=Event.CREATE, object_type="request").count() == 1
    assert verify().ok
