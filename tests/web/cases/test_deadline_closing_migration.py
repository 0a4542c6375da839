"""Requests answered, refused, lapsed, closed or withdrawn before deadlines closed with the
request kept them open ("overdue" for ever): the migration closes them as of the request's move
into its final state, and leaves the deadlines of open requests alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0004_reminder_retry")]
AFTER = [("cases", "0005_deadline_done_reason")]
ISSUED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
ANSWERED = ISSUED + timedelta(days=4)


@pytest.mark.django_db(transaction=True)
def test_the_open_deadlines_of_an_answered_request_are_closed_when_it_was_answered() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="migration-prosecutor")
    organisation = old.get_model("accounts", "Organisation").objects.create(
        name="Parquet", kind="issuing_authority", country="FR"
    )
    case = old.get_model("cases", "Case").objects.create(
        organisation=organisation,
        reference="PAR-1",
        title="t",
        retention_review_date=date(2027, 10, 1),
        created_by=user,
        created_at=ISSUED,
    )
    requests, deadlines = old.get_model("cases", "Request"), old.get_model("cases", "Deadline")
    answered = requests.objects.create(
        case=case,
        form_id="eu-epoc",
        route_id="eu-epoc",
        recipient_state="DE",
        state="answered",
        created_by=user,
        created_at=ISSUED,
    )
    still_open = requests.objects.create(
        case=case, form_id="eu-epoc", route_id="eu-epoc", recipient_state="DE", state="issued", created_by=user, created_at=ISSUED
    )
    old.get_model("cases", "Transition").objects.create(
        request=answered, from_state="issued", to_state="answered", by=user, at=ANSWERED
    )
    for request in (answered, still_open):
        deadlines.objects.create(
            request=request, event="data transmitted", due_at=ISSUED + timedelta(days=10), citation="Art 10(3)", rule="r"
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    closed = new.get_model("cases", "Deadline").objects
    assert (closed.get(request_id=answered.pk).done_at, closed.get(request_id=answered.pk).done_reason) == (
        ANSWERED,
        "request answered",
    )
    assert closed.get(request_id=still_open.pk).done_at is None

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest state for the next tests
