"""The request lifecycle: the only transitions allowed, and who may make them."""

from __future__ import annotations

from cyberspex.web.accounts.access import Action
from cyberspex.web.cases.models import State

S = State
TRANSITIONS: dict[tuple[State, State], Action] = {
    (S.DRAFT, S.AWAITING_APPROVAL): Action.SUBMIT_FOR_APPROVAL,
    (S.DRAFT, S.ISSUED): Action.ISSUE,  # only when the request needs no approval
    (S.DRAFT, S.WITHDRAWN): Action.WITHDRAW,
    (S.AWAITING_APPROVAL, S.VALIDATED): Action.APPROVE,  # approve / validate (cases/approval.py)
    (S.AWAITING_APPROVAL, S.ISSUED): Action.APPROVE,  # validate and issue at once (API)
    (S.AWAITING_APPROVAL, S.DRAFT): Action.APPROVE,  # returned with comments
    (S.AWAITING_APPROVAL, S.WITHDRAWN): Action.WITHDRAW,
    (S.VALIDATED, S.ISSUED): Action.ISSUE,
    (S.VALIDATED, S.WITHDRAWN): Action.WITHDRAW,
    **{(S.ISSUED, to): Action.RECORD_OUTCOME for to in (S.ACKNOWLEDGED, S.ANSWERED, S.REFUSED, S.PARTIALLY_ANSWERED, S.LAPSED)},
    **{(S.ACKNOWLEDGED, to): Action.RECORD_OUTCOME for to in (S.ANSWERED, S.REFUSED, S.PARTIALLY_ANSWERED, S.LAPSED)},
    (S.ISSUED, S.WITHDRAWN): Action.WITHDRAW,
    (S.ACKNOWLEDGED, S.WITHDRAWN): Action.WITHDRAW,
    **{(done, S.CLOSED): Action.RECORD_OUTCOME for done in (S.ANSWERED, S.REFUSED, S.PARTIALLY_ANSWERED, S.LAPSED)},
}


def action_for(current: State, target: State) -> Action | None:
    """The permission a transition needs, or None when the lifecycle forbids it."""
    return TRANSITIONS.get((current, target))
