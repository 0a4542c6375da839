"""Dates and times in documents are written out in the document's language, from the form
catalogues (no locale of the machine): "1 December 2026", "1er décembre 2026",
"1. Dezember 2026"; a time keeps its offset from UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from cyberspex.forms.dates import readable, readable_date, readable_datetime
from cyberspex.forms.i18n import catalogue, complete_languages
from cyberspex.forms.package import build_document
from cyberspex.forms.render_text import render_text
from tests.forms.helpers import example


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", date(2026, 12, 1), "1 December 2026"),
        ("en", date(2026, 3, 17), "17 March 2026"),
        ("fr", date(2026, 12, 1), "1er décembre 2026"),
        ("fr", date(2026, 8, 2), "2 août 2026"),
    ],
)
def test_a_date_is_written_out_in_the_documents_language(language: str, value: date, expected: str) -> None:
    assert readable_date(value, catalogue(language)) == expected


def test_a_german_date_has_a_dot_after_the_day_once_the_german_catalogue_is_complete() -> None:
    if "de" not in complete_languages():
        pytest.skip("the German form catalogue is not complete yet")
    assert readable_date(date(2026, 12, 1), catalogue("de")) == "1. Dezember 2026"


@pytest.mark.parametrize("language", complete_languages())
def test_every_complete_catalogue_names_twelve_different_months(language: str) -> None:
    t = catalogue(language)
    assert len({t(f"date.month.{month}") for month in range(1, 13)}) == 12


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", datetime(2026, 12, 1, 9, 5, tzinfo=UTC), "1 December 2026, 09:05 (UTC)"),
        ("en", datetime(2026, 9, 1, tzinfo=timezone(timedelta(hours=2))), "1 September 2026, 00:00 (UTC+02:00)"),
        ("fr", datetime(2026, 10, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=1))), "31 octobre 2026 à 23:59:59 (UTC+01:00)"),
        ("en", datetime(2026, 1, 2, 8, 0, tzinfo=timezone(-timedelta(hours=5, minutes=30))), "2 January 2026, 08:00 (UTC-05:30)"),
    ],
)
def test_a_date_and_time_keeps_its_offset_from_utc(language: str, value: datetime, expected: str) -> None:
    assert readable_datetime(value, catalogue(language)) == expected


def test_a_time_without_an_offset_says_so() -> None:
    assert readable("datetime", "2026-12-01T10:00", catalogue("en")) == "1 December 2026, 10:00 (no time zone given)"


def test_a_value_that_is_not_a_date_is_shown_as_typed() -> None:
    assert readable("date", "next Tuesday", catalogue("en")) == "next Tuesday"
    assert readable("datetime", "2026-13-40T99:00", catalogue("fr")) == "2026-13-40T99:00"


def test_the_documents_print_the_date_of_issue_and_the_time_range_written_out() -> None:
    english = render_text(build_document("2ap-7-order", example("2ap-7-order"), package="provider", language="en"))
    french = render_text(build_document("2ap-7-order", example("2ap-7-order"), package="provider", language="fr"))
    assert "Date of issue: 20 November 2026" in english
    assert "From: 1 September 2026, 00:00 (UTC+02:00)" in english
    assert "20 novembre 2026" in french
    assert "1er septembre 2026 à 00:00 (UTC+02:00)" in french
    assert "2026-11-20" not in english + french
