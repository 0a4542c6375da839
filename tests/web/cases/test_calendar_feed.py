"""The calendar feed is written by an iCalendar library: a line break of any kind in a case's
reference, a bare CR included, stays inside its property and cannot add a property or an event;
every deadline carries alarms three days, a day and an hour before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from cyberspex.web.accounts import services as account_services
from cyberspex.web.accounts.models import Role
from cyberspex.web.cases.models import Case, Deadline
from tests.web.conftest import Org
from tests.web.helpers import NOW, make_case, make_request, move

INJECTIONS = {
    "bare CR": "PAR-1\rX-INJECTED:1",
    "bare LF": "PAR-1\nX-INJECTED:1",
    "CRLF": "PAR-1\r\nX-INJECTED:1",
    "a whole event": "P\rEND:VEVENT\rBEGIN:VEVENT\rUID:forged\rSUMMARY:X-INJECTED",  # within the 64 characters
}


def _feed(fr: Org, reference: str) -> tuple[str, int]:
    """The feed's text and the number of open deadlines, for a case whose reference is ``reference``."""
    prosecutor = fr[Role.PROSECUTOR]
    case = make_case(prosecutor)
    move(prosecutor, make_request(prosecutor, case), "issued")
    Case.objects.filter(pk=case.pk).update(reference=reference)  # as stored before references were checked
    token = account_services.calendar_feed_create(user=prosecutor, now=NOW)
    response = Client().get(f"/ical/{token}.ics")
    assert response.status_code == 200
    return response.content.decode("utf-8"), Deadline.objects.filter(done_at__isnull=True).count()


@pytest.mark.parametrize("reference", INJECTIONS.values(), ids=INJECTIONS.keys())
def test_a_line_break_in_a_reference_cannot_add_a_property_or_an_event(fr: Org, reference: str) -> None:
    body, deadlines = _feed(fr, reference)
    between_line_ends = body.replace("\r\n", "")  # only CRLF ends a line
    assert "\r" not in between_line_ends
    assert "\n" not in between_line_ends
    lines = body.replace("\r\n ", "").split("\r\n")  # unfolded (RFC 5545 3.1)
    assert not any(line.startswith(("X-INJECTED", "UID:forged")) for line in lines)
    events = Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == deadlines > 0
    shown = reference.replace("\r\n", "\n").replace("\r", "\n")  # each line end comes back as one line feed
    assert all(str(e["SUMMARY"]).endswith(f"(case {shown})") for e in events)


def test_every_deadline_has_alarms_three_days_a_day_and_an_hour_before(fr: Org) -> None:
    body, deadlines = _feed(fr, "PAR-2026-00412")
    events = Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == deadlines
    for event in events:
        alarms = event.walk("VALARM")
        assert sorted(a.decoded("TRIGGER") for a in alarms) == [-timedelta(days=3), -timedelta(days=1), -timedelta(hours=1)]
        assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}
        assert all(str(a["DESCRIPTION"]) == str(event["SUMMARY"]) for a in alarms)
