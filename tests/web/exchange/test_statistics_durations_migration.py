"""Requests and deliveries made before the statistics' durations were kept get them from the
migration (exchange 0007), computed from their answers, decisions, messages and transitions; going
back removes the triggers, so the older schema can be written to."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0014_request_search_reads_the_index"), ("exchange", "0006_produced_files_received_from_peers")]
AFTER = [("exchange", "0007_statistics_durations")]
ISSUED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def _made_before(old: object) -> tuple[int, int]:
    """One request issued by Paris to a provider: the issuing side writes after 10 min (not a
    response), the provider after 2 h, answers after 1 day; the request is answered after 1 day
    and 1 h. Returns the request's and the delivery's ids."""
    model = old.get_model  # type: ignore[attr-defined]
    user = model("auth", "User").objects.create(username="migration-prosecutor")
    organisations = model("accounts", "Organisation").objects
    paris = organisations.create(name="Parquet de Paris", kind="issuing_authority", country="FR")
    mail = organisations.create(name="Example Mail", kind="provider", country="IE")
    case = model("cases", "Case").objects.create(
        organisation=paris,
        reference="REF-1",
        title="t",
        retention_review_date=date(2027, 10, 1),
        created_by=user,
        created_at=ISSUED,
    )
    request = model("cases", "Request").objects.create(
        case=case,
        organisation=paris,
        form_id="eu-epoc",
        route_id="eu-epoc",
        recipient_state="IE",
        recipient_organisation=mail,
        state="answered",
        created_by=user,
        created_at=ISSUED,
        issued_at=ISSUED,
    )
    delivery = model("exchange", "Delivery").objects.create(
        request=request,
        organisation=mail,
        role="addressee",
        package="provider",
        content={},
        signature="-",
        key_id="-",
        signed_by=paris,
        document=b"",
        document_sha256="0" * 64,
        document_language="en",
        delivered_at=ISSUED + timedelta(minutes=1),
        answered_at=ISSUED + timedelta(days=1, minutes=1),
        status="answered",
    )
    messages = model("exchange", "Message").objects
    messages.create(
        delivery=delivery, channel="clarification", organisation=paris, author=user, body="-", at=ISSUED + timedelta(minutes=10)
    )
    messages.create(
        delivery=delivery, channel="clarification", organisation=mail, author=user, body="-", at=ISSUED + timedelta(hours=2)
    )
    model("exchange", "Answer").objects.create(
        delivery=delivery, outcome="data", by=user, at=ISSUED + timedelta(days=1, minutes=1)
    )
    transitions = model("cases", "Transition").objects
    transitions.create(request=request, from_state="issued", to_state="acknowledged", by=user, at=ISSUED + timedelta(minutes=30))
    transitions.create(
        request=request, from_state="acknowledged", to_state="answered", by=user, at=ISSUED + timedelta(days=1, hours=1)
    )
    return request.pk, delivery.pk


@pytest.mark.django_db(transaction=True)
def test_the_migration_computes_the_durations_of_the_existing_rows() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    request_id, delivery_id = _made_before(executor.loader.project_state(BEFORE).apps)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    request = new.get_model("cases", "Request").objects.get(pk=request_id)
    delivery = new.get_model("exchange", "Delivery").objects.get(pk=delivery_id)
    assert (request.first_response, request.completion) == (timedelta(hours=2), timedelta(days=1, hours=1))
    assert (delivery.first_response, delivery.completion) == (timedelta(hours=2) - timedelta(minutes=1), timedelta(days=1))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest state for the next tests
