"""Changing a case (editing.py): the fields that change are recorded, not their personal values;
another organisation's case does not exist; a role without EDIT_CASE is refused; the retention
review date moves only forward, with a reason that is erasable with the case."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cyberspex.web.accounts import access
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.audit.personal import readable_details
from cyberspex.web.cases.editing import case_patch, case_set_retention_review, case_update
from cyberspex.web.cases.models import Case
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Org
from tests.web.helpers import CASE_FIELDS, NOW, REVIEW, make_case

SENTINEL = "Quokka-Sentinel-5512"


def _changes(case_id: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=Event.CHANGE, object_type="case", object_id=str(case_id)).order_by("seq"))


@pytest.fixture
def no_edit_for_investigators(monkeypatch: pytest.MonkeyPatch) -> None:
    """A deployment where investigators may see cases but not change them."""
    grants = dict(access.GRANTS)
    grants[access.Action.EDIT_CASE] = frozenset({Role.PROSECUTOR, Role.SUPERVISOR})
    monkeypatch.setattr(access, "GRANTS", grants)


def test_it_changes_the_case_and_records_which_fields_changed_but_not_their_values(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    persons = [{"name": f"Jane {SENTINEL}", "role": "witness"}]
    updated, changed = case_update(
        user=fr[Role.INVESTIGATOR],
        case_id=case.pk,
        changes={"summary_of_facts": f"{SENTINEL} was seen", "persons": persons, "classification": "confidential"},
        now=NOW,
    )
    assert changed == ["summary_of_facts", "persons", "classification"]
    case.refresh_from_db()
    assert (case.summary_of_facts, case.persons, case.classification) == (f"{SENTINEL} was seen", persons, "confidential")
    [entry] = _changes(case.pk)
    assert (entry.actor, entry.details["changed"]) == (fr[Role.INVESTIGATOR].username, changed)
    assert entry.details["classification"] == {"from": "restricted", "to": "confidential"}
    assert SENTINEL not in str(AuditEntry.objects.values_list("details", "justification"))
    assert updated.pk == case.pk


def test_a_change_that_changes_nothing_records_nothing(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    _case, changed = case_update(user=fr[Role.PROSECUTOR], case_id=case.pk, changes={"title": case.title}, now=NOW)
    assert changed == []
    assert _changes(case.pk) == []


def test_another_organisations_case_does_not_exist(fr: Org, de: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    with pytest.raises(ApplicationError) as refused:
        case_update(user=de[Role.PROSECUTOR], case_id=case.pk, changes={"title": "Mine now"}, now=NOW)
    assert refused.value.status == 404
    with pytest.raises(ApplicationError) as moved:
        case_set_retention_review(user=de[Role.PROSECUTOR], case_id=case.pk, review_date=REVIEW, reason="x", now=NOW)
    assert moved.value.status == 404
    assert Case.objects.get(pk=case.pk).title == CASE_FIELDS["title"]


@pytest.mark.usefixtures("no_edit_for_investigators")
def test_a_role_without_edit_case_is_refused_with_403(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    with pytest.raises(ApplicationError) as refused:
        case_update(user=fr[Role.INVESTIGATOR], case_id=case.pk, changes={"title": "Other"}, now=NOW)
    assert refused.value.status == 403
    assert _changes(case.pk) == []


def test_a_bad_identifier_is_refused_with_its_field_and_nothing_changes(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    bad = [{"kind": "email", "value": "evil\u202egpj.exe@mail.example.com"}]
    with pytest.raises(ApplicationError) as refused:
        case_update(user=fr[Role.PROSECUTOR], case_id=case.pk, changes={"identifiers": bad, "title": "New"}, now=NOW)
    assert (refused.value.status, refused.value.field) == (422, "identifiers.0.value")
    case.refresh_from_db()
    assert case.title != "New"
    assert _changes(case.pk) == []


def test_the_reference_cannot_be_changed(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    with pytest.raises(ApplicationError) as refused:
        case_update(user=fr[Role.PROSECUTOR], case_id=case.pk, changes={"reference": "OTHER"}, now=NOW)
    assert (refused.value.status, refused.value.field) == (422, "reference")


def test_the_retention_review_date_moves_with_a_reason_recorded_apart(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    later = REVIEW + timedelta(days=365)
    case_set_retention_review(
        user=fr[Role.PROSECUTOR], case_id=case.pk, review_date=later, reason=f"trial of {SENTINEL} pending", now=NOW
    )
    case.refresh_from_db()
    assert case.retention_review_date == later
    [entry] = _changes(case.pk)
    assert readable_details(entry) == {
        "retention_review_date": {"from": REVIEW.isoformat(), "to": later.isoformat()},
        "citation": "CETS 224 Art 14(5)",
        "reason": f"trial of {SENTINEL} pending",
    }
    assert SENTINEL not in str(entry.details)  # sealed: erasable with the case (ADR 0013)


@pytest.mark.parametrize(
    ("review", "reason", "field"),
    [
        (date(2026, 11, 28), "still needed", "retention_review_date"),  # today (NOW) is not in the future
        (date(2026, 1, 1), "still needed", "retention_review_date"),
        (REVIEW, "   ", "reason"),
    ],
)
def test_a_review_date_not_in_the_future_or_without_a_reason_is_refused(fr: Org, review: date, reason: str, field: str) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    with pytest.raises(ApplicationError) as refused:
        case_set_retention_review(user=fr[Role.PROSECUTOR], case_id=case.pk, review_date=review, reason=reason, now=NOW)
    assert (refused.value.status, refused.value.field) == (422, field)
    case.refresh_from_db()
    assert case.retention_review_date == REVIEW


def test_a_patch_changes_contents_and_review_date_together_or_not_at_all(fr: Org) -> None:
    case = make_case(fr[Role.PROSECUTOR])
    with pytest.raises(ApplicationError) as refused:
        case_patch(
            user=fr[Role.PROSECUTOR],
            case_id=case.pk,
            body={"title": "Changed", "retention_review_date": REVIEW + timedelta(days=1)},
            now=NOW,
        )
    assert (refused.value.status, refused.value.field) == (422, "retention_review_reason")
    case.refresh_from_db()
    assert case.title == CASE_FIELDS["title"]  # the title change was rolled back with the refusal
