"""Entry-into-force arithmetic for the Council of Europe treaties.

ETS 185 Art 36(3)-(4) and CETS 224 Art 16(3)-(4) use the same formula: the first day
of the month following the expiration of a period of three months after the date of
the (fifth, or the State's own) consent to be bound.
"""

from __future__ import annotations

from datetime import date

from cyberspex.law.citations import Instrument, cite

ENTRY_INTO_FORCE_GENERAL = cite(Instrument.CETS_224, "16(3)")
ENTRY_INTO_FORCE_LATER_PARTY = cite(Instrument.CETS_224, "16(4)")


def first_day_after_three_months(consent: date) -> date:
    """Return the first day of the month following three months after ``consent``.

    A deposit in month M on any day gives the 1st of month M+4. For deposits on the 1st
    of a month the reference leaves the counting open (treaty-status.md §1.1 edge case);
    the same M+4 result is used and :func:`is_edge_case` lets callers flag it.

    >>> first_day_after_three_months(date(2006, 10, 12))
    datetime.date(2007, 2, 1)
    >>> first_day_after_three_months(date(2024, 7, 29))
    datetime.date(2024, 11, 1)
    """
    month_index = consent.year * 12 + (consent.month - 1) + 4
    return date(month_index // 12, month_index % 12 + 1, 1)


def is_edge_case(consent: date) -> bool:
    """True when the consent fell on the 1st of a month (counting not confirmed)."""
    return consent.day == 1


def general_entry_into_force(consents: list[date], *, needed: int) -> date | None:
    """Entry into force once ``needed`` consents exist, or ``None`` if there are fewer."""
    if len(consents) < needed:
        return None
    return first_day_after_three_months(sorted(consents)[needed - 1])
