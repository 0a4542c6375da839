"""The request lifecycle: every pair of states, who may move a request, four eyes, deadlines."""

from __future__ import annotations

import copy
from datetime import timedelta
from itertools import product
from typing import Any

import pytest
from django.contrib.auth.models import User

from cyberspex.law.scenario import WhatIf
from cyberspex.web.accounts.access import GRANTS, ISSUING, Action
from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.chain import verify
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases import services
from cyberspex.web.cases.lifecycle import TRANSITIONS, action_for
from cyberspex.web.cases.models import Case, Deadline, Request, State, Transition
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, form_data, make_case, make_request, move

PAIRS = list(product(State, State))  # every (from, to), the same state included
ALLOWED = sorted(TRANSITIONS, key=lambda pair: (pair[0].value, pair[1].value))


def _id(pair: tuple[State, State]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


_drafted: dict[str, Any] = {}  # the fields of one real eu-epoc draft FR->DE (route advice included), made once


def _request_in(fr: Org, state: State, *, drafter: User, case: Case | None = None) -> Request:
    """A valid request put in ``state`` directly: how it got there is not the point, so the fields of
    one real draft (an EPOC for subscriber data) are copied (fast) and it needs approval unless its
    drafter may issue on their own; a validated one carries the judge's validation."""
    case = case or make_case(fr[Role.PROSECUTOR])
    if not _drafted:
        made = make_request(fr[Role.PROSECUTOR], case)
        _drafted.update({f: getattr(made, f) for f in ("form_id", "route_id", "recipient_state", "data", "route_advice")})
    validation: dict[str, Any] = {}
    if state is State.VALIDATED:
        judge = fr[Role.JUDGE]
        validation = {"validated_by": judge, "validated_at": NOW, "validated_capacity": "judge_court", "approved_by": judge}
    return Request.objects.create(
        case=case,
        organisation=case.organisation,
        created_by=drafter,
        created_at=NOW,
        state=state,
        requires_approval=drafter.membership.role == Role.INVESTIGATOR,
        **validation,
        **copy.deepcopy(_drafted),
    )


def _drafter(fr: Org, pair: tuple[State, State], actor: Role) -> User:
    """Someone other than ``actor``; for draft->issued, someone who may issue an EPOC for
    subscriber data alone (Reg 2023/1543 Art 4(1)(a))."""
    if pair == (State.DRAFT, State.ISSUED):
        return fr[Role.JUDGE if actor is Role.PROSECUTOR else Role.PROSECUTOR]
    return fr[Role.INVESTIGATOR]


def test_it_names_an_action_for_exactly_the_transitions_in_the_table() -> None:
    assert {pair for pair in PAIRS if action_for(*pair) is not None} == set(TRANSITIONS)
    assert not any(action_for(state, state) for state in State)
    assert all(action_for(State.CLOSED, to) is None for to in State)  # closed is final
    assert all(action_for(State.WITHDRAWN, to) is None for to in State)  # and so is withdrawn


def _attempt(fr: Org, api: Api, case: Case, pair: tuple[State, State]) -> list[str]:
    """Try one move through the API as a judge (who holds every lifecycle action and may issue and
    validate an EPOC alone); what is wrong."""
    source, target = pair
    actor = fr[Role.JUDGE]
    request = _request_in(fr, source, drafter=_drafter(fr, pair, Role.JUDGE), case=case)
    audit_before = AuditEntry.objects.count()
    response = api.post(f"/requests/{request.pk}/transitions", {"state": target.value, "note": "n"}, actor)
    request.refresh_from_db()
    transitions = list(Transition.objects.filter(request=request))
    new_audit = list(AuditEntry.objects.order_by("seq")[audit_before:])
    deadlines = Deadline.objects.filter(request=request).count()
    if pair not in TRANSITIONS:
        refused = (response.status_code, response.json()["field"], request.state, transitions, new_audit, deadlines)
        return [] if refused == (409, "state", source, [], [], 0) else [f"{_id(pair)} not refused with 409: {refused}"]
    if response.status_code != 200:
        return [f"{_id(pair)} refused: {response.status_code} {response.json()}"]
    approval = pair in ((State.AWAITING_APPROVAL, State.ISSUED), (State.AWAITING_APPROVAL, State.VALIDATED))
    details: dict[str, Any] = {"from": source, "to": target}
    if approval:
        details |= {"validated_by": actor.username, "capacity": "judge_court", "citation": "Regulation (EU) 2023/1543 Art 4(1)"}
    moved = [(t.from_state, t.to_state, t.by, t.at, t.note) for t in transitions]
    recorded = [(e.event, e.object_type, e.object_id, {k: v for k, v in e.details.items() if k != "comments"}) for e in new_audit]
    validator = actor if approval else fr[Role.JUDGE] if source is State.VALIDATED else None
    wrong = {
        "state": (response.json()["state"], request.state) == (target, target),
        "one transition row": moved == [(source, target, actor, NOW, "n")],
        "one audit record": recorded == [(Event.APPROVE if approval else Event.TRANSITION, "request", str(request.pk), details)],
        "approver": request.approved_by == validator,
        "issue time": request.issued_at == (NOW if target is State.ISSUED else None),
        "deadlines": deadlines == (1 if target is State.ISSUED else 0),
    }
    return [f"{_id(pair)}: {what}" for what, right in wrong.items() if not right]


@pytest.mark.parametrize("source", State)
def test_it_moves_along_the_lifecycle_and_answers_409_off_it(fr: Org, api: Api, source: State) -> None:
    """Every target from ``source``: the moves in TRANSITIONS succeed, with one Transition row and one
    audit record; every other move answers 409 and changes nothing."""
    api.token(fr[Role.JUDGE])  # made (and audited) before any counting
    case = make_case(fr[Role.PROSECUTOR])
    wrong = [problem for target in State for problem in _attempt(fr, api, case, (source, target))]
    assert wrong == []


# Granted the action, but Reg 2023/1543 Art 4(1) lets neither a supervisor nor another competent
# authority issue an EPOC for subscriber data alone, nor a supervisor validate one: 409.
ART_4_REFUSES = {
    ((State.DRAFT, State.ISSUED), Role.SUPERVISOR),
    ((State.DRAFT, State.ISSUED), Role.OTHER_AUTHORITY),
    ((State.AWAITING_APPROVAL, State.VALIDATED), Role.SUPERVISOR),
    ((State.AWAITING_APPROVAL, State.ISSUED), Role.SUPERVISOR),
}


@pytest.mark.parametrize(
    ("pair", "role"), [pytest.param(pair, role, id=f"{_id(pair)}-{role.value}") for pair in ALLOWED for role in sorted(ISSUING)]
)
def test_it_lets_exactly_the_roles_granted_the_action_make_a_transition(fr: Org, pair: tuple[State, State], role: Role) -> None:
    request = _request_in(fr, pair[0], drafter=_drafter(fr, pair, role))
    granted = role in GRANTS[TRANSITIONS[pair]]
    if granted and (pair, role) not in ART_4_REFUSES:
        moved = services.request_transition(user=fr[role], request_id=request.pk, target=pair[1], now=NOW, note="n")
        assert moved.state == pair[1]
        return
    with pytest.raises(ApplicationError) as refused:
        services.request_transition(user=fr[role], request_id=request.pk, target=pair[1], now=NOW, note="n")
    assert refused.value.status == (409 if granted else 403)
    if granted:
        assert "Art 4(1)" in refused.value.message
    request.refresh_from_db()
    assert request.state == pair[0]


def test_it_refuses_an_unknown_target_state_with_422(fr: Org, api: Api) -> None:
    request = _request_in(fr, State.DRAFT, drafter=fr[Role.INVESTIGATOR])
    response = api.post(f"/requests/{request.pk}/transitions", {"state": "sent"}, fr[Role.JUDGE])
    assert (response.status_code, response.json()["field"]) == (422, "state")


# -- four eyes --------------------------------------------------------------------------------


def test_it_does_not_let_the_drafter_approve_their_own_request(fr: Org) -> None:
    prosecutor, supervisor = fr[Role.PROSECUTOR], fr[Role.SUPERVISOR]
    request = make_request(prosecutor, make_case(prosecutor), "2ap-7-order", "HU")  # may need supervision: approval
    assert request.requires_approval
    move(prosecutor, request, "awaiting_approval")
    with pytest.raises(ApplicationError) as refused:
        move(prosecutor, request, "issued")
    assert refused.value.status == 403
    assert "four eyes" in refused.value.message
    request.refresh_from_db()
    assert (request.state, request.approved_by, request.issued_at) == (State.AWAITING_APPROVAL, None, None)
    approved = move(supervisor, request, "issued")
    assert (approved.state, approved.approved_by, approved.issued_at) == (State.ISSUED, supervisor, NOW)
    assert AuditEntry.objects.order_by("-seq").first().event == Event.APPROVE
    assert verify().ok


def test_it_keeps_four_eyes_when_a_prosecutor_chose_to_ask_for_approval(fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "awaiting_approval")
    assert not request.requires_approval
    with pytest.raises(ApplicationError) as refused:
        move(prosecutor, request, "issued")
    assert refused.value.status == 403


def test_it_refuses_to_issue_straight_from_draft_a_request_that_needs_approval(fr: Org, api: Api) -> None:
    request = make_request(fr[Role.INVESTIGATOR], make_case(fr[Role.INVESTIGATOR]))
    assert request.requires_approval
    response = api.post(f"/requests/{request.pk}/transitions", {"state": "issued"}, fr[Role.JUDGE])
    assert response.status_code == 409
    assert "validated" in response.json()["message"]
    assert "Submit it for approval" in response.json()["message"]
    request.refresh_from_db()
    assert (request.state, Deadline.objects.count(), Transition.objects.count()) == (State.DRAFT, 0, 0)


def test_it_sends_a_request_back_for_changes_and_then_issues_it_after_approval(fr: Org) -> None:
    investigator, prosecutor = fr[Role.INVESTIGATOR], fr[Role.PROSECUTOR]
    request = make_request(investigator, make_case(investigator))
    move(investigator, request, "awaiting_approval")
    services.request_transition(user=prosecutor, request_id=request.pk, target="draft", note="add the port", now=NOW)
    move(investigator, request, "awaiting_approval")
    done = move(prosecutor, request, "issued", "acknowledged", "answered", "closed")
    assert done.state == State.CLOSED
    assert list(Transition.objects.filter(request=request).order_by("pk").values_list("to_state", flat=True)) == [
        "awaiting_approval",
        "draft",
        "awaiting_approval",
        "issued",
        "acknowledged",
        "answered",
        "closed",
    ]
    assert verify().ok


def test_it_refuses_to_issue_an_invalid_form_and_lists_the_errors(fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    data = form_data("eu-epoc", "DE")
    data["addressee"]["country"] = "IE"  # the addressee must be in the recipient State
    request, _ = services.request_draft(user=prosecutor, case_id=make_case(prosecutor).pk, form_id="eu-epoc", data=data, now=NOW)
    with pytest.raises(ApplicationError) as refused:
        move(fr[Role.JUDGE], request, "issued")
    assert (refused.value.status, refused.value.field) == (422, "data")
    assert {issue["code"] for issue in refused.value.extra["issues"]} == {"wrong_entity"}
    assert not Deadline.objects.exists()


def test_it_only_lets_an_own_organisation_move_a_request(fr: Org, de: Org) -> None:
    request = make_request(fr[Role.INVESTIGATOR], make_case(fr[Role.INVESTIGATOR]))
    with pytest.raises(ApplicationError) as refused:
        move(de[Role.SUPERVISOR], request, "withdrawn")
    assert refused.value.status == 404


# -- deadlines --------------------------------------------------------------------------------


def test_it_sets_the_ten_day_epoc_deadline_when_an_eu_epoc_fr_to_de_is_issued(fr: Org, api: Api) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = move(prosecutor, make_request(prosecutor, make_case(prosecutor), "eu-epoc", "DE"), "issued")
    [deadline] = Deadline.objects.filter(request=request)
    assert (deadline.due_at, deadline.citation, deadline.rule, deadline.event) == (
        NOW + timedelta(days=10),
        "Regulation (EU) 2023/1543 Art 10(3)",
        "reg.epoc.art10.3.normal",
        "data transmitted at the latest",
    )
    listed = api.get("/deadlines", prosecutor).json()["items"]
    assert [(d["request_id"], d["citation"]) for d in listed] == [(request.pk, "Regulation (EU) 2023/1543 Art 10(3)")]
    shown = api.get(f"/requests/{request.pk}", prosecutor).json()["deadlines"]
    assert [(d["event"], d["due_at"], d["citation"], d["days_left"]) for d in shown] == [
        (deadline.event, (NOW + timedelta(days=10)).isoformat(), deadline.citation, 10)
    ]


@pytest.mark.usefixtures("exercise_instance")  # what-if drafts are issued only in exercise mode
def test_it_sets_the_thirty_day_deadline_of_a_2ap_7_order_drafted_with_the_protocol_assumed_in_force(fr: Org, api: Api) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    case = make_case(prosecutor)
    body = {"form_id": "2ap-7-order", "data": form_data("2ap-7-order", "US"), "assume_in_force": True}
    made = api.post(f"/cases/{case.pk}/requests", body, prosecutor)
    assert made.status_code == 201, made.json()
    assert made.json()["route_advice"]["what_if"]["assume_in_force"] is True
    issued = api.post(f"/requests/{made.json()['id']}/transitions", {"state": "issued"}, prosecutor)
    assert issued.status_code == 200, issued.json()
    [deadline] = Deadline.objects.filter(request_id=made.json()["id"])
    assert (deadline.due_at, deadline.citation) == (NOW + timedelta(days=30), "CETS 224 Art 7(7)")


def test_it_creates_no_deadline_before_issue(fr: Org) -> None:
    investigator = fr[Role.INVESTIGATOR]
    move(investigator, make_request(investigator, make_case(investigator)), "awaiting_approval")
    assert not Deadline.objects.exists()


def test_it_creates_a_deadline_only_for_numeric_periods_that_apply(fr: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = make_request(prosecutor, make_case(prosecutor), "eu-epoc-pr", "DE", what_if=WhatIf())
    numeric = [
        d
        for d in request.route_advice["route"]["deadlines"]
        if d["applies"] is True and ("days" in d or "hours" in d) and not d["from"].startswith("end of")
    ]
    move(prosecutor, request, "issued")
    assert sorted(Deadline.objects.values_list("rule", flat=True)) == sorted(d["rule"] for d in numeric)


def test_it_does_not_make_a_period_that_runs_from_the_end_of_another_fall_due_from_the_issue(fr: Org) -> None:
    """The EPOC-PR extension runs 30 days from the end of the 60-day period: it is not a
    deadline counted from the issue (it would fall due before the preservation it extends)."""
    prosecutor = fr[Role.PROSECUTOR]
    request = move(prosecutor, make_request(prosecutor, make_case(prosecutor), "eu-epoc-pr", "DE"), "issued")
    assert not Deadline.objects.filter(request=request, rule="reg.epoc_pr.art11.1.extension").exists()
    assert Deadline.objects.get(request=request, rule="reg.epoc_pr.art11.1.duration").due_at == NOW + timedelta(days=60)


def test_it_leaves_the_chain_intact_after_a_whole_lifecycle(fr: Org) -> None:
    investigator, prosecutor = fr[Role.INVESTIGATOR], fr[Role.PROSECUTOR]
    request = make_request(investigator, make_case(investigator))
    move(investigator, request, "awaiting_approval")
    move(prosecutor, request, "issued", "refused", "closed")
    events = list(AuditEntry.objects.order_by("seq").values_list("event", flat=True))
    assert events == [Event.CREATE, Event.CREATE, Event.TRANSITION, Event.APPROVE, Event.TRANSITION, Event.TRANSITION]
    assert verify().ok


ACTIONS_OF_THE_LIFECYCLE = {
    Action.SUBMIT_FOR_APPROVAL,
    Action.ISSUE,
    Action.APPROVE,
    Action.WITHDRAW,
    Action.RECORD_OUTCOME,
}


def test_it_guards_every_transition_with_a_lifecycle_action() -> None:
    assert set(TRANSITIONS.values()) == ACTIONS_OF_THE_LIFECYCLE
