"""Dates and times as a reader of the document's language writes them: "1 December 2026",
"1er décembre 2026", "1. Dezember 2026"; times with their offset from UTC.

Month names and patterns come from the form catalogues (``date.*`` keys), never from the
machine's locale, so a document reads the same everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from cyberspex.forms.i18n import Catalogue


def readable_date(value: date, t: Catalogue) -> str:
    """``value`` written out: day, month name and year in the pattern of ``t``'s language."""
    day = t("date.first_day") if value.day == 1 else str(value.day)
    return t("date.pattern", day=day, month=t(f"date.month.{value.month}"), year=str(value.year))


def _zone(offset: timedelta | None) -> str:
    if not offset:
        return "UTC"
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def readable_datetime(value: datetime, t: Catalogue) -> str:
    """``value`` with its date written out, the time on a 24-hour clock (seconds when there are
    any) and the offset from UTC it was given with ("UTC+01:00"); a time without an offset says
    so rather than pretend to one."""
    clock = value.strftime("%H:%M:%S" if value.second else "%H:%M")
    zone = _zone(value.utcoffset()) if value.tzinfo is not None else t("date.no_zone")
    return t("date.datetime", date=readable_date(value.date(), t), time=clock, zone=zone)


def readable(kind: str, text: str, t: Catalogue) -> str:
    """A form value of type ``kind`` ("date" or "datetime") written out; a value that is not a
    valid ISO 8601 date or time (an unvalidated draft) is shown as it was typed."""
    try:
        if kind == "date":
            return readable_date(date.fromisoformat(text), t)
        return readable_datetime(datetime.fromisoformat(text), t)
    except ValueError:
        return text
