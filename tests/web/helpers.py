"""Fixed times, valid form data and small builders shared by the web tests (fixtures are in conftest.py)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberspex.law.scenario import WhatIf
from cyberspex.web.cases import services
from cyberspex.web.cases.models import Case, Request

# "Now" for every test that needs it: the example forms are dated 2026-11-18 to 2026-11-27.
# /healthz with nothing in the outbox to other instances (web/federation).
HEALTHY = {"status": "ok", "database": "ok", "outbox": {"backlog": 0, "oldest_undelivered_seconds": None}}
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
REVIEW = date(2027, 11, 28)  # a retention review date a year after NOW
JUSTIFICATION = "checking the subscriber before the hearing of 2026-12-01"


@cache
def _example(form_id: str) -> dict[str, Any]:
    path = files("cyberspex") / "data" / "forms" / "examples" / f"{form_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def form_data(form_id: str, recipient_state: str) -> dict[str, Any]:
    """The shipped example of ``form_id``, addressed to a provider in ``recipient_state``."""
    data = copy.deepcopy(_example(form_id))
    data["recipient_state"] = recipient_state
    for party in ("provider", "addressee"):
        if party in data:
            data[party]["country"] = recipient_state
    return data


CASE_FIELDS: dict[str, Any] = {
    "title": "Phishing against customers of French banks",
    "offences": [{"description": "Organised fraud by phishing", "provisions": "Code pénal 313-1", "max_penalty_years": 10}],
    "summary_of_facts": "Since September 2026 more than 300 customers received phishing e-mails.",
    "identifiers": [{"kind": "email", "value": "j.doe.1987@mail.example.com"}],
    "persons": [{"name": "John Doe", "role": "suspect"}],
    "classification": "restricted",
}


def make_case(user: User, reference: str = "PAR-2026-00412", *, review: date = REVIEW, now: datetime = NOW) -> Case:
    return services.case_create(user=user, reference=reference, retention_review_date=review, now=now, **CASE_FIELDS)


def make_request(
    user: User,
    case: Case,
    form_id: str = "eu-epoc",
    recipient_state: str = "DE",
    *,
    what_if: WhatIf | None = None,
    now: datetime = NOW,
) -> Request:
    made, _ = services.request_draft(
        user=user, case_id=case.pk, form_id=form_id, data=form_data(form_id, recipient_state), now=now, what_if=what_if
    )
    return made


def move(user: User, request: Request, *states: str, now: datetime = NOW) -> Request:
    """Take ``request`` through ``states`` in order, as ``user``."""
    for state in states:
        request = services.request_transition(user=user, request_id=request.pk, target=state, now=now)
    return request


def verified_session(client: Client, user: User) -> None:
    """Log ``user`` in on ``client`` as if they had passed the TOTP step (django-otp's session key)."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
