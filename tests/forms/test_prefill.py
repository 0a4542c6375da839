"""Pre-filling a form from the route advisor."""

from __future__ import annotations

import pytest

from cyberspex.forms.prefill import PrefillError, prefill
from cyberspex.law.advisor import assess
from cyberspex.law.model import ReferenceData
from cyberspex.law.scenario import DataCategory, EmergencyKind, Scenario, WhatIf
from tests.forms.helpers import AS_OF


def test_an_article_7_order_takes_channel_deadline_and_notification_from_the_advisor(data: ReferenceData) -> None:
    scenario = Scenario(
        "US", "FR", DataCategory.SUBSCRIBER, AS_OF, what_if=WhatIf(assume_in_force=True, assume_ratified=frozenset({"FR", "US"}))
    )
    skeleton = prefill(data, "2ap-7-order", assess(data, scenario))
    advice = skeleton["route_advice"]
    assert (skeleton["issuing_state"], skeleton["recipient_state"]) == ("US", "FR")
    assert advice["status"] == "available"
    assert advice["channel"]["to"] == "the service provider in France (FR)"
    assert any("30 days" in d["text"] for d in advice["deadlines"])
    assert skeleton["notification_made"] is True  # the EU-mandated notification layer (conditional scope)
    assert skeleton["data_sought"] == {"category": "subscriber"}


def test_an_epoc_takes_the_emergency_deadline(data: ReferenceData) -> None:
    scenario = Scenario("FR", "DE", DataCategory.SUBSCRIBER, AS_OF, emergency=EmergencyKind.LIFE)
    assert prefill(data, "eu-epoc", assess(data, scenario))["deadline"] == {"hours": 8}


def test_a_preservation_request_takes_the_sixty_days(data: ReferenceData) -> None:
    scenario = Scenario("FR", "US", DataCategory.CONTENT, AS_OF)
    skeleton = prefill(data, "bc-29-request", assess(data, scenario))
    assert (skeleton["preservation_days"], skeleton["mla_to_follow"]) == (60, True)


def test_a_form_refuses_a_data_category_it_cannot_carry(data: ReferenceData) -> None:
    with pytest.raises(PrefillError, match="cannot carry content data"):
        prefill(data, "2ap-7-order", assess(data, Scenario("FR", "US", DataCategory.CONTENT, AS_OF)))
