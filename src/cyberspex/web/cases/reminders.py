"""Deadline reminders for the looping worker: claim, send, confirm.

1. Claim: a conditional UPDATE marks the reminder as being sent until a lease expires, so two
   workers never send it at the same time.
2. Send, outside any transaction. Header values are made safe first: a line break or another
   control character in a case reference can neither inject a header nor make the mail library
   refuse the message.
3. Confirm: ``reminded_at`` is set only once the mail backend accepted the message. A failed send
   releases the claim and leaves the reminder due again after a back-off (1, 2, 4 … minutes, at
   most an hour); a worker that dies between claim and confirm leaves it due once the lease ends.

A reminder is therefore sent at least once; it can be sent twice only if a worker dies after the
mail server accepted it and before the confirmation was written.
"""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from cyberspex.web.cases.models import Deadline

LOG = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)  # longer than any send; a claim older than this was abandoned
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)


def header_safe(value: str) -> str:
    """``value`` on one line: every control or line-separator character becomes a space."""
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value)
    return " ".join(cleaned.split())


def back_off(attempts: int) -> timedelta:
    """How long a reminder waits after its ``attempts``-th failed send."""
    return min(FIRST_RETRY * (1 << min(max(attempts - 1, 0), 10)), LONGEST_RETRY)


def due_reminders(now: datetime, within_hours: int) -> Q:
    return (
        Q(done_at__isnull=True, reminded_at__isnull=True, due_at__lte=now + timedelta(hours=within_hours))
        & (Q(reminder_claimed_until__isnull=True) | Q(reminder_claimed_until__lte=now))
        & (Q(reminder_next_attempt_at__isnull=True) | Q(reminder_next_attempt_at__lte=now))
    )


def _send(deadline: Deadline) -> None:
    request = deadline.request
    reference = header_safe(request.case.reference)
    send_mail(
        subject=f"CyberSPEX: deadline {deadline.due_at:%Y-%m-%d %H:%M} UTC — case {reference}",
        message=(
            f"{deadline.event}\nDue: {deadline.due_at.isoformat()}\nLegal basis: {deadline.citation}\n"
            f"Case {reference}, request #{request.pk} ({request.form_id})."
        ),
        from_email=None,
        recipient_list=[request.created_by.email] if request.created_by.email else [],
    )


def send_due_reminders(*, within_hours: int, now: datetime | None = None) -> int:
    """Send the reminders due within ``within_hours``; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    candidates = Deadline.objects.filter(due_reminders(now, within_hours)).order_by("due_at", "pk")
    for deadline in candidates.select_related("request__created_by", "request__case"):
        claimed = Deadline.objects.filter(due_reminders(now, within_hours), pk=deadline.pk).update(
            reminder_claimed_until=now + LEASE
        )
        if not claimed:
            continue  # another worker has it, or it was done meanwhile
        try:
            _send(deadline)
        except Exception as error:  # any failure of the mail backend: keep the reminder due
            attempts = deadline.reminder_attempts + 1
            Deadline.objects.filter(pk=deadline.pk).update(
                reminder_claimed_until=None,
                reminder_attempts=attempts,
                reminder_next_attempt_at=now + back_off(attempts),
                reminder_last_error=type(error).__name__[:200],
            )
            LOG.warning("reminder for deadline %s not sent (attempt %s): %s", deadline.pk, attempts, type(error).__name__)
            continue
        Deadline.objects.filter(pk=deadline.pk).update(
            reminded_at=now, reminder_claimed_until=None, reminder_next_attempt_at=None, reminder_last_error=""
        )
        sent += 1
    return sent
