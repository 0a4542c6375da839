"""An Article 8 order names the requested Party's Art 8(11) declaration (CETS 224 Art 8(11)):
orders must then be submitted by the requesting Party's central authority, or another
authority agreed with the requested Party.

Japan's declaration is recorded and verified (D-8-11): the check states it as a fact. Where the
requested Party's positions are not recorded the check names it as a possibility, and where
no such declaration is made it says nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cyberspex.forms.issues import Issue, Severity
from cyberspex.forms.quality import QualityContext
from cyberspex.forms.validate import validate
from cyberspex.law.scenario import WhatIf
from cyberspex.refdata.loader import load_reference_data
from tests.forms.helpers import example

TODAY = date(2026, 12, 1)
IN_FORCE = WhatIf(assume_in_force=True, assume_all_signatories=True)
AS_RECORDED = WhatIf()


def order_to(state: str) -> dict[str, Any]:
    data = example("2ap-8-order") | {"recipient_state": state}
    data["provider"] = data["provider"] | {"country": state}
    return data


def art8_11_issues(data: dict[str, Any], what_if: WhatIf = AS_RECORDED) -> list[Issue]:
    context = QualityContext(load_reference_data(), TODAY, what_if=what_if)
    return [i for i in validate("2ap-8-order", data, context) if i.rule == "Q-ART8-11"]


def test_an_order_to_japan_is_told_to_go_through_the_central_authority_as_japan_declared() -> None:
    [issue] = art8_11_issues(order_to("JP"))
    assert (issue.severity, issue.citation, issue.code) == (Severity.WARNING, "CETS 224 Art 8(11)", "central_authority_channel")
    assert issue.message.startswith(
        "Japan (JP) has declared under Art 8(11) that orders under Article 8 must be submitted to it by the central "
        "authority of the requesting Party or another authority agreed with it (recorded: "
    )
    assert issue.message.endswith(
        ": submit this order through the central authority of Germany (DE) or an authority agreed with Japan (JP)."
    )


def test_the_same_holds_when_the_protocol_is_treated_as_in_force() -> None:
    [issue] = art8_11_issues(order_to("JP"), IN_FORCE)
    assert issue.message.startswith("Japan (JP) has declared under Art 8(11)")


def test_where_the_declaration_is_not_recorded_it_is_only_a_possibility() -> None:
    """Serbia's positions exist but their content is not confirmed."""
    [issue] = art8_11_issues(order_to("RS"))
    assert issue.message == (
        "Serbia (RS) may have declared under Art 8(11) that orders under Article 8 must be submitted to it by the "
        "central authority of the requesting Party or another authority agreed with it: if it has, submit this order "
        "through the central authority of Germany (DE) or an authority agreed with Serbia (RS) "
        "(not recorded: Serbia (RS): CETS 224 D-8-11)."
    )
    assert "Serbia (RS) has declared" not in issue.message


def test_where_no_such_declaration_can_apply_nothing_is_said() -> None:
    """The United States is no Party to the Protocol on the date: it has made no declaration."""
    assert art8_11_issues(order_to("US")) == []


def test_a_state_treated_as_a_party_by_the_what_if_switch_has_made_no_declaration() -> None:
    assert art8_11_issues(order_to("US"), IN_FORCE) == []
