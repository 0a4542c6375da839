"""The deadlines as an iCalendar (RFC 5545) text, written by the ``icalendar`` library.

The library escapes every TEXT value (backslash, semicolon, comma and every line end, a bare CR
included) and folds long lines, so no value from a case can open a property or a component of
its own. Each deadline is an event with three display alarms (VALARM): three days, a day and an hour
before it is due.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from icalendar import Alarm, Calendar, Event

from cyberspex.web.cases.models import Deadline

ALARMS = (timedelta(days=3), timedelta(days=1), timedelta(hours=1))


def _event(deadline: Deadline, site: str, now: datetime) -> Event:
    request = deadline.request
    url = site + reverse("cases:request_detail", kwargs={"request_id": request.pk})
    summary = gettext("%(event)s (case %(reference)s)") % {"event": deadline.event, "reference": request.case.reference}
    details = gettext("Request %(id)s (%(form)s). Legal basis: %(citation)s.") % {
        "id": request.pk,
        "form": request.form_id,
        "citation": deadline.citation,
    }
    if deadline.conditional:
        details += " " + gettext("It applies only if a fact the route advice does not know holds: mark it done if it does not.")
    event = Event()
    event.add("uid", f"deadline-{deadline.pk}@cyberspex")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", deadline.due_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("description", details + "\n" + url)
    event.add("url", url)
    for before in ALARMS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", -before)
        alarm.add("description", summary)
        event.add_component(alarm)
    return event


def deadlines_ics(deadlines: list[Deadline], now: datetime) -> str:
    site = settings.SITE_ROOT.rstrip("/")
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//CyberSPEX//Deadlines//EN")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", gettext("CyberSPEX deadlines"))
    for deadline in deadlines:
        calendar.add_component(_event(deadline, site, now))
    text: bytes = calendar.to_ical()
    return text.decode("utf-8")
