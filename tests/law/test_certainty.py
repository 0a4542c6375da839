"""Every message of a finding that rests on an unrecorded fact is a possibility naming that fact
(law/certainty.py), in the JSON, in --explain and therefore in the table and the web page."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from cyberspex.law.advisor import assess
from cyberspex.law.certainty import hedge, qualify, unrecorded
from cyberspex.law.explain import explain
from cyberspex.law.model import ReferenceData
from cyberspex.law.report import Renderer
from cyberspex.law.scenario import DataCategory, EmergencyKind, Measure, Scenario, WhatIf
from cyberspex.refdata.messages import messages

TODAY = date(2026, 12, 1)
NOT_RECORDED = ("Japan (JP): CETS 224 D-8-4", "not recorded (the list of positions is incomplete)")


def test_an_established_message_is_left_as_it_is() -> None:
    sentence = "Japan (JP) has reserved the right not to apply Article 7."
    assert qualify(sentence, known=True, facts=[NOT_RECORDED]) == sentence


def test_an_unknown_message_becomes_a_possibility_naming_what_is_not_recorded() -> None:
    assert qualify("Japan (JP) requires additional supporting information.", known=False, facts=[NOT_RECORDED]) == (
        "Japan (JP) may require additional supporting information (not recorded: Japan (JP): CETS 224 D-8-4)."
    )


def test_the_note_follows_the_first_sentence_it_qualifies() -> None:
    message = "Japan (JP) also accepts requests. Recorded: Japan (JP) has declared something else."
    assert qualify(message, known=False, facts=[NOT_RECORDED]) == (
        "Japan (JP) may also accept requests (not recorded: Japan (JP): CETS 224 D-8-4). "
        "Recorded: Japan (JP) has declared something else."
    )


def test_a_rule_may_give_its_own_modal_wording() -> None:
    text = qualify("Send the order.", known=False, facts=[NOT_RECORDED], hedged="If Japan (JP) requires it, send the order.")
    assert text == "If Japan (JP) requires it, send the order (not recorded: Japan (JP): CETS 224 D-8-4)."


def test_qualifying_twice_changes_nothing() -> None:
    once = qualify("Japan (JP) requires additional supporting information.", known=False, facts=[NOT_RECORDED])
    assert qualify(once, known=False, facts=[NOT_RECORDED]) == once


def test_a_conditional_sentence_resting_on_no_unrecorded_fact_is_left_as_it_is() -> None:
    sentence = "The EPOC goes to the enforcing authority, unless the offence was committed in the issuing State."
    assert qualify(sentence, known=False) == sentence
    assert qualify("Article 8 covers traffic data.", known=False) == (
        "Possibly: Article 8 covers traffic data (not established)."
    )


def test_a_date_known_by_a_later_date_is_not_an_unrecorded_fact() -> None:
    assert unrecorded([("France (FR): accession to the EU", "date not recorded; known by 1958-01-01")]) == []
    assert unrecorded([("X: EU Member State", "unknown on this date"), NOT_RECORDED]) == [
        "X: EU Member State",
        "Japan (JP): CETS 224 D-8-4",
    ]


def test_hedge_keeps_a_sentence_that_already_says_what_it_depends_on() -> None:
    assert hedge("Depends on whether Germany (DE) has declared it.") == "Depends on whether Germany (DE) has declared it."


PAIRS = [("FR", "JP"), ("US", "RS"), ("FR", "DE"), ("US", "HU"), ("FR", "US"), ("DE", "RS"), ("JP", "HU")]
REQUESTS = [
    (DataCategory.SUBSCRIBER, Measure.PRODUCTION, None),
    (DataCategory.TRAFFIC, Measure.PRODUCTION, EmergencyKind.LIFE),
    (DataCategory.CONTENT, Measure.PRESERVATION, None),
    (DataCategory.CONTENT, Measure.PRODUCTION, EmergencyKind.INFRASTRUCTURE),
]
WHAT_IFS = [WhatIf(), WhatIf(assume_in_force=True, assume_all_signatories=True)]


@pytest.mark.parametrize(("pair", "what_if"), list(itertools.product(PAIRS, WHAT_IFS)))
def test_no_message_states_an_unrecorded_fact(data: ReferenceData, pair: tuple[str, str], what_if: WhatIf) -> None:
    """Across States with incomplete lists of positions (Japan, Serbia, Hungary, Germany, the
    United States), every unknown reason, requirement, notification and first step that rests
    on an unrecorded fact names it, in the JSON and in --explain."""
    checked = 0
    for category, measure, emergency in REQUESTS:
        scenario = Scenario(pair[0], pair[1], category, TODAY, measure, emergency, what_if=what_if)
        renderer = Renderer(data, assess(data, scenario))
        body = renderer.as_json()
        text = "\n".join(explain(renderer))
        items = list(body["emergency_first_steps"])
        for route in body["routes"]:
            items += route["reasons"] + route["requirements"] + route["notifications"]
        for item in items:
            unknown = "conditional" in (item.get("applies"), item.get("required")) or item.get("certainty") == "unknown"
            labels = unrecorded((f["fact"], f["value"]) for f in item.get("facts", []))
            if not unknown or not labels:
                continue
            checked += 1
            assert "(not recorded: " + "; ".join(labels) + ")" in item["message"], item["message"]
            assert item["message"] in text or item.get("required") or item.get("applies"), item["message"]
    assert checked > 0 or pair in (("FR", "US"),), pair


def test_in_french_an_unknown_finding_is_a_possibility_naming_what_is_not_recorded() -> None:
    fr = messages("fr")
    text = qualify(
        "Japon (JP) exige des informations complémentaires.",
        known=False,
        facts=[("Japon (JP): CETS 224 D-8-4", "not recorded (the list of positions is incomplete)")],
        messages=fr,
    )
    assert (
        text == "Possiblement : Japon (JP) exige des informations complémentaires (non enregistré : Japon (JP): CETS 224 D-8-4)."
    )
    assert qualify(text, known=False, facts=[], messages=fr) == text  # idempotent
    hedged = "Japon (JP) peut avoir formulé une réserve."
    assert qualify(hedged, known=False, facts=[], messages=fr) == hedged  # says itself that it may be so
