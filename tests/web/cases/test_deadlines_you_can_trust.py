"""Deadlines on the platform one can rely on: every timed deadline the route advice gives is
created at issue, those that apply only if a fact the advisor does not know holds included
(marked so); they close when the request reaches a final state; a person can mark one done,
with a reason, in the audit trail; lists show the days left."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from cyberspex.web.accounts.models import Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.audit.personal import readable_details
from cyberspex.web.cases import selectors, services
from cyberspex.web.cases.calendar import deadlines_ics
from cyberspex.web.cases.models import Deadline, Request, State
from cyberspex.web.errors import ApplicationError
from tests.web.conftest import Api, Org
from tests.web.helpers import NOW, form_data, make_case, move, verified_session

# Regulation 2023/1543 Art 10(2) and 10(3): traffic data (not only identification) are due
# within 10 days, with or without notification of the enforcing authority; which of the two
# applies depends on where the offence was committed and the person lives, which the advisor
# does not know, so both are "conditional" in the route advice.
WITH_NOTIFICATION = "reg.epoc.art10.2.with_notification"
ENFORCING = {
    "name": "Amtsgericht Berlin-Tiergarten",
    "address": "Turmstraße 91, 10559 Berlin",
    "country": "DE",
    "contact": {"email": "e-evidence@court.example"},
}


def issued_epoc(org: Org, *, notified: bool = True) -> Request:
    """An EPOC for traffic data to a provider in Germany, issued by a court (Art 4(2)(a)) on an
    Art 5(4) ground, the enforcing authority notified (Art 8(1))."""
    judge = org[Role.JUDGE]  # a prosecutor may not issue it alone (Art 4(2))
    data = form_data("eu-epoc", "DE")
    data["data_sought"]["category"] = "traffic"
    data |= {
        "issuing_authority_type": "judge_court",
        "art5_4_ground": "max_penalty_3_years",
        "enforcing_notified": notified,
        "enforcing_authority": ENFORCING,
    }
    if not notified:  # Art 8(2): offence committed, and the person residing, in the issuing State
        data["notification_exception"] = True
    made, _ = services.request_draft(user=judge, case_id=make_case(judge).pk, form_id="eu-epoc", data=data, now=NOW)
    return move(judge, made, "issued")


def unsettled_epoc(org: Org) -> Request:
    """An issued EPOC whose Art 10(2) deadline is still conditional, as deadlines made before the
    platform read the order's statement on the notification (SETTLED_BY_THE_ORDER) remain."""
    epoc = issued_epoc(org)
    epoc.deadlines.filter(rule=WITH_NOTIFICATION).update(conditional=True)
    return epoc


def open_rules(request: Request) -> set[str]:
    return set(request.deadlines.filter(done_at__isnull=True).values_list("rule", flat=True))


def test_an_epoc_that_says_the_enforcing_authority_was_notified_settles_the_deadlines_the_advice_left_conditional(
    fr: Org,
) -> None:
    epoc = issued_epoc(fr)
    advice = {d["rule"]: d["applies"] for d in epoc.route_advice["route"]["deadlines"]}
    assert advice[WITH_NOTIFICATION] == advice["reg.epoc.art10.3.normal"] == "conditional"  # the advice: if it applies
    deadline = epoc.deadlines.get(rule=WITH_NOTIFICATION)
    assert (deadline.due_at, deadline.conditional, deadline.done_at) == (NOW + timedelta(days=10), False, None)
    assert not epoc.deadlines.get(rule="reg.epoc.art12.1.review").conditional
    assert not epoc.deadlines.filter(rule="reg.epoc.art10.3.normal").exists()  # Art 10(3): only without notification


def test_an_epoc_that_says_the_enforcing_authority_was_not_notified_runs_the_art_10_3_deadline_only(fr: Org) -> None:
    epoc = issued_epoc(fr, notified=False)
    assert set(epoc.deadlines.values_list("rule", "conditional")) == {("reg.epoc.art10.3.normal", False)}


