"""Retention leaves no personal data behind: a sentinel written into every field a person fills
in (case, request, transition note, service note, reason a deadline was marked done, idempotency
key, consultation justification, attachment and its name, reason the review date was moved)
is found in no table once the case is erased, while the audit chain still verifies (ADR 0013)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, AuditText, Event
from cyberspex.web.audit.personal import ERASED, readable_details
from cyberspex.web.cases import services
from cyberspex.web.cases.attachments import attachment_add
from cyberspex.web.cases.editing import case_set_retention_review
from cyberspex.web.cases.models import Case, Request
from cyberspex.web.cases.retention import retention_run
from tests.web.conftest import Api, Org
from tests.web.helpers import CASE_FIELDS, NOW, REVIEW, form_data

# The Protocol is not in force yet: its orders are drafted under what-if assumptions, which only an
# instance in exercise mode may issue.
pytestmark = pytest.mark.usefixtures("exercise_instance")

SENTINEL = "Zyxwv-Sentinel-4471"
RUN = datetime.combine(REVIEW, datetime.min.time(), tzinfo=UTC) + timedelta(hours=2)
IN_FORCE = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"}))
_MIGRATION = importlib.import_module("cyberspex.web.audit.migrations.0004_audit_text")


@pytest.fixture
def system(db: None) -> User:  # noqa: ARG001  # needs the database
    return User.objects.create(username="cyberspex-system", is_active=False)


def _case_full_of_the_sentinel(org: Org, reference: str) -> tuple[Case, Request]:
    """A case whose every personal field, request, note and justification holds the sentinel."""
    prosecutor = org[Role.PROSECUTOR]
    fields: dict[str, Any] = {
        **CASE_FIELDS,
        "title": f"Fraud by {SENTINEL}",
        "summary_of_facts": f"{SENTINEL} sent phishing e-mails.",
        "offences": [{"description": f"fraud by {SENTINEL}", "provisions": "Code pénal 313-1", "max_penalty_years": 10}],
        "identifiers": [{"kind": "email", "value": f"{SENTINEL.lower()}@mail.example.com"}],
        "persons": [{"name": SENTINEL, "role": "suspect"}],
    }
    case = services.case_create(user=prosecutor, reference=reference, retention_review_date=REVIEW, now=NOW, **fields)
    services.case_view(user=prosecutor, case_id=case.pk, justification=f"hearing of {SENTINEL}", now=NOW)
    statement = f"statement of {SENTINEL}".encode()
    attachment_add(user=prosecutor, case_id=case.pk, name=f"{SENTINEL}.txt", content=statement, now=NOW)
    case_set_retention_review(user=prosecutor, case_id=case.pk, review_date=REVIEW, reason=f"trial of {SENTINEL}", now=NOW)
    data = form_data("2ap-8-order", "US")
    data["summary_of_facts"] = f"{SENTINEL} sent phishing e-mails."
    order, _ = services.request_draft(
        user=prosecutor,
        case_id=case.pk,
        form_id="2ap-8-order",
        data=data,
        now=NOW,
        what_if=IN_FORCE,
        idempotency_key=f"key-{SENTINEL}",
    )
    services.request_transition(user=prosecutor, request_id=order.pk, target="issued", now=NOW, note=f"sent for {SENTINEL}")
    services.request_record_service(
        user=prosecutor, request_id=order.pk, now=NOW + timedelta(days=1), note=f"served, {SENTINEL} informed"
    )
    returning = order.deadlines.filter(done_at__isnull=True).order_by("pk").first()
    assert returning is not None
    services.deadline_mark_done(
        user=prosecutor, deadline_id=returning.pk, reason=f"data of {SENTINEL} received", now=NOW + timedelta(days=2)
    )
    return case, order


def _tables_holding(text: str) -> list[str]:
    """Every table of the database in which some row holds ``text``, in any column."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  # names from the schema
            if any(text in str(row) for row in cursor.fetchall()):
                found.append(table)
    return found


def test_once_a_case_is_erased_no_table_holds_its_personal_data(fr: Org, system: User) -> None:
    case, _ = _case_full_of_the_sentinel(fr, "PAR-2026-9001")
    assert {"cases_case", "cases_request", "cases_transition", "cases_deadline", "cases_attachment", "audit_audittext"} <= set(
        _tables_holding(SENTINEL)
    )
    assert SENTINEL not in str(list(AuditEntry.objects.values_list("justification", "details")))  # never in the chain

    assert retention_run(actor=system, now=RUN).erased == [case.pk]

    assert _tables_holding(SENTINEL) == []
    assert verify().ok
    case.refresh_from_db()
    assert (case.reference, case.title) == ("PAR-2026-9001", "[erased]")


