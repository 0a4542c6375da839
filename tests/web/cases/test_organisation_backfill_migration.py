"""Requests and deadlines made before Request.organisation and Deadline.organisation existed
get their case's organisation from the migration (cases 0011), each its own case's, and the
columns are required afterwards (0012)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0009_list_indexes")]
AFTER = [("cases", "0012_organisation_required")]
MADE = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_every_request_and_deadline_gets_its_own_cases_organisation() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="migration-prosecutor")
    organisations = old.get_model("accounts", "Organisation").objects
    paris = organisations.create(name="Parquet de Paris", kind="issuing_authority", country="FR")
    koeln = organisations.create(name="Staatsanwaltschaft Köln", kind="issuing_authority", country="DE")
    made = {}
    for organisation in (paris, koeln):
        case = old.get_model("cases", "Case").objects.create(
            organisation=organisation,
            reference="REF-1",
            title="t",
            retention_review_date=date(2027, 10, 1),
            created_by=user,
            created_at=MADE,
        )
        request = old.get_model("cases", "Request").objects.create(
            case=case, form_id="eu-epoc", route_id="eu-epoc", recipient_state="IE", created_by=user, created_at=MADE
        )
        deadline = old.get_model("cases", "Deadline").objects.create(
            request=request, event="data transmitted", due_at=MADE + timedelta(days=10), citation="Art 10(3)", rule="r"
        )
        made[organisation.pk] = (request.pk, deadline.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    requests, deadlines = new.get_model("cases", "Request").objects, new.get_model("cases", "Deadline").objects
    for organisation, (request, deadline) in made.items():
        assert requests.get(pk=request).organisation_id == organisation
        assert deadlines.get(pk=deadline).organisation_id == organisation
    with pytest.raises(IntegrityError), transaction.atomic():
        deadlines.filter(pk=made[paris.pk][1]).update(organisation=None)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest state for the next tests
