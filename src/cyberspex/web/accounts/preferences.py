"""A person's time zone: every date and time on the pages is shown in it (the middleware
``user_time_zone`` activates it); storage, deadlines and the API stay in UTC."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from cyberspex.web.accounts.access import membership
from cyberspex.web.accounts.models import Preference
from cyberspex.web.audit.chain import append
from cyberspex.web.audit.models import Event
from cyberspex.web.errors import ApplicationError


@cache
def time_zones() -> tuple[str, ...]:
    """Every IANA time zone name the system knows, sorted (without the legacy aliases)."""
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC"))


def preferred_time_zone(user: Any) -> str:
    """The zone ``user`` chose, or DEFAULT_USER_TIME_ZONE (also for a visitor not logged in)."""
    if not getattr(user, "is_authenticated", False):
        return str(settings.DEFAULT_USER_TIME_ZONE)
    chosen = Preference.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return chosen if chosen in time_zones() else str(settings.DEFAULT_USER_TIME_ZONE)


@transaction.atomic
def preference_set_time_zone(*, user: User, time_zone: str, now: datetime) -> Preference:
    """Record ``user``'s time zone (an IANA name such as Europe/Brussels); audited."""
    if time_zone not in time_zones():
        raise ApplicationError(f"unknown time zone {time_zone!r}: choose one from the list", field="time_zone", status=422)
    preference, created = Preference.objects.select_for_update().get_or_create(user=user, defaults={"time_zone": time_zone})
    before = "" if created else preference.time_zone
    preference.time_zone = time_zone
    preference.save(update_fields=["time_zone"])
    found = membership(user)
    append(
        at=now,
        actor=user.get_username(),
        organisation=found.organisation.name if found else "",
        event=Event.CHANGE,
        object_type="user",
        object_id=str(user.pk),
        details={"time_zone": {"from": before, "to": time_zone}},
    )
    return preference