def test_the_trail_still_says_who_did_what_and_that_the_text_was_erased(fr: Org, system: User) -> None:
    case, order = _case_full_of_the_sentinel(fr, "PAR-2026-9002")
    retention_run(actor=system, now=RUN)
    view = AuditEntry.objects.get(event=Event.VIEW, object_type="case", object_id=str(case.pk))
    assert (view.actor, view.justification_text) == (fr[Role.PROSECUTOR].username, ERASED)
    served, done = AuditEntry.objects.filter(event=Event.CHANGE, object_type="request", object_id=str(order.pk)).order_by("seq")
    assert readable_details(served) == {
        "served_at": (NOW + timedelta(days=1)).isoformat(),
        "citation": "CETS 224 Art 8(6)(a)",
        "note": ERASED,
    }
    assert readable_details(done)["reason"] == ERASED
    erasure = AuditEntry.objects.get(event=Event.ERASE)
    assert (erasure.organisation, erasure.details) == (fr.organisation.name, {"covers": {"request": [order.pk]}})
    assert "Art 14(5)" in erasure.justification_text


def test_the_texts_of_cases_not_yet_due_are_kept(fr: Org, system: User) -> None:
    kept, _ = _case_full_of_the_sentinel(fr, "PAR-2026-9003")
    Case.objects.filter(pk=kept.pk).update(retention_review_date=REVIEW + timedelta(days=1))
    assert retention_run(actor=system, now=RUN).erased == []
    view = AuditEntry.objects.get(event=Event.VIEW, object_id=str(kept.pk))
    assert view.justification_text == f"hearing of {SENTINEL}"


@contextmanager
def _text_trigger_off() -> Iterator[None]:
    """An attacker with DDL rights switches off the trigger that refuses changes to the texts."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_audittext DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_text_no_update")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_audittext ENABLE TRIGGER USER")
        else:
            for statement in _MIGRATION.SQLITE:
                cursor.execute(statement)


def test_the_database_refuses_to_change_a_kept_text(fr: Org) -> None:
    _case_full_of_the_sentinel(fr, "PAR-2026-9004")
    with pytest.raises(DatabaseError, match="erased, never changed"), transaction.atomic():
        AuditText.objects.filter(place="justification").update(text="routine check")


def test_a_kept_text_that_was_changed_is_named_by_verification(fr: Org) -> None:
    case, _ = _case_full_of_the_sentinel(fr, "PAR-2026-9005")
    view = AuditEntry.objects.get(event=Event.VIEW, object_id=str(case.pk))
    with _text_trigger_off():
        AuditText.objects.filter(entry=view).update(text="routine check")
    verdict = verify()
    assert (verdict.ok, verdict.first_bad_seq, verdict.checked) == (False, view.seq, view.seq - 1)
    assert "does not match the record's commitment (edited)" in verdict.problem


def test_a_text_removed_without_an_erasure_record_is_named_by_verification(fr: Org) -> None:
    case, _ = _case_full_of_the_sentinel(fr, "PAR-2026-9006")
    view = AuditEntry.objects.get(event=Event.VIEW, object_id=str(case.pk))
    AuditText.objects.filter(entry=view).delete()
    verdict = verify()
    assert (verdict.ok, verdict.first_bad_seq) == (False, view.seq)
    assert "removed without an erasure record" in verdict.problem


def test_auditors_read_the_texts_through_the_api_and_then_that_they_were_erased(fr: Org, system: User, api: Api) -> None:
    case, order = _case_full_of_the_sentinel(fr, "PAR-2026-9007")

    def texts() -> dict[str, object]:
        items = api.get("/audit", fr[Role.AUDITOR], justification="quarterly review", event="view", object_type="case").json()
        served = api.get(
            "/audit",
            fr[Role.AUDITOR],
            justification="quarterly review",
            object_type="request",
            object_id=str(order.pk),
            event="change",
        )
        return {"justification": items["items"][0]["justification"], "note": served.json()["items"][0]["details"]["note"]}

    assert texts() == {"justification": f"hearing of {SENTINEL}", "note": f"served, {SENTINEL} informed"}
    retention_run(actor=system, now=RUN)
    assert texts() == {"justification": ERASED, "note": ERASED}
    erasure = api.get("/audit", fr[Role.AUDITOR], justification="quarterly review", event="erase").json()["items"]
    assert [(e["object_id"], e["justification"]) for e in erasure] == [
        (str(case.pk), "retention review date passed (2AP Art 14(5))")
    ]