@pytest.mark.parametrize(
    "path",
    [("answered",), ("refused",), ("partially_answered",), ("lapsed",), ("withdrawn",), ("acknowledged", "answered")],
)
def test_a_request_that_reaches_a_final_state_closes_all_its_open_deadlines(fr: Org, path: tuple[str, ...]) -> None:
    epoc = issued_epoc(fr)
    assert open_rules(epoc)
    later = NOW + timedelta(days=3)
    move(fr[Role.PROSECUTOR], epoc, *path, now=later)
    assert open_rules(epoc) == set()
    assert set(epoc.deadlines.values_list("done_at", "done_reason")) == {(later, f"request {path[-1]}")}


def test_the_deadlines_of_an_answered_request_are_never_overdue_on_the_dashboard(fr: Org) -> None:
    epoc = issued_epoc(fr)
    assert epoc.deadlines.filter(done_at__isnull=True).exists()
    move(fr[Role.PROSECUTOR], epoc, "answered")
    much_later = NOW + timedelta(days=400)
    assert selectors.deadlines_open(user=fr[Role.PROSECUTOR], now=much_later) == []
    assert not any(
        row.overdue
        for row in selectors.request_overview(
            user=fr[Role.PROSECUTOR], request_id=epoc.pk, ui_language="en", now=much_later
        ).deadlines
    )


def test_the_dashboard_shows_the_days_left_until_each_deadline(fr: Org) -> None:
    issued_epoc(fr)
    rows = selectors.deadlines_open(user=fr[Role.PROSECUTOR], now=NOW + timedelta(days=2, hours=1))
    by_rule = {row.deadline.rule: row for row in rows}
    assert (by_rule[WITH_NOTIFICATION].days_left, by_rule[WITH_NOTIFICATION].overdue) == (7, False)
    overdue = selectors.deadlines_open(user=fr[Role.PROSECUTOR], now=NOW + timedelta(days=11))
    assert {(row.days_left, row.overdue) for row in overdue} == {(None, True)}


def test_marking_a_deadline_done_keeps_who_when_and_why_and_writes_it_in_the_audit_trail(fr: Org) -> None:
    deadline = issued_epoc(fr).deadlines.get(rule=WITH_NOTIFICATION)
    later = NOW + timedelta(days=1)
    reason = "no notification: offence committed and suspect living in Germany (Art 8(2))"
    services.deadline_mark_done(user=fr[Role.PROSECUTOR], deadline_id=deadline.pk, reason=reason, now=later)
    deadline.refresh_from_db()
    assert (deadline.done_at, deadline.done_by, deadline.done_reason) == (later, fr[Role.PROSECUTOR], reason)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert (entry.event, entry.details["deadline"], readable_details(entry)["reason"]) == (Event.CHANGE, deadline.pk, reason)


def test_a_deadline_already_done_cannot_be_marked_done_again(fr: Org) -> None:
    deadline = issued_epoc(fr).deadlines.get(rule=WITH_NOTIFICATION)
    services.deadline_mark_done(user=fr[Role.PROSECUTOR], deadline_id=deadline.pk, reason="data received", now=NOW)
    with pytest.raises(ApplicationError, match="already done") as refused:
        services.deadline_mark_done(user=fr[Role.PROSECUTOR], deadline_id=deadline.pk, reason="again", now=NOW)
    assert refused.value.status == 409


def test_a_deadline_is_not_marked_done_without_a_reason(fr: Org) -> None:
    deadline = issued_epoc(fr).deadlines.get(rule=WITH_NOTIFICATION)
    with pytest.raises(ApplicationError) as refused:
        services.deadline_mark_done(user=fr[Role.PROSECUTOR], deadline_id=deadline.pk, reason="  ", now=NOW)
    assert (refused.value.status, refused.value.field) == (422, "reason")
    assert Deadline.objects.get(pk=deadline.pk).done_at is None


def test_another_organisation_cannot_mark_a_deadline_done_nor_learn_that_it_exists(fr: Org, de: Org) -> None:
    deadline = issued_epoc(fr).deadlines.get(rule=WITH_NOTIFICATION)
    with pytest.raises(ApplicationError) as refused:
        services.deadline_mark_done(user=de[Role.PROSECUTOR], deadline_id=deadline.pk, reason="x", now=NOW)
    assert refused.value.status == 404


