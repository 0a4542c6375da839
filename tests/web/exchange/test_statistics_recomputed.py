"""The statistics equal a plain recomputation from the rows, on a varied exchange, whatever the
filters, and after every kind of change to the rows that feed them (an answer, a decision, a
message or a transition added, changed or removed; a delivery answered), whether the change goes
through the models or straight to the database.

The recomputation (:func:`recomputed`) reads every row of the organisation in Python and applies
the definitions of docs/statistics.md one by one; it shares no code with the selectors.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from cyberspex.web.accounts.models import Organisation, Role
from cyberspex.web.cases.models import Deadline, Request, Transition
from cyberspex.web.exchange import statistics as stats
from cyberspex.web.exchange import statistics_durations
from cyberspex.web.exchange.models import Answer, Channel, Decision, Delivery, DeliveryRole, Message
from tests.web.conftest import Org
from tests.web.exchange.test_statistics import T0, answered, deadline, delivered, ended, issued
from tests.web.helpers import NOW

pytestmark = pytest.mark.django_db

FINAL = {"answered", "partially_answered", "refused", "lapsed", "closed", "withdrawn"}
CONCLUDING = {
    "no_objection",
    "non_disclosure",
    "ground_for_refusal",
    "refused",
    "data_passed_back",
    "emergency_not_accepted",
    "handed_off",
}
KINDS = ("no_objection", "consult", "refused", "served", "data_passed_back", "conditions", "handed_off")
ROUTES = ("2ap-7", "eu-epoc", "mla", "2ap-6")
OUTCOMES = (("data", ""), ("no_data", "identifier_not_found"), ("refused", "over_broad"), ("partial", "no_longer_retained"))


# -- the recomputation ----------------------------------------------------------------------


def _nearest_rank(values: list[float], percent: int) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent * len(ordered) / 100)) - 1]


def _durations(values: list[float], *, percentiles: bool) -> dict[str, Any]:
    found: dict[str, Any] = {"count": len(values), "average_seconds": sum(values) / len(values) if values else None}
    if percentiles:
        found.update({f"p{p}_seconds": _nearest_rank(values, p) for p in stats.PERCENTILES})
    return found


def _deadlines(deadlines: Iterable[Deadline], now: datetime) -> dict[str, int]:
    found = {"met": 0, "missed": 0, "open": 0}
    for item in deadlines:
        if item.done_at is not None:
            found["met" if item.done_at <= item.due_at else "missed"] += 1
        else:
            found["missed" if item.due_at < now else "open"] += 1
    return found


def _seconds(later: datetime | None, earlier: datetime) -> float | None:
    return None if later is None else (later - earlier).total_seconds()


def _earliest(moments: Iterable[datetime | None]) -> datetime | None:
    return min((m for m in moments if m is not None), default=None)


@dataclass
class Item:
    route: str
    state: str  # the other side's State
    status: str
    first_response: float | None
    completion: float | None


def _side(items: list[Item], requests: list[Request], deliveries: list[Delivery], now: datetime) -> dict[str, Any]:
    routes = sorted({item.route for item in items})
    deadlines = [d for r in requests for d in r.deadlines.all()]
    answers = list(Answer.objects.filter(delivery__in=[d.pk for d in deliveries]))
    decisions = list(Decision.objects.filter(delivery__in=[d.pk for d in deliveries]))
    outcomes = Counter((a.outcome, a.reason_code) for a in answers)
    return {
        "total": len(items),
        "first_response": _durations([i.first_response for i in items if i.first_response is not None], percentiles=True),
        "completion": _durations([i.completion for i in items if i.completion is not None], percentiles=True),
        "deadlines": _deadlines(deadlines, now),
        "by_route": [
            {
                "route_id": route,
                "count": sum(1 for i in items if i.route == route),
                "first_response": _durations(
                    [i.first_response for i in items if i.route == route and i.first_response is not None], percentiles=False
                ),
                "completion": _durations(
                    [i.completion for i in items if i.route == route and i.completion is not None], percentiles=False
                ),
                "deadlines": _deadlines((d for d in deadlines if d.request.route_id == route), now),
            }
            for route in routes
        ],
        "by_state": [{"state": s, "count": n} for s, n in sorted(Counter(i.state for i in items).items())],
        "states": [{"state": s, "count": n} for s, n in sorted(Counter(i.status for i in items).items())],
        "outcomes": [{"outcome": o, "reason_code": r, "count": n} for (o, r), n in sorted(outcomes.items())],
        "decisions": [{"kind": k, "count": n} for k, n in sorted(Counter(d.kind for d in decisions).items())],
    }


def _within(moment: datetime, filters: stats.Filters) -> bool:
    since, until = stats._bounds(filters)  # the period, as the page reads the dates
    return (since is None or moment >= since) and (until is None or moment < until)


def recomputed_sent(own: Organisation, filters: stats.Filters, now: datetime) -> dict[str, Any]:
    requests = [
        r
        for r in Request.objects.filter(case__organisation=own, issued_at__isnull=False)
        if _within(r.issued_at, filters)  # type: ignore[arg-type]  # not null
        and (not filters.state or r.recipient_state == filters.state)
        and (not filters.provider or r.recipient_organisation_id == filters.provider)
    ]
    items, deliveries = [], []
    for r in requests:
        mine = list(Delivery.objects.filter(request=r))
        deliveries.extend(mine)
        responded = _earliest(
            [a.at for a in Answer.objects.filter(delivery__in=mine)]
            + [d.at for d in Decision.objects.filter(delivery__in=mine)]
            + [m.at for m in Message.objects.filter(delivery__in=mine).exclude(organisation=own)]
        )
        completed = _earliest(t.at for t in r.transitions.all() if t.to_state in FINAL)
        assert r.issued_at is not None
        items.append(
            Item(r.route_id, r.recipient_state, r.state, _seconds(responded, r.issued_at), _seconds(completed, r.issued_at))
        )
    return _side(items, requests, deliveries, now)


def recomputed_received(own: Organisation, filters: stats.Filters, now: datetime) -> dict[str, Any]:
    deliveries = [
        d
        for d in Delivery.objects.filter(organisation=own).select_related("request", "signed_by")
        if _within(d.delivered_at, filters)
        and (not filters.state or d.signed_by.country == filters.state)
        and (not filters.provider or d.request.recipient_organisation_id == filters.provider)
    ]
    items = []
    for d in deliveries:
        decisions = list(Decision.objects.filter(delivery=d))
        answer = Answer.objects.filter(delivery=d).first()
        responded = _earliest(
            [answer.at if answer else None]
            + [x.at for x in decisions]
            + [m.at for m in Message.objects.filter(delivery=d).exclude(organisation=d.signed_by)]
        )
        completed = _earliest([d.answered_at] + [x.at for x in decisions if x.kind in CONCLUDING])
        items.append(
            Item(
                d.request.route_id,
                d.signed_by.country,
                d.status,
                _seconds(responded, d.delivered_at),
                _seconds(completed, d.delivered_at),
            )
        )
    requests = list(Request.objects.filter(pk__in={d.request_id for d in deliveries}))
    return _side(items, requests, deliveries, now)


def assert_same(found: Any, expected: Any, where: str = "") -> None:
    """Equal, floats to a relative 1e-9 (the database sums in another order)."""
    if isinstance(expected, dict):
        assert isinstance(found, dict), where
        assert sorted(found) == sorted(expected), where
        for key in expected:
            assert_same(found[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(found, list), where
        assert len(found) == len(expected), f"{where}: {found} != {expected}"
        for n, (a, b) in enumerate(zip(found, expected, strict=True)):
            assert_same(a, b, f"{where}[{n}]")
    elif isinstance(expected, float):
        assert found == pytest.approx(expected, rel=1e-9, abs=1e-6), where
    else:
        assert found == expected, where


def check(own: Organisation, filters: stats.Filters | None = None) -> None:
    filters = filters or stats.Filters()
    found = stats.as_json(stats.statistics(own=own, filters=filters, now=NOW))
    if found["sent"] is not None:
        assert_same(found["sent"], recomputed_sent(own, filters, NOW), f"{own.name} sent")
    if found["received"] is not None:
        assert_same(found["received"], recomputed_received(own, filters, NOW), f"{own.name} received")


# -- a varied exchange ----------------------------------------------------------------------


@dataclass
class Varied:
    orgs: list[Org]
    deliveries: list[Delivery]
    requests: list[Request]

    def organisations(self) -> list[Organisation]:
        return [org.organisation for org in self.orgs]


def _user(org: Org, delivery: Delivery) -> User:
    return org[Role.NOTIFIED_AUTHORITY] if delivery.role == DeliveryRole.NOTIFIED else org[Role.RESPONDER]


def _events(chance: random.Random, delivery: Delivery, issuer: Org, recipient: Org) -> None:
    """Messages from both sides, decisions (a notified authority) or an answer (a provider)."""
    later = delivery.delivered_at + timedelta(hours=chance.randrange(1, 400), seconds=chance.randrange(0, 3600))
    if chance.random() < 0.5:  # the issuing side writes: never a response
        Message.objects.create(
            delivery=delivery,
            channel=Channel.CLARIFICATION,
            organisation=issuer.organisation,
            author=issuer[Role.PROSECUTOR],
            body="-",
            at=delivery.delivered_at + timedelta(minutes=chance.randrange(1, 120)),
        )
    if chance.random() < 0.5:
        Message.objects.create(
            delivery=delivery,
            channel=Channel.CLARIFICATION,
            organisation=delivery.organisation,
            author=_user(recipient, delivery),
            body="-",
            at=later - timedelta(hours=chance.randrange(0, 5)),
        )
    if delivery.role == DeliveryRole.NOTIFIED:
        for _ in range(chance.randrange(0, 4)):
            Decision.objects.create(
                delivery=delivery,
                kind=chance.choice(KINDS),
                by=_user(recipient, delivery),
                at=later + timedelta(hours=chance.randrange(0, 48)),
            )
    elif chance.random() < 0.6:
        outcome, reason = chance.choice(OUTCOMES)
        answered(delivery, _user(recipient, delivery), later, outcome, reason)


@pytest.fixture
def varied(rs: Org, fr: Org, provider_de: Org, provider_ie: Org, bfj: Org) -> Varied:
    """Thirty requests of two issuing authorities, with every kind of event, at seeded random times."""
    chance = random.Random(20261128)  # noqa: S311  # a reproducible data set, not a secret
    recipients = {provider_de.organisation.pk: provider_de, provider_ie.organisation.pk: provider_ie}
    made_requests, made_deliveries = [], []
    for n in range(30):
        issuer = rs if n % 3 else fr
        to = chance.choice([provider_de, provider_ie, None])
        at = T0 - timedelta(days=chance.randrange(0, 60), minutes=chance.randrange(0, 1440))
        request = issued(
            issuer,
            chance.choice(ROUTES),
            chance.choice(["DE", "IE", "FR"]),
            at,
            to.organisation if to else None,
            reference=f"V{n}",
        )
        made_requests.append(request)
        prosecutor = issuer[Role.PROSECUTOR]
        mine = []
        if to is not None:
            mine.append(delivered(request, to.organisation, at + timedelta(minutes=chance.randrange(0, 30))))
            if chance.random() < 0.6:
                mine.append(delivered(request, bfj.organisation, at, DeliveryRole.NOTIFIED))
        for delivery in mine:
            _events(
                chance, delivery, issuer, bfj if delivery.role == DeliveryRole.NOTIFIED else recipients[delivery.organisation_id]
            )
            made_deliveries.append(delivery)
        if chance.random() < 0.3:
            ended(request, prosecutor, "acknowledged", at + timedelta(hours=chance.randrange(1, 10)))
        if chance.random() < 0.6:
            ended(request, prosecutor, chance.choice(sorted(FINAL)), at + timedelta(hours=chance.randrange(10, 900)))
            if chance.random() < 0.3:  # a later final transition does not move the completion
                ended(request, prosecutor, "closed", at + timedelta(days=chance.randrange(40, 80)))
        for _ in range(chance.randrange(0, 3)):
            due = at + timedelta(days=chance.randrange(1, 120))
            done = at + timedelta(days=chance.randrange(1, 60)) if chance.random() < 0.5 else None
            deadline(request, due, done)
    return Varied([rs, fr, provider_de, provider_ie, bfj], made_deliveries, made_requests)


# -- the figures equal the recomputation ----------------------------------------------------


def test_every_organisation_s_figures_equal_the_recomputation_from_the_rows(varied: Varied) -> None:
    for own in varied.organisations():
        check(own)


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-10-01"},
        {"end": "2026-10-15"},
        {"start": "2026-09-20", "end": "2026-10-20"},
        {"state": "DE"},
        {"state": "RS"},
        {"provider": "provider_de"},
        {"provider": "provider_ie", "start": "2026-10-01"},
    ],
)
def test_the_filtered_figures_equal_the_recomputation(varied: Varied, params: dict[str, str]) -> None:
    if "provider" in params:
        chosen = {"provider_de": varied.orgs[2], "provider_ie": varied.orgs[3]}[params["provider"]]
        params = {**params, "provider": str(chosen.organisation.pk)}
    filters = stats.parse_filters(params)
    for own in varied.organisations():
        check(own, filters)


# -- after every kind of change -------------------------------------------------------------


def _first_notified(varied: Varied) -> Delivery:
    return next(d for d in varied.deliveries if d.role == DeliveryRole.NOTIFIED)


def _first_addressed(varied: Varied, *, answered: bool) -> Delivery:
    return next(d for d in varied.deliveries if d.role == DeliveryRole.ADDRESSEE and (d.answered_at is not None) == answered)


def _add_decision(varied: Varied) -> None:
    delivery = _first_notified(varied)
    Decision.objects.create(
        delivery=delivery,
        kind="refused",
        by=varied.orgs[4][Role.NOTIFIED_AUTHORITY],
        at=delivery.delivered_at + timedelta(minutes=7),
    )


def _decision_kind_changed(_: Varied) -> None:
    Decision.objects.filter(kind__in=CONCLUDING).update(kind="consult")


def _decision_moved(_: Varied) -> None:
    decision = Decision.objects.order_by("pk").first()
    assert decision is not None
    decision.at = decision.delivery.delivered_at + timedelta(seconds=90)
    decision.save()


def _decisions_removed(varied: Varied) -> None:
    Decision.objects.filter(delivery__in=[d.pk for d in varied.deliveries[:10]]).delete()


def _message_from_the_recipient(varied: Varied) -> None:
    delivery = _first_addressed(varied, answered=False)
    Message.objects.create(
        delivery=delivery,
        channel=Channel.CLARIFICATION,
        organisation=delivery.organisation,
        author=User.objects.create(username="writer"),
        body="-",
        at=delivery.delivered_at + timedelta(minutes=3),
    )


def _message_from_the_issuer(varied: Varied) -> None:
    delivery = _first_addressed(varied, answered=False)
    Message.objects.create(
        delivery=delivery,
        channel=Channel.CLARIFICATION,
        organisation=delivery.signed_by,
        author=User.objects.create(username="writer"),
        body="-",
        at=delivery.delivered_at + timedelta(minutes=1),
    )


def _message_sender_changed(varied: Varied) -> None:
    Message.objects.filter(delivery__in=[d.pk for d in varied.deliveries]).update(organisation=varied.orgs[0].organisation)


def _messages_removed(varied: Varied) -> None:
    Message.objects.filter(delivery__in=[d.pk for d in varied.deliveries[::2]]).delete()


def _answer_added(varied: Varied) -> None:
    delivery = _first_addressed(varied, answered=False)
    answered(delivery, User.objects.create(username="answerer"), delivery.delivered_at + timedelta(hours=2), "data")


def _answer_moved(_: Varied) -> None:
    Answer.objects.update(at=T0 + timedelta(days=3))


def _answers_removed(_: Varied) -> None:
    Answer.objects.filter(outcome="data").delete()


def _delivery_answered_at_changed(_: Varied) -> None:
    Delivery.objects.filter(answered_at__isnull=False).update(answered_at=T0 + timedelta(days=5))


def _stale_rows_saved_whole(varied: Varied) -> None:
    """A request and a delivery read before an answer, then saved whole (every column written)."""
    delivery = Delivery.objects.get(pk=_first_addressed(varied, answered=False).pk)
    request = Request.objects.get(pk=delivery.request_id)
    answered(
        Delivery.objects.get(pk=delivery.pk),
        User.objects.create(username="answerer"),
        delivery.delivered_at + timedelta(hours=1),
        "data",
    )
    delivery.save()
    request.save()


def _final_transition(varied: Varied) -> None:
    request = next(r for r in varied.requests if not r.transitions.filter(to_state__in=FINAL).exists())
    assert request.issued_at is not None
    ended(request, request.created_by, "withdrawn", request.issued_at + timedelta(hours=5))


def _transition_changed(_: Varied) -> None:
    Transition.objects.filter(to_state="acknowledged").update(to_state="lapsed")
    Transition.objects.filter(to_state="closed").update(at=T0 + timedelta(days=20))


def _transitions_removed(varied: Varied) -> None:
    Transition.objects.filter(request__in=[r.pk for r in varied.requests[::3]]).delete()


def _issue_moved(varied: Varied) -> None:
    Request.objects.filter(pk__in=[r.pk for r in varied.requests[::4]]).update(issued_at=T0 - timedelta(days=70))


CHANGES: dict[str, Callable[[Varied], None]] = {
    "a decision added": _add_decision,
    "decisions changed to a kind that does not conclude": _decision_kind_changed,
    "a decision moved": _decision_moved,
    "decisions removed": _decisions_removed,
    "a message from the recipient": _message_from_the_recipient,
    "a message from the issuing side": _message_from_the_issuer,
    "messages given another sender": _message_sender_changed,
    "messages removed": _messages_removed,
    "an answer added": _answer_added,
    "answers moved": _answer_moved,
    "answers removed": _answers_removed,
    "deliveries' answer time changed": _delivery_answered_at_changed,
    "rows read before an answer saved whole": _stale_rows_saved_whole,
    "a final transition": _final_transition,
    "transitions changed": _transition_changed,
    "transitions removed": _transitions_removed,
    "issue times moved": _issue_moved,
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_the_figures_equal_the_recomputation_after_a_change(varied: Varied, change: str) -> None:
    CHANGES[change](varied)
    for own in varied.organisations():
        check(own)


def test_the_triggers_come_back_with_migrate_after_a_table_lost_them(varied: Varied) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it: ``migrate`` puts them back."""
    statistics_durations.uninstall(connection)
    call_command("migrate", verbosity=0)
    _answer_added(varied)
    _final_transition(varied)
    for own in varied.organisations():
        check(own)


def test_the_data_set_has_every_kind_of_figure(varied: Varied) -> None:
    """The comparisons above compare something: each side has responses, completions,
    deadlines of each kind, outcomes and decisions."""
    sent = stats.statistics(own=varied.orgs[0].organisation, filters=stats.Filters(), now=NOW).sent
    received = stats.statistics(own=varied.orgs[4].organisation, filters=stats.Filters(), now=NOW).received
    assert sent is not None
    assert received is not None
    assert sent.total >= 15
    assert sent.first_response.count >= 5
    assert sent.completion.count >= 5
    assert min(sent.deadlines.met, sent.deadlines.missed) >= 1
    assert len(sent.outcomes) >= 2
    assert len(sent.decisions) >= 2
    assert received.first_response.count >= 2
    assert received.completion.count >= 2
    assert len(sent.by_route) >= 3
