"""Convention on Cybercrime (ETS 185): Arts 29 and 31, mutual assistance on stored data.

Art 27(1)-(2), 28(2)-(4) and 29(1)-(2) were checked against published copies of the
text (tag V); the other paragraphs are summaries still to be checked (tag T).
"""

from __future__ import annotations

from cyberspex.law.citations import Instrument, cite
from cyberspex.law.engine import RouteSpec
from cyberspex.law.instruments.common import (
    blocks,
    channel,
    deadline,
    language,
    measure_is,
    requirement,
    same_state,
)
from cyberspex.law.rules import Channel, Context, Deadline, ReasonCode, Rule, Side, Test
from cyberspex.law.scenario import Measure
from cyberspex.law.status import TreatyStatus, Tri, tri_and, tri_not

BC = Instrument.ETS_185


def _not_bound(side: str, *, acceded: bool) -> Test:
    def test(c: Context) -> Tri:
        status: TreatyStatus = getattr(c, side).ets185
        if status.acceded is not acceded:
            return False
        return tri_not(status.bound)

    return test


def _party_rules(prefix: str, side: Side) -> tuple[Rule, Rule]:
    """One side not bound on ``as_of``. A State that ratified is bound from the date Art 36(4)
    gives; a State that acceded from the date Art 37(2) gives (or it is no Party at all)."""
    who = "{" + side.value + "}"
    facts = (f"{side.value}.ets185",)
    return (
        blocks(
            f"{prefix}.{side.value}_party",
            cite(BC, "36(4)", verified=True),
            f"{who} is not bound by the Convention on {{as_of}} ({{{side.value}_ets185}}).",
            when=_not_bound(side.value, acceded=False),
            code=ReasonCode.NOT_BOUND,
            side=side,
            facts=facts,
            passed=f"{who} is a Party to the Convention.",
        ),
        blocks(
            f"{prefix}.{side.value}_acceded",
            cite(BC, "37(2)"),
            f"{who} acceded to the Convention; it is not bound by it on {{as_of}} ({{{side.value}_ets185}}): "
            "for an acceding State the Convention enters into force on the first day of the month "
            "following three months after the deposit of its instrument of accession.",
            when=_not_bound(side.value, acceded=True),
            code=ReasonCode.NOT_BOUND,
            side=side,
            facts=facts,
        ),
    )


def _bound_rules(prefix: str, same_state_ref: str) -> tuple[Rule, ...]:
    return (
        same_state(
            f"{prefix}.same_state",
            cite(BC, same_state_ref),
            "The provider is in {issuing} itself: the Convention's mutual assistance "
            "concerns another Party; national law applies.",
        ),
        blocks(
            f"{prefix}.art36.in_force",
            cite(BC, "36(3)", verified=True),
            "The Convention entered into force only on {ets185_entry_into_force}.",
            when=lambda c: not c.clock.ets185_in_force,
            code=ReasonCode.NOT_IN_FORCE,
            facts=("instrument.ets-185.entry_into_force",),
        ),
        *_party_rules(prefix, Side.ISSUING),
        *_party_rules(prefix, Side.PROVIDER),
    )


def _dual_criminality(c: Context) -> Tri:
    return c.provider.ets_position("R-29-4")


ART29 = RouteSpec(
    "bc-29",
    "Expedited preservation of stored computer data (Budapest Art 29)",
    BC,
    (
        *_bound_rules("ets185.art29", "29(1)"),
        blocks(
            "ets185.art29.1.preservation_only",
            cite(BC, "29(1)", verified=True),
            "Article 29 is a request for preservation; production goes by mutual assistance (Art 31).",
            when=measure_is(Measure.PRODUCTION),
            code=ReasonCode.MEASURE_NOT_COVERED,
        ),
        requirement(
            "ets185.art29.2.content",
            cite(BC, "29(2)", verified=True),
            "Specify the authority, the offence with a brief summary of the facts, the data "
            "and their link to the offence, what identifies the custodian or the system, why "
            "preservation is needed, and that a mutual assistance request will follow.",
            code="content",
        ),
        requirement(
            "ets185.art29.4.dual_criminality",
            cite(BC, "29(4)"),
            "{provider} has reserved the right to refuse preservation where dual criminality "
            "cannot be met at the time of disclosure, for offences other than those of "
            "Arts 2-11.",
            code="dual_criminality",
            when=_dual_criminality,
            facts=("provider.ets185.position.R-29-4",),
        ),
        deadline(
            "ets185.art29.7.duration",
            cite(BC, "29(7)"),
            Deadline(
                event=(
                    "data kept preserved for a period not less than sixty days, so that the request for "
                    "search, seizure or disclosure can be submitted; once that request is received, the "
                    "data stay preserved until it is decided"
                ),
                start="preservation",
                days=60,
            ),
        ),
        channel(
            "ets185.art29.1.channel",
            cite(BC, "29(1)", verified=True),
            Channel(
                sender="a competent authority of {issuing}",
                recipient="the competent authorities of {provider}",
                via="often through the 24/7 network (Art 35(1)(b))",
            ),
        ),
        language(
            "ets185.art29.language",
            cite(BC, "25(4)"),
            "Not fixed by the Convention: mutual assistance is subject to the conditions of the law of "
            "{provider} or of the applicable mutual assistance treaties; use a language {provider} accepts.",
        ),
    ),
)


def _urgent_to_central(c: Context) -> Tri:
    # An emergency of either kind is "urgency" under Art 27(9) (docs/adr/0011).
    return tri_and(c.request.any_emergency, c.provider.ets_position("D-27-9-e"))


ART31 = RouteSpec(
    "bc-31",
    "Mutual assistance for stored computer data (Budapest Art 31)",
    BC,
    (
        *_bound_rules("ets185.art31", "31"),
        blocks(
            "ets185.art31.production_only",
            cite(BC, "31"),
            "Article 31 is mutual assistance to access, seize and disclose data; preservation is requested under Article 29.",
            when=measure_is(Measure.PRESERVATION),
            code=ReasonCode.MEASURE_NOT_COVERED,
        ),
        requirement(
            "ets185.art27.1.procedure",
            cite(BC, "27(1)", verified=True),
            "Article 27's procedure applies only where no mutual assistance treaty or "
            "arrangement is in force between the two Parties; otherwise that treaty's "
            "procedure applies.",
            code="procedure",
        ),
        requirement(
            "ets185.art27.9.e.urgent",
            cite(BC, "27(9)"),
            "{provider} has declared that urgent requests must be addressed to its central authority.",
            code="channel",
            when=_urgent_to_central,
            facts=("provider.ets185.position.D-27-9-e",),
        ),
        deadline(
            "ets185.art31.expedited",
            cite(BC, "31"),
            Deadline(
                event="response",
                start="receipt of the request",
                standard="expedited basis where the data are particularly vulnerable to loss or modification",
            ),
        ),
        channel(
            "ets185.art27.2.channel",
            cite(BC, "27(2)", verified=True),
            Channel(sender="the central authority of {issuing}", recipient="the central authority of {provider}"),
        ),
        language(
            "ets185.art31.language",
            cite(BC, "25(4)"),
            "Not fixed by the Convention: mutual assistance is subject to the conditions of the law of "
            "{provider} or of the applicable mutual assistance treaties; use a language {provider} accepts.",
        ),
    ),
)
