"""What-if is for planning and exercises: a draft made under what-if assumptions cannot be
submitted for approval or issued on a normal instance; an instance in exercise mode may issue
it, and its packages then say "EXERCISE — not a legal order"."""

from __future__ import annotations

import pytest

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Request, State
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, form_data, make_case, make_request, move

ASSUMED_IN_FORCE = WhatIf(assume_in_force=True)


def what_if_draft(org: Org, role: Role = Role.PROSECUTOR) -> Request:
    user = org[role]
    return make_request(user, make_case(user), what_if=ASSUMED_IN_FORCE)


def test_a_prosecutor_cannot_issue_a_what_if_draft_on_a_normal_instance(fr: Org) -> None:
    draft = what_if_draft(fr)
    with pytest.raises(ApplicationError) as refused:
        move(fr[Role.PROSECUTOR], draft, "issued")
    assert refused.value.status == 409
    assert refused.value.field == "state"
    assert "what-if" in refused.value.message
    assert "exercise mode" in refused.value.message
    assert refused.value.extra["what_if"]["assume_in_force"] is True
    draft.refresh_from_db()
    assert (draft.state, draft.issued_at) == (State.DRAFT, None)


def test_an_investigator_cannot_submit_a_what_if_draft_for_approval_on_a_normal_instance(fr: Org) -> None:
    draft = what_if_draft(fr, Role.INVESTIGATOR)
    with pytest.raises(ApplicationError) as refused:
        move(fr[Role.INVESTIGATOR], draft, "awaiting_approval")
    assert refused.value.status == 409


def test_a_what_if_draft_may_still_be_withdrawn_on_a_normal_instance(fr: Org) -> None:
    assert move(fr[Role.PROSECUTOR], what_if_draft(fr), "withdrawn").state == State.WITHDRAWN


def test_a_draft_made_without_what_if_is_issued_as_before(fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    assert move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "issued").state == State.ISSUED


@pytest.mark.usefixtures("exercise_instance")
def test_an_exercise_instance_issues_a_what_if_draft(fr: Org) -> None:
    issued = move(fr[Role.PROSECUTOR], what_if_draft(fr), "issued")
    assert (issued.state, issued.issued_at) == (State.ISSUED, NOW)


@pytest.mark.usefixtures("exercise_instance")
def test_an_exercise_instance_lets_a_what_if_draft_go_through_approval(fr: Org) -> None:
    draft = what_if_draft(fr, Role.INVESTIGATOR)
    move(fr[Role.INVESTIGATOR], draft, "awaiting_approval")
    assert move(fr[Role.PROSECUTOR], draft, "issued").state == State.ISSUED


def test_the_api_refuses_to_issue_a_what_if_draft_with_409_and_the_reason(fr: Org, api: Api) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    body = {"form_id": "eu-epoc", "data": form_data("eu-epoc", "DE"), "assume_in_force": True}
    made = api.post(f"/cases/{make_case(prosecutor).pk}/requests", body, prosecutor)
    assert made.status_code == 201, made.json()
    refused = api.post(f"/requests/{made.json()['id']}/transitions", {"state": "issued"}, prosecutor)
    assert refused.status_code == 409
    answer = refused.json()
    assert answer["message"] == services.WHAT_IF_REFUSAL
    assert answer["field"] == "state"
    assert answer["extra"]["what_if"]["active"] is True


@pytest.mark.usefixtures("exercise_instance")
def test_the_json_package_of_an_exercise_says_it_is_not_a_legal_order(fr: Org, api: Api) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    issued = move(prosecutor, what_if_draft(fr), "issued")
    package = api.get(f"/requests/{issued.pk}/packages/provider", prosecutor).json()
    assert package["exercise"] == "EXERCISE — not a legal order"
    assert package["form"] == "eu-epoc"


def test_the_json_package_of_a_real_order_has_no_exercise_mark(fr: Org, api: Api) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    issued = move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "issued")
    assert "exercise" not in api.get(f"/requests/{issued.pk}/packages/provider", prosecutor).json()
