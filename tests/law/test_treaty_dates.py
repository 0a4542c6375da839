"""Entry into force: the examples treaty-status.md §1.1 checked against the CoE chart."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from cyberspex.law import treaty_dates
from cyberspex.law.treaty_dates import first_day_after_three_months, general_entry_into_force, is_edge_case


@pytest.mark.parametrize(
    ("consent", "entry_into_force"),
    [
        (date(2006, 10, 12), date(2007, 2, 1)),  # Armenia
        (date(2012, 6, 13), date(2012, 10, 1)),  # Austria
        (date(2005, 4, 7), date(2005, 8, 1)),  # Bulgaria
        (date(2012, 6, 6), date(2012, 10, 1)),  # Georgia
        (date(2024, 7, 29), date(2024, 11, 1)),  # Côte d'Ivoire
        (date(2025, 8, 28), date(2025, 12, 1)),  # New Zealand
        (date(2024, 6, 20), date(2024, 10, 1)),  # Benin
        (date(2026, 11, 30), date(2027, 3, 1)),  # across a year end
        (date(2027, 3, 1), date(2027, 7, 1)),  # on the 1st: the period runs from 2 March to 1 June (ADR 0006)
        (date(2027, 12, 1), date(2028, 4, 1)),  # on the 1st, across a year end
    ],
)
def test_it_gives_the_first_day_of_the_fourth_month(consent: date, entry_into_force: date) -> None:
    assert first_day_after_three_months(consent) == entry_into_force


def test_it_flags_a_deposit_on_the_first_of_a_month_for_comparison_with_the_depositary() -> None:
    assert is_edge_case(date(2026, 3, 1))
    assert not is_edge_case(date(2026, 3, 2))


def test_it_needs_the_fifth_consent_before_there_is_a_date() -> None:
    four = [date(2023, 2, 9), date(2023, 8, 10), date(2026, 2, 5), date(2026, 5, 2)]
    assert general_entry_into_force(four, needed=5) is None
    assert general_entry_into_force([*four, date(2026, 6, 15)], needed=5) == date(2026, 10, 1)


def test_it_counts_from_the_fifth_consent_in_date_order_not_in_list_order() -> None:
    consents = [date(2026, 6, 15), date(2023, 2, 9), date(2027, 1, 3), date(2023, 8, 10), date(2026, 2, 5), date(2026, 5, 2)]
    assert general_entry_into_force(consents, needed=5) == date(2026, 10, 1)


def test_its_docstring_examples_hold() -> None:
    assert doctest.testmod(treaty_dates).failed == 0
