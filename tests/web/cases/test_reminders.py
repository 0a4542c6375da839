"""Deadline reminders are claimed, sent, then confirmed: a line break in a case reference cannot
inject a mail header or stop the worker, and a failed send leaves the reminder due, retried
after a back-off, until the mail server takes it."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from pytest_django import Settings

from cyberspex.web.accounts.models import Role
from cyberspex.web.cases.models import Case, Deadline
from cyberspex.web.cases.reminders import LEASE, back_off, send_due_reminders
from tests.web.conftest import Org
from tests.web.helpers import NOW, make_case, make_request, move

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
FAILING = f"{__name__}.SmtpDown"


class SmtpDown(BaseEmailBackend):
    """A mail server that drops the connection on every message."""

    def send_messages(self, email_messages: Any) -> int:  # noqa: ARG002  # refuses whatever it is given
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def deadline(fr: Org, settings: Settings) -> Deadline:
    """One open deadline due in an hour, of a request made by a prosecutor with an e-mail address."""
    settings.EMAIL_BACKEND = LOCMEM
    prosecutor = fr[Role.PROSECUTOR]
    request = move(prosecutor, make_request(prosecutor, make_case(prosecutor)), "issued")
    request.deadlines.all().delete()
    return Deadline.objects.create(
        request=request,
        organisation=request.case.organisation,
        event="the provider answers",
        due_at=NOW + timedelta(hours=1),
        citation="X",
        rule="x",
    )


def test_a_line_break_in_the_case_reference_neither_injects_a_header_nor_loses_the_reminder(deadline: Deadline) -> None:
    Case.objects.filter(pk=deadline.request.case_id).update(reference="PAR-1\r\nBcc: spy@evil.example\rX-Evil: 1")
    assert send_due_reminders(within_hours=24, now=NOW) == 1
    [sent] = mail.outbox
    assert "PAR-1 Bcc: spy@evil.example X-Evil: 1" in sent.subject
    assert (sent.to, sent.bcc) == ([deadline.request.created_by.email], [])
    headers = sent.message().as_string().split("\n\n", 1)[0]
    assert not any(line.startswith(("Bcc:", "X-Evil:")) for line in headers.splitlines())
    deadline.refresh_from_db()
    assert deadline.reminded_at == NOW


def test_a_reminder_the_mail_server_refused_stays_due_and_is_sent_after_the_back_off(
    deadline: Deadline, settings: Settings
) -> None:
    settings.EMAIL_BACKEND = FAILING
    assert send_due_reminders(within_hours=24, now=NOW) == 0
    deadline.refresh_from_db()
    assert (deadline.reminded_at, deadline.reminder_attempts, deadline.reminder_last_error) == (
        None,
        1,
        "SMTPServerDisconnected",
    )
    assert (deadline.reminder_claimed_until, deadline.reminder_next_attempt_at) == (None, NOW + timedelta(minutes=1))

    assert send_due_reminders(within_hours=24, now=NOW + timedelta(minutes=1)) == 0  # still down: 2 minutes now
    deadline.refresh_from_db()
    assert (deadline.reminder_attempts, deadline.reminder_next_attempt_at) == (2, NOW + timedelta(minutes=3))

    settings.EMAIL_BACKEND = LOCMEM
    assert send_due_reminders(within_hours=24, now=NOW + timedelta(minutes=2)) == 0  # waiting out the back-off
    assert send_due_reminders(within_hours=24, now=NOW + timedelta(minutes=3)) == 1
    assert send_due_reminders(within_hours=24, now=NOW + timedelta(minutes=4)) == 0  # sent once
    assert len(mail.outbox) == 1
    deadline.refresh_from_db()
    assert (deadline.reminded_at, deadline.reminder_last_error) == (NOW + timedelta(minutes=3), "")


def test_a_reminder_claimed_by_another_worker_is_left_to_it_until_its_claim_runs_out(deadline: Deadline) -> None:
    Deadline.objects.filter(pk=deadline.pk).update(reminder_claimed_until=NOW + LEASE)  # a worker is sending it
    assert send_due_reminders(within_hours=24, now=NOW) == 0
    assert send_due_reminders(within_hours=24, now=NOW + LEASE) == 1  # that worker died before confirming
    assert len(mail.outbox) == 1


def test_the_back_off_doubles_from_one_minute_up_to_an_hour() -> None:
    assert [back_off(n) for n in (1, 2, 3, 4, 7, 8, 100)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 60, 60, 60)]
