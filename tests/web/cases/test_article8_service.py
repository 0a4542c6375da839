"""CETS 224 Art 8(6)(a) on the platform: the requested Party has 45 days from receiving the
order to serve the provider; the provider's 20 days (subscriber information) or 45 days
(traffic data) to return the data run from service, so that clock starts only when service
on the provider is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.audit.personal import readable_details
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request
from cyberspex.web.cases.retention import retention_run
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, REVIEW, form_data, make_case, make_request, move

# The Protocol is not in force yet: its orders are drafted under what-if assumptions, which only an
# instance in exercise mode may issue.
pytestmark = pytest.mark.usefixtures("exercise_instance")

IN_FORCE = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"}))
SERVED = NOW + timedelta(days=10)
SERVE = "cets224.art8.6.a.serve"


def article_8_order(org: Org, category: str = "traffic", *states: str) -> Request:
    prosecutor = org[Role.PROSECUTOR]
    data: dict[str, Any] = form_data("2ap-8-order", "US")
    data["data_sought"]["category"] = category
    made, _ = services.request_draft(
        user=prosecutor, case_id=make_case(prosecutor).pk, form_id="2ap-8-order", data=data, now=NOW, what_if=IN_FORCE
    )
    return move(prosecutor, made, *states)


def open_deadlines(request: Request) -> dict[str, datetime]:
    return {d.rule: d.due_at for d in request.deadlines.filter(done_at__isnull=True)}


def test_an_issued_article_8_order_runs_only_the_45_days_to_serve_the_provider(fr: Org) -> None:
    order = article_8_order(fr, "traffic", "issued")
    assert open_deadlines(order) == {SERVE: NOW + timedelta(days=45)}


def test_once_service_is_recorded_traffic_data_are_due_45_days_after_service(fr: Org) -> None:
    order = article_8_order(fr, "traffic", "issued")
    services.request_record_service(user=fr[Role.PROSECUTOR], request_id=order.pk, now=SERVED, served_at=SERVED)
    assert open_deadlines(order) == {"cets224.art8.6.a.ii.traffic": SERVED + timedelta(days=45)}
    assert order.deadlines.get(rule=SERVE).done_at == SERVED


def test_once_service_is_recorded_subscriber_information_is_due_20_days_after_service(fr: Org) -> None:
    order = article_8_order(fr, "subscriber", "issued")
    served = SERVED - timedelta(days=3)
    services.request_record_service(user=fr[Role.INVESTIGATOR], request_id=order.pk, now=SERVED, served_at=served)
    assert open_deadlines(order) == {"cets224.art8.6.a.i.subscriber": served + timedelta(days=20)}
    assert Request.objects.get(pk=order.pk).served_at == served


def test_recording_service_is_in_the_audit_trail(fr: Org) -> None:
    order = article_8_order(fr, "traffic", "issued", "acknowledged")
    services.request_record_service(user=fr[Role.PROSECUTOR], request_id=order.pk, now=SERVED, note="served by e-mail")
    entry = AuditEntry.objects.filter(object_type="request", object_id=str(order.pk)).last()
    assert entry is not None
    assert (entry.event, entry.details["served_at"], readable_details(entry)["note"]) == (
        Event.CHANGE,
        SERVED.isoformat(),
        "served by e-mail",
    )


@pytest.mark.parametrize(
    ("served_at", "message"),
    [(SERVED + timedelta(hours=1), "in advance"), (NOW - timedelta(minutes=1), "before it was issued")],
)
def test_service_cannot_be_dated_in_the_future_or_before_issue(fr: Org, served_at: datetime, message: str) -> None:
    order = article_8_order(fr, "traffic", "issued")
    with pytest.raises(ApplicationError, match=message) as refused:
        services.request_record_service(user=fr[Role.PROSECUTOR], request_id=order.pk, now=SERVED, served_at=served_at)
    assert (refused.value.status, refused.value.field) == (422, "served_at")


def test_service_is_recorded_once(fr: Org) -> None:
    order = article_8_order(fr, "traffic", "issued")
    services.request_record_service(user=fr[Role.PROSECUTOR], request_id=order.pk, now=SERVED)
    with pytest.raises(ApplicationError, match="already recorded") as refused:
        services.request_record_service(user=fr[Role.PROSECUTOR], request_id=order.pk, now=SERVED)
    assert refused.value.status == 409
    assert order.deadlines.filter(rule="cets224.art8.6.a.ii.traffic").count() == 1


def test_a_draft_article_8_order_cannot_have_been_served(fr: Org) -> None:
    with pytest.raises(ApplicationError, match="issued") as refused:
        services.request_record_service(user=fr[Role.PROSECUTOR], request_id=article_8_order(fr).pk, now=SERVED)
    assert refused.value.status == 409


def test_service_is_recorded_only_for_article_8_orders(fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    order = move(prosecutor, make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "US", what_if=IN_FORCE), "issued")
    with pytest.raises(ApplicationError, match=r"Art 8\(6\)\(a\)") as refused:
        services.request_record_service(user=prosecutor, request_id=order.pk, now=SERVED)
    assert refused.value.status == 409


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMINISTRATOR])
def test_roles_outside_case_work_cannot_record_service(fr: Org, role: Role) -> None:
    order = article_8_order(fr, "traffic", "issued")
    with pytest.raises(ApplicationError) as refused:
        services.request_record_service(user=fr[role], request_id=order.pk, now=SERVED)
    assert refused.value.status == 404


def test_another_organisation_cannot_record_service(fr: Org, de: Org) -> None:
    order = article_8_order(fr, "traffic", "issued")
    with pytest.raises(ApplicationError) as refused:
        services.request_record_service(user=de[Role.PROSECUTOR], request_id=order.pk, now=SERVED)
    assert refused.value.status == 404


def test_the_api_records_service_and_then_lists_the_return_clock(api: Api, fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    order = article_8_order(fr, "traffic", "issued")
    served = NOW  # the API's clock is stopped at NOW, when the order was issued
    response = api.post(f"/requests/{order.pk}/service", {"served_at": served.isoformat()}, prosecutor)
    assert (response.status_code, response.json()["served_at"]) == (200, served.isoformat().replace("+00:00", "Z")), (
        response.json()
    )
    body = api.get(f"/requests/{order.pk}", prosecutor).json()
    assert body["served_at"] == served.isoformat()
    assert {d["citation"] for d in body["deadlines"]} >= {"CETS 224 Art 8(6)(a)(ii)"}
    again = api.post(f"/requests/{order.pk}/service", {}, prosecutor)
    assert (again.status_code, again.json()["field"]) == (409, "served_at")


def test_the_migration_removes_return_clocks_that_earlier_versions_started_at_issue(fr: Org) -> None:
    from importlib import import_module  # noqa: PLC0415  # the migration module's name starts with a digit

    from django.apps import apps  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    migration = import_module("cyberspex.web.cases.migrations.0003_request_served_at")
    order = article_8_order(fr, "subscriber", "issued")
    started_at_issue = order.deadlines.create(
        organisation=fr.organisation,
        event="old reading",
        due_at=NOW + timedelta(days=20),
        citation="CETS 224 Art 8(6)(a)(i)",
        rule=migration.RUNS_FROM_SERVICE[0],
    )
    migration.remove_return_clocks_started_at_issue(apps, connection.schema_editor())  # the editor is not used
    assert not order.deadlines.filter(pk=started_at_issue.pk).exists()
    assert set(open_deadlines(order)) == {SERVE}


def test_service_recorded_after_the_case_is_erased_starts_no_clock(fr: Org, api: Api) -> None:
    order = article_8_order(fr, "traffic", "issued")
    erased_on = datetime.combine(REVIEW, time(2), tzinfo=UTC)
    system = User.objects.create(username="cyberspex-system", is_active=False)
    assert retention_run(actor=system, now=erased_on).erased == [order.case_id]
    with transaction.atomic():  # as a remote Party's word of service arriving after the erasure
        services.record_service(Request.objects.select_for_update().get(pk=order.pk), erased_on + timedelta(days=1))
    assert open_deadlines(order) == {}
    assert api.get("/deadlines", fr[Role.PROSECUTOR]).json()["items"] == []
