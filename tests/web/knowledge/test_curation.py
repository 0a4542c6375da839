"""Curation of the reference data: proposals checked like shipped data, four-eyes review,
versions, conflicts, and a publication changing the route advice at once.

The treaty facts proposed here are hypothetical (France and Germany have signed CETS 224, not
ratified it): they exercise the mechanism, they are not reference data."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User

from cyberspex.law.model import Relation, Treaty
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry
from cyberspex.web.errors import ApplicationError
from cyberspex.web.knowledge import cache, curation, reference
from cyberspex.web.knowledge.curation_facts import Fact, propose_fact
from cyberspex.web.knowledge.models import Change, ChangeStatus, Version
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW

SOURCE = curation.SourceInput(
    url="https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=224",
    title="CoE Treaty Office chart, CETS 224",
    kind="official",
    as_of=date(2026, 3, 2),
    verified_by="S. Rossi",
    reason="instrument deposited (hypothetical, for the tests)",
)


def ratification(state: str, day: date = date(2026, 3, 1)) -> Fact:
    return Fact(state=state, treaty="cets224", what="consent", date=day, kind="ratification")


@pytest.fixture
def curators(fr: Org, de: Org) -> tuple[User, User]:
    return fr[Role.CURATOR], de[Role.CURATOR]


def test_a_proposal_records_the_old_and_new_value_with_its_source(curators: tuple[User, User]) -> None:
    change = propose_fact(curators[0], fact=ratification("FR"), source=SOURCE, now=NOW)
    assert (change.status, change.file, change.path) == (ChangeStatus.PROPOSED, "states/FR.yaml", "cets224")
    assert change.old_value["status"]["value"] == "signatory"
    assert change.new_value["status"] == {"value": "party", "source": change.source_id, "as_of": "2026-03-02", "verified": True}
    assert change.new_value["consent"]["date"] == "2026-03-01"
    assert AuditEntry.objects.filter(object_type="curation_change", object_id=str(change.pk), event="create").exists()


def test_a_proposal_that_makes_the_data_invalid_is_refused_with_every_problem_named(curators: tuple[User, User]) -> None:
    typed_in = Fact(state="FR", treaty="cets224", what="entry_into_force", date=date(2026, 6, 1))
    with pytest.raises(ApplicationError) as refused:
        propose_fact(curators[0], fact=typed_in, source=SOURCE, now=NOW)
    assert refused.value.status == 422
    assert refused.value.extra["problems"] == [
        {
            "file": "states/FR.yaml",
            "key": "cets224.entry_into_force",
            "message": "CETS 224 entry into force is computed from Art 16(3)-(4), never typed in",
        }
    ]
    assert not Change.objects.exists()


def test_a_consent_before_the_source_was_consulted_is_refused_by_the_same_checks(curators: tuple[User, User]) -> None:
    with pytest.raises(ApplicationError, match=r"later than the as_of date of its source"):
        propose_fact(curators[0], fact=ratification("FR", date(2026, 5, 1)), source=SOURCE, now=NOW)


def test_only_a_curator_may_propose(fr: Org) -> None:
    with pytest.raises(ApplicationError, match="only a reference-data curator") as refused:
        propose_fact(fr[Role.PROSECUTOR], fact=ratification("FR"), source=SOURCE, now=NOW)
    assert refused.value.status == 403


def test_a_curator_may_not_publish_their_own_change(curators: tuple[User, User]) -> None:
    change = propose_fact(curators[0], fact=ratification("FR"), source=SOURCE, now=NOW)
    with pytest.raises(ApplicationError, match="another curator must review it") as refused:
        curation.publish(curators[0], change_id=change.pk, now=NOW)
    assert refused.value.status == 403
    with pytest.raises(ApplicationError, match="another curator must review it"):
        curation.reject(curators[0], change_id=change.pk, now=NOW, reason="no")
    assert not Version.objects.exists()


def test_a_second_curator_publishes_and_the_version_says_who_when_what_and_why(curators: tuple[User, User]) -> None:
    change = propose_fact(curators[0], fact=ratification("FR"), source=SOURCE, now=NOW)
    version = curation.publish(curators[1], change_id=change.pk, now=NOW, reason="checked against the chart")
    assert (version.number, version.published_by, version.published_at) == (1, curators[1], NOW)
    assert version.reason == "checked against the chart"
    assert "-  value: signatory" in version.diff
    assert "+  value: party" in version.diff
    assert version.data_version == reference.data_version()
    assert version.data_version.endswith(f"+curated-1-{version.fingerprint[:10]}")
    change.refresh_from_db()
    assert (change.status, change.reviewer) == (ChangeStatus.PUBLISHED, curators[1])


def test_publication_changes_the_data_in_use_and_its_version(curators: tuple[User, User]) -> None:
    before = reference.data_version()
    assert reference.current_reference().states["FR"].treaties[Treaty.CETS_224].relation is Relation.SIGNATORY
    change = propose_fact(curators[0], fact=ratification("FR"), source=SOURCE, now=NOW)
    curation.publish(curators[1], change_id=change.pk, now=NOW)
    assert reference.data_version() != before
    treaty = reference.current_reference().states["FR"].treaties[Treaty.CETS_224]
    assert treaty.relation is Relation.PARTY
    assert treaty.consent is not None
    assert treaty.consent.provenance.source == change.source_id


def test_a_result_cached_per_data_version_is_computed_again_after_a_publication(curators: tuple[User, User]) -> None:
    calls: list[str] = []

    @cache.per_data_version(maxsize=4)
    def fr_relation() -> Relation:
        calls.append("computed")
        return reference.current_reference().states["FR"].treaties[Treaty.CETS_224].relation

    assert fr_relation() is Relation.SIGNATORY
    assert fr_relation() is Relation.SIGNATORY
    change = propose_fact(curators[0], fact=ratification("FR"), source=SOURCE, now=NOW)
    curation.publish(curators[1], change_id=change.pk, now=NOW)
    assert fr_relation() is Relation.PARTY
    assert calls == ["computed", "computed"]


def test_a_change_of_a_value_published_in_between_is_a_conflict(curators: tuple[User, User]) -> None:
    first = propose_fact(curators[0], fact=ratification("FR"), source=SOURCE, now=NOW)
    second = propose_fact(curators[0], fact=ratification("FR", date(2026, 2, 27)), source=SOURCE, now=NOW)
    curation.publish(curators[1], change_id=first.pk, now=NOW)
    with pytest.raises(ApplicationError, match="changed after this change was proposed") as refused:
        curation.publish(curators[1], change_id=second.pk, now=NOW)
    assert refused.value.status == 409
    assert Version.objects.count() == 1


def test_a_rejection_needs_a_reason_and_is_recorded(curators: tuple[User, User]) -> None:
    change = propose_fact(curators[0], fact=ratification("FR"), source=SOURCE, now=NOW)
    with pytest.raises(ApplicationError, match="say why"):
        curation.reject(curators[1], change_id=change.pk, now=NOW, reason=" ")
    rejected = curation.reject(curators[1], change_id=change.pk, now=NOW, reason="the chart does not show it")
    assert (rejected.status, rejected.decision_note) == (ChangeStatus.REJECTED, "the chart does not show it")
    with pytest.raises(ApplicationError, match="only a proposed change can be published") as refused:
        curation.publish(curators[1], change_id=change.pk, now=NOW)
    assert refused.value.status == 409


def test_the_proposer_may_withdraw_their_change_and_no_one_else(curators: tuple[User, User]) -> None:
    change = propose_fact(curators[0], fact=ratification("FR"), source=SOURCE, now=NOW)
    with pytest.raises(ApplicationError, match="only the curator who proposed"):
        curation.withdraw(curators[1], change_id=change.pk, now=NOW)
    assert curation.withdraw(curators[0], change_id=change.pk, now=NOW).status == ChangeStatus.WITHDRAWN


# -- the route advice follows a publication ----------------------------------------------------


def _art7(api: Api) -> dict[str, Any]:
    answer = api.get("/routes", issuing="RS", provider_state="HU", data="subscriber", as_of="2026-11-28")
    assert answer.status_code == 200, answer.json()
    return next(r for r in answer.json()["routes"] if r["id"] == "2ap-7")


def test_publishing_ratifications_that_bring_cets_224_into_force_opens_an_art_7_route(
    api: Api, curators: tuple[User, User]
) -> None:
    closed = _art7(api)
    assert closed["status"] == "unavailable"
    assert "not_in_force" in [reason["code"] for reason in closed["reasons"]]
    # With Hungary, Japan and Serbia, two more consents make the five of Art 16(3): in force on 1 July 2026.
    for state, day in (("FR", date(2026, 3, 1)), ("DE", date(2026, 3, 2))):
        change = propose_fact(curators[0], fact=ratification(state, day), source=SOURCE, now=NOW)
        curation.publish(curators[1], change_id=change.pk, now=NOW)
    opened = _art7(api)
    assert "not_in_force" not in [reason["code"] for reason in opened["reasons"]]
    assert opened["status"] != "unavailable"


def test_a_signature_dated_before_the_treaty_was_opened_for_signature_is_refused(curators: tuple[User, User]) -> None:
    early = Fact(state="LV", treaty="cets224", what="signature", date=date(2021, 1, 1))
    with pytest.raises(ApplicationError, match=r"before .* was opened for signature \(2022-05-12\)") as refused:
        propose_fact(curators[0], fact=early, source=SOURCE, now=NOW)
    assert refused.value.status == 422
    assert not Change.objects.exists()


def test_a_date_after_today_or_a_source_consulted_after_today_is_refused(curators: tuple[User, User]) -> None:
    future = Fact(state="FR", treaty="cets224", what="consent", date=NOW.date() + timedelta(days=1), kind="ratification")
    with pytest.raises(ApplicationError, match="is after today"):
        propose_fact(curators[0], fact=future, source=SOURCE, now=NOW)
    consulted_later = dataclasses.replace(SOURCE, as_of=NOW.date() + timedelta(days=1))
    with pytest.raises(ApplicationError, match="cannot have been consulted after today"):
        propose_fact(curators[0], fact=ratification("FR"), source=consulted_later, now=NOW)
    assert not Change.objects.exists()
