"""Deadline reminders for the looping worker. Each deadline is claimed with a conditional
UPDATE, so two workers never send the same reminder twice."""

from __future__ import annotations

from datetime import timedelta

from django.core.mail import send_mail
from django.utils import timezone

from cyberspex.web.cases.models import Deadline


def send_due_reminders(*, within_hours: int) -> int:
    now = timezone.now()
    sent = 0
    candidates = Deadline.objects.filter(
        done_at__isnull=True, reminded_at__isnull=True, due_at__lte=now + timedelta(hours=within_hours)
    )
    for deadline in candidates.select_related("request__created_by", "request__case"):
        claimed = Deadline.objects.filter(pk=deadline.pk, reminded_at__isnull=True).update(reminded_at=now)
        if not claimed:
            continue  # another worker took it
        request = deadline.request
        send_mail(
            subject=f"CyberSPEX: deadline {deadline.due_at:%Y-%m-%d %H:%M} UTC — case {request.case.reference}",
            message=(
                f"{deadline.event}\nDue: {deadline.due_at.isoformat()}\nLegal basis: {deadline.citation}\n"
                f"Request #{request.pk} ({request.form_id})."
            ),
            from_email=None,
            recipient_list=[request.created_by.email] if request.created_by.email else [],
        )
        sent += 1
    return sent
