"""The decision clock of an authority notified of a request, which both sides see: when it received
the notification, how long it has to decide (the route advice's deadline created on the request at
issue, found by its rule id, or else the period of the legal reference: exchange/grounds.py), the
time elapsed and the time left, and when it decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cyberspex.web.cases.models import Deadline
from cyberspex.web.exchange import grounds
from cyberspex.web.exchange.models import Delivery


@dataclass(frozen=True)
class Clock:
    period: grounds.Period
    started_at: datetime  # receipt of the notification: the delivery
    due_at: datetime | None  # None: no period is set ("without undue delay")
    deadline: Deadline | None  # the request's deadline the clock is, if the route advice created one
    decided_at: datetime | None  # the authority's conclusive decision
    elapsed: timedelta  # until the decision, or until now
    left: timedelta | None  # until due, while undecided and not overdue
    overdue: bool

    @property
    def running(self) -> bool:
        return self.decided_at is None


def _emergency(delivery: Delivery) -> bool:
    return bool(delivery.request.data.get("emergency"))


def _advice_deadline(delivery: Delivery) -> Deadline | None:
    """The Art 12(1) review deadline the route advice created on the request at issue, if any."""
    found = {d.rule: d for d in delivery.request.deadlines.filter(rule__in=grounds.ENFORCING_RULES).order_by("pk")}
    wanted = "reg.epoc.art12.1.review_emergency" if _emergency(delivery) else "reg.epoc.art12.1.review"
    return found.get(wanted) or next(iter(found.values()), None)


def _period(delivery: Delivery, deadline: Deadline | None) -> grounds.Period | None:
    competence = grounds.competence(delivery.role)
    if competence is None:
        return None
    if competence is grounds.NOTIFIED:
        return grounds.NOTIFIED_PERIOD
    if deadline is not None:
        return grounds.ENFORCING_RULES[deadline.rule]
    return grounds.ENFORCING_EMERGENCY_PERIOD if _emergency(delivery) else grounds.ENFORCING_PERIOD


def decision_clock(delivery: Delivery, now: datetime) -> Clock | None:
    """The clock of ``delivery`` if it was received by a notified or enforcing authority; None otherwise."""
    competence = grounds.competence(delivery.role)
    if competence is None:
        return None
    deadline = _advice_deadline(delivery) if competence is grounds.ENFORCING else None
    period = _period(delivery, deadline)
    if period is None:  # every competence has a period (exchange/grounds.py): a table without one is a bug
        raise LookupError(f"no decision period for deliveries received as {delivery.role}")
    started = delivery.delivered_at
    due = deadline.due_at if deadline is not None else (started + period.span if period.span is not None else None)
    conclusive = delivery.decisions.filter(kind__in=competence.conclusive).order_by("at", "pk").first()
    decided_at = conclusive.at if conclusive is not None else None
    until = decided_at or now
    overdue = due is not None and until > due
    left = due - now if due is not None and decided_at is None and not overdue else None
    return Clock(period, started, due, deadline, decided_at, until - started, left, overdue)
