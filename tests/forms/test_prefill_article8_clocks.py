"""CETS 224 Art 8(6)(a) in the pre-filled Article 8 order: the 45 days to serve the provider run
from the requested Party's receipt of all the information; the 20 or 45 days to return the data
run from service on the provider."""

from __future__ import annotations

from cyberspex.forms.prefill import prefill
from cyberspex.law.advisor import assess
from cyberspex.law.model import ReferenceData
from cyberspex.law.scenario import DataCategory, Scenario, WhatIf
from tests.forms.helpers import AS_OF

IN_FORCE = WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"}))


def _deadlines(data: ReferenceData, category: DataCategory) -> dict[str, str]:
    skeleton = prefill(data, "2ap-8-order", assess(data, Scenario("FR", "US", category, AS_OF, what_if=IN_FORCE)))
    return {d["citation"]: d["text"] for d in skeleton["route_advice"]["deadlines"]}


def test_the_service_clock_runs_from_the_requested_partys_receipt_of_all_the_information(data: ReferenceData) -> None:
    text = _deadlines(data, DataCategory.SUBSCRIBER)["CETS 224 Art 8(6)(a)"]
    assert "45 days from receipt by the requested Party of all the Art 8(3) and 8(4) information" in text


def test_subscriber_information_is_returned_within_20_days_of_service_on_the_provider(data: ReferenceData) -> None:
    text = _deadlines(data, DataCategory.SUBSCRIBER)["CETS 224 Art 8(6)(a)(i)"]
    assert "20 days from service of the requested Party's order on the provider" in text


def test_traffic_data_are_returned_within_45_days_of_service_on_the_provider(data: ReferenceData) -> None:
    text = _deadlines(data, DataCategory.TRAFFIC)["CETS 224 Art 8(6)(a)(ii)"]
    assert "45 days from service of the requested Party's order on the provider" in text
