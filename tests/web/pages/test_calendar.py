"""The secret iCalendar link: made from the dashboard, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import re

from django.test import Client

from cyberspex.web.accounts.models import CalendarFeed, Role
from cyberspex.web.audit.models import AuditEntry, Event
from cyberspex.web.cases.models import Deadline
from tests.web.conftest import Org
from tests.web.helpers import NOW, make_case, make_request, move
from tests.web.pages.conftest import logged_in


def _create_link(client: Client) -> str:
    response = client.post("/calendar/new/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = re.search(
        r'id="calendar-url" type="text" readonly value="http://127\.0\.0\.1:8000(/ical/[\w-]+\.ics)"', response.content.decode()
    )
    assert match is not None
    return match.group(1)


def test_the_feed_lists_the_organisations_open_deadlines_until_revoked(browser: Client, fr: Org, de: Org) -> None:
    prosecutor = fr[Role.PROSECUTOR]
    request = move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "issued")
    move(
        de[Role.PROSECUTOR],
        make_request(de[Role.PROSECUTOR], make_case(de[Role.PROSECUTOR], "KOE-1"), recipient_state="FR"),
        "issued",
    )
    Deadline.objects.create(
        request=request,
        organisation=request.case.organisation,
        event="met already",
        due_at=NOW,
        citation="X",
        rule="x",
        done_at=NOW,
    )
    open_deadlines = Deadline.objects.filter(request=request, done_at__isnull=True)

    logged_in(browser, fr[Role.INVESTIGATOR])
    path = _create_link(browser)
    token = path.removeprefix("/ical/").removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.digest

    calendar = Client().get(path)  # a calendar application: no session, no cookies
    body = calendar.content.decode()
    assert calendar.status_code == 200
    assert calendar["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "X-WR-CALNAME:CyberSPEX deadlines\r\n" in body
    assert body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == open_deadlines.count() > 0  # the done one and Germany's are left out
    first = open_deadlines.order_by("due_at")[0]
    assert f"UID:deadline-{first.pk}@cyberspex" in body
    assert f"DTSTART:{first.due_at:%Y%m%dT%H%M%SZ}" in body
    assert "KOE-1" not in body
    assert "met already" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))  # folded (RFC 5545 3.1)

    assert "Link created on" in browser.get("/").content.decode()
    assert browser.post(f"/calendar/{feed.pk}/revoke/")["Location"] == "/"
    assert Client().get(path).status_code == 404
    assert [e.details["action"] for e in AuditEntry.objects.filter(event=Event.TOKEN)] == ["created", "revoked"]


def test_a_link_is_revoked_only_by_its_owner(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.INVESTIGATOR])
    path = _create_link(browser)
    feed = CalendarFeed.objects.get()
    logged_in(browser, fr[Role.PROSECUTOR])
    assert browser.post(f"/calendar/{feed.pk}/revoke/").status_code == 404
    assert Client().get(path).status_code == 200


def test_the_feed_stops_when_the_user_is_deactivated(browser: Client, fr: Org) -> None:
    user = fr[Role.INVESTIGATOR]
    logged_in(browser, user)
    path = _create_link(browser)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Client().get(path).status_code == 404


def test_a_role_without_cases_gets_no_link(browser: Client, fr: Org) -> None:
    logged_in(browser, fr[Role.AUDITOR])
    assert browser.post("/calendar/new/").status_code == 403
    assert not CalendarFeed.objects.exists()
