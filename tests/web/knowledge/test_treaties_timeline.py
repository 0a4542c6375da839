"""The CETS 224 timeline chart on the treaty status page."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from cyberspex.law.treaty_status import timeline
from cyberspex.refdata.loader import load_reference_data
from cyberspex.web.knowledge import treaties_timeline
from tests.law.test_treaty_status import with_consents


def test_the_chart_has_one_dot_per_recorded_consent_and_no_trigger_with_three() -> None:
    svg = treaties_timeline.render(timeline(load_reference_data(), date(2026, 11, 28)))
    assert svg.count('class="tl-consent"') == 3
    assert "tl-consent--trigger" not in svg
    assert 'class="tl-eif"' not in svg  # no Party's entry into force can be computed yet
    assert ">1. Serbia</text>" in svg


def test_the_fifth_consent_is_marked_and_each_party_gets_its_entry_into_force() -> None:
    data = with_consents(load_reference_data(), {"FR": date(2027, 1, 10), "US": date(2027, 2, 3), "DE": date(2027, 9, 30)})
    svg = treaties_timeline.render(timeline(data, date(2027, 12, 31)))
    assert svg.count("tl-consent--trigger") == 1
    assert svg.count('class="tl-eif"') == 6
    assert "in force 1 Jun 2027" in svg


def test_no_chart_is_drawn_before_the_first_consent() -> None:
    assert treaties_timeline.render(timeline(load_reference_data(), date(2023, 1, 1))) == ""


@pytest.mark.django_db
def test_the_page_shows_the_chart_beside_the_timeline_table(client: Client) -> None:
    html = client.get("/treaties/", {"treaty": "cets224", "as_of": "2026-11-28"}).content.decode()
    assert '<svg class="chart tl" role="img"' in html
    assert '<svg class="chart tl"' not in client.get("/treaties/", {"treaty": "ets185"}).content.decode()