def test_the_api_marks_a_deadline_done_once_and_answers_409_the_second_time(fr: Org, api: Api) -> None:
    deadline = issued_epoc(fr).deadlines.get(rule=WITH_NOTIFICATION)
    first = api.post(f"/deadlines/{deadline.pk}/done", {"reason": "data received"}, fr[Role.PROSECUTOR])
    assert (first.status_code, first.json()["done_reason"], first.json()["days_left"]) == (200, "data received", None)
    second = api.post(f"/deadlines/{deadline.pk}/done", {"reason": "data received"}, fr[Role.PROSECUTOR])
    assert (second.status_code, "already done" in second.json()["message"]) == (409, True)


def test_the_api_lists_each_deadline_of_a_request_with_its_days_left_and_whether_it_is_conditional(fr: Org, api: Api) -> None:
    epoc = unsettled_epoc(fr)
    body = api.get(f"/requests/{epoc.pk}", fr[Role.PROSECUTOR]).json()
    listed = {d["rule"]: d for d in body["deadlines"]}
    assert (listed[WITH_NOTIFICATION]["days_left"], listed[WITH_NOTIFICATION]["conditional"]) == (10, True)


def test_the_request_page_shows_days_left_and_lets_a_prosecutor_mark_a_deadline_done(fr: Org, client: Client) -> None:
    epoc = unsettled_epoc(fr)
    deadline = epoc.deadlines.get(rule=WITH_NOTIFICATION)
    verified_session(client, fr[Role.PROSECUTOR])
    page = client.get(f"/requests/{epoc.pk}/").content.decode()
    assert "If it applies" in page
    assert "Mark done" in page
    done = client.post(f"/requests/{epoc.pk}/deadlines/{deadline.pk}/done/", {"done-reason": "data received"})
    assert done.status_code == 302
    deadline.refresh_from_db()
    assert (deadline.done_reason, deadline.done_by) == ("data received", fr[Role.PROSECUTOR])
    assert State(Request.objects.get(pk=epoc.pk).state) is State.ISSUED


def test_the_api_list_of_open_deadlines_shows_the_days_left(fr: Org, api: Api) -> None:
    epoc = unsettled_epoc(fr)
    listed = [d for d in api.get("/deadlines", fr[Role.PROSECUTOR]).json()["items"] if d["request_id"] == epoc.pk]
    assert {(d["rule"], d["days_left"], d["conditional"]) for d in listed} >= {(WITH_NOTIFICATION, 10, True)}


def test_the_calendar_feed_says_that_a_conditional_deadline_applies_only_if_its_condition_holds(fr: Org) -> None:
    deadline = unsettled_epoc(fr).deadlines.get(rule=WITH_NOTIFICATION)
    text = deadlines_ics([deadline], NOW).replace("\r\n ", "")
    assert "applies only if a fact the route advice does not know holds" in text


@pytest.mark.parametrize(
    ("left", "shown"),
    [
        (timedelta(days=9, hours=23, minutes=59), "9 days 23 hours"),
        (timedelta(days=10), "10 days"),
        (timedelta(days=1, hours=1, minutes=30), "1 day 1 hour"),
        (timedelta(hours=5, minutes=3), "5 hours"),
        (timedelta(minutes=40), "less than an hour"),
    ],
)
def test_the_time_left_reads_in_days_and_hours_not_rounded_down_to_whole_days(left: timedelta, shown: str) -> None:
    overdue, days, hours = selectors.time_left(NOW + left, NOW)
    row = {"overdue": overdue, "days_left": days, "hours_left": hours}
    assert render_to_string("cases/_days_left.html", {"row": row}) == shown


def test_the_time_left_is_in_the_language_of_the_page() -> None:
    overdue, days, hours = selectors.time_left(NOW + timedelta(days=9, hours=23), NOW)
    with translation.override("fr"):
        shown = render_to_string("cases/_days_left.html", {"row": {"overdue": overdue, "days_left": days, "hours_left": hours}})
    assert shown == "9 jours 23 heures"
