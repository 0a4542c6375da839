"""Entry-into-force arithmetic for the Council of Europe treaties.

ETS 185 Art 36(3)-(4) (ratification), ETS 185 Art 37(2) (accession) and CETS 224
Art 16(3)-(4) use the same formula: the first day of the month following the expiration of
a period of three months after the date of the (fifth, or the State's own) consent to be
bound (ADR 0006).
"""

from __future__ import annotations

from datetime import date

from cyberspex.law.citations import Instrument, cite

ENTRY_INTO_FORCE_GENERAL = cite(Instrument.CETS_224, "16(3)")
ENTRY_INTO_FORCE_LATER_PARTY = cite(Instrument.CETS_224, "16(4)")
ETS185_ENTRY_INTO_FORCE_GENERAL = cite(Instrument.ETS_185, "36(3)", verified=True)
ETS185_ENTRY_INTO_FORCE_RATIFICATION = cite(Instrument.ETS_185, "36(4)", verified=True)
ETS185_ENTRY_INTO_FORCE_ACCESSION = cite(Instrument.ETS_185, "37(2)")


def first_day_after_three_months(consent: date) -> date:
    """Return the first day of the month following three months after ``consent``.

    The period of three months runs *after* the date of consent: it starts the next day and
    expires at the end of the day of the third month that bears the consent's date. The
    treaty enters into force on the first day of the month after that. A consent in month M
    therefore gives the 1st of month M+4 whatever its day, the 1st of a month included: a
    consent on 1 March starts the period on 2 March, the period expires at the end of 1 June,
    and the treaty enters into force on 1 July, not 1 June (ADR 0006).

    >>> first_day_after_three_months(date(2006, 10, 12))
    datetime.date(2007, 2, 1)
    >>> first_day_after_three_months(date(2024, 7, 29))
    datetime.date(2024, 11, 1)
    >>> first_day_after_three_months(date(2027, 3, 1))
    datetime.date(2027, 7, 1)
    >>> first_day_after_three_months(date(2027, 3, 31))
    datetime.date(2027, 7, 1)
    """
    return first_day_after_months(consent, 3)


def first_day_after_months(consent: date, months: int) -> date:
    """Return the first day of the month following a period of ``months`` months after
    ``consent`` (the same reading as :func:`first_day_after_three_months`, ADR 0006): a
    consent in month M gives the 1st of month M + months + 1.

    >>> first_day_after_months(date(2026, 2, 5), 3)
    datetime.date(2026, 6, 1)
    >>> first_day_after_months(date(2026, 11, 30), 2)
    datetime.date(2027, 2, 1)
    """
    if months < 0:
        raise ValueError("a period of months cannot be negative")
    month_index = consent.year * 12 + (consent.month - 1) + months + 1
    return date(month_index // 12, month_index % 12 + 1, 1)


def is_edge_case(consent: date) -> bool:
    """True when the consent fell on the 1st of a month: counted as above (ADR 0006), a case
    for which no depositary record has been compared yet."""
    return consent.day == 1


def general_entry_into_force(consents: list[date], *, needed: int, months: int = 3) -> date | None:
    """Entry into force once ``needed`` consents exist, or ``None`` if there are fewer:
    the first day of the month after ``months`` months from the ``needed``-th consent."""
    if len(consents) < needed:
        return None
    return first_day_after_months(sorted(consents)[needed - 1], months)
