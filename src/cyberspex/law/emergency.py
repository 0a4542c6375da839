"""The first steps in an emergency: fast channels that exist outside the twelve routes.

Whatever route is recommended, an emergency calls first for the channels that work today
even where CETS 224 is not in force (docs/adr/0011-two-kinds-of-emergency.md): the 24/7
network (ETS 185 Art 35), the provider's own emergency disclosure procedure (for providers
in the United States, 18 U.S.C. § 2702(b)(8) and (c)(4)), expedited means of communication
for urgent requests (ETS 185 Art 25(3)) and direct transmission between judicial
authorities in urgent cases (ETS 185 Art 27(9)).

Each step is a rule: a citation, a test over the same context the routes read, and a
message. The test answers true (the channel exists between the two States), ``None`` (it
depends on a fact the data do not record) or false (it does not exist; the step is left
out). Only a step tied to the law of one State (18 U.S.C.) looks at the provider's State
code, which the context does not carry.
"""

from __future__ import annotations

from dataclasses import dataclass

from cyberspex.law.citations import Instrument, cite
from cyberspex.law.rules import Channel, Context, Kind, Rule
from cyberspex.law.scenario import Scenario
from cyberspex.law.status import Tri, tri_and, tri_not

BC = Instrument.ETS_185


@dataclass(frozen=True, slots=True)
class FirstStep:
    channel: str  # short, stable name of the channel, e.g. "24/7 network"
    rule: Rule
    provider_states: frozenset[str] = frozenset()  # only for providers in these States; empty: any
    other_than: frozenset[str] = frozenset()  # not for providers in these States


def _both_parties(c: Context) -> Tri:
    return tri_and(c.issuing.ets185.bound, c.provider.ets185.bound)


def _not_recorded(c: Context) -> Tri:
    """Both Parties to the Convention, and Art 27 applies only where no mutual assistance
    treaty or arrangement is in force between them (Art 27(1)), which the data do not record."""
    return tri_and(_both_parties(c), None)


def _direct(c: Context) -> Tri:
    return tri_and(_not_recorded(c), tri_not(c.provider.ets_position("D-27-9-e")))


def _direct_declared(c: Context) -> Tri:
    return tri_and(_not_recorded(c), c.provider.ets_position("D-27-9-e"))


def _provider_decides(_: Context) -> Tri:
    return None  # voluntary: the provider decides under its policy and its law


PARTIES = ("issuing.ets185", "provider.ets185")

STEPS: tuple[FirstStep, ...] = (
    FirstStep(
        "24/7 network",
        Rule(
            id="first.ets185.art35.network",
            # Text of Art 35(1) checked on the Council of Europe's 24/7 Network page, which
            # reproduces it: https://www.coe.int/en/web/cybercrime/24/7-network-new
            citation=cite(BC, "35(1)", verified=True),
            when=_both_parties,
            message="Contact the 24/7 point of contact of {provider} through that of {issuing} at "
            "once, at any hour: it ensures immediate assistance, facilitating or, where its law "
            "allows, carrying out the provision of technical advice, the preservation of data "
            "(Arts 29 and 30), the collection of evidence, the provision of legal information and "
            "the locating of suspects.",
            kind=Kind.CHANNEL,
            channel=Channel(sender="the 24/7 point of contact of {issuing}", recipient="the 24/7 point of contact of {provider}"),
            facts=PARTIES,
        ),
    ),
    FirstStep(
        "provider emergency disclosure",
        Rule(
            id="first.usc18.2702.emergency_disclosure",
            citation=cite(Instrument.USC_18, "2702(b)(8)"),
            when=_provider_decides,
            message="Ask the provider through its own emergency disclosure procedure. Under the law of "
            "the United States (18 U.S.C. § 2702 in its current wording) a provider may disclose the contents of communications "
            "(18 U.S.C. § 2702(b)(8)) and subscriber or customer records (§ 2702(c)(4)) to a "
            "governmental entity if it believes in good faith that an emergency involving danger "
            "of death or serious physical injury to any person requires disclosure without delay. "
            "Disclosure is voluntary; whether the provider answers an authority of {issuing} this "
            "way depends on its policy.",
            kind=Kind.CHANNEL,
            channel=Channel(
                sender="a competent authority of {issuing}",
                recipient="the provider",
                via="the provider's emergency disclosure request channel",
            ),
        ),
        provider_states=frozenset({"US"}),
    ),
    FirstStep(
        "provider emergency disclosure",
        Rule(
            id="first.voluntary.emergency_disclosure",
            citation=cite(Instrument.CETS_224, "5(7)"),
            when=_provider_decides,
            message="Ask the provider through its own emergency disclosure procedure, if it has one. "
            "Disclosure is voluntary: whether the provider may and will answer an authority of "
            "{issuing} depends on its policy and on the law of {provider}, which the reference data "
            "do not record.",
            kind=Kind.CHANNEL,
            channel=Channel(
                sender="a competent authority of {issuing}",
                recipient="the provider",
                via="the provider's emergency disclosure request channel",
            ),
        ),
        other_than=frozenset({"US"}),
    ),
    FirstStep(
        "expedited means of communication",
        Rule(
            id="first.ets185.art25.3.expedited",
            citation=cite(BC, "25(3)"),
            when=_both_parties,
            message="In urgent circumstances send the mutual assistance request, and the "
            "communications about it, by expedited means such as fax or e-mail, with the security "
            "and authentication {provider} requires; a formal confirmation follows where "
            "{provider} requires one.",
            kind=Kind.CHANNEL,
            channel=Channel(sender="the authority of {issuing} that sends the request", recipient="the authority of {provider}"),
            facts=PARTIES,
        ),
    ),
    FirstStep(
        "direct transmission in urgent cases",
        Rule(
            id="first.ets185.art27.9.direct",
            citation=cite(BC, "27(9)"),
            when=_direct,
            message="In urgent cases the request may go directly from the judicial authorities of "
            "{issuing} to those of {provider}, or through INTERPOL, with a copy at the same time to "
            "the central authority of {provider} through that of {issuing}. Article 27 applies "
            "where no mutual assistance treaty or arrangement is in force between the two States "
            "(Art 27(1)); otherwise that treaty's urgent procedure applies.",
            kind=Kind.CHANNEL,
            channel=Channel(
                sender="the judicial authorities of {issuing}",
                recipient="the judicial authorities of {provider}",
                via="directly or through INTERPOL, with a simultaneous copy between central authorities",
            ),
            facts=(*PARTIES, "provider.ets185.position.D-27-9-e"),
        ),
    ),
    FirstStep(
        "direct transmission in urgent cases",
        Rule(
            id="first.ets185.art27.9.e.central_authority",
            citation=cite(BC, "27(9)(e)"),
            when=_direct_declared,
            message="Where {provider} has declared that urgent requests must be addressed to its "
            "central authority (recorded, or possible where its positions are not fully "
            "recorded), send the urgent request there, by expedited means. Article 27 applies "
            "where no mutual assistance treaty or arrangement is in force between the two States "
            "(Art 27(1)).",
            kind=Kind.CHANNEL,
            channel=Channel(sender="the central authority of {issuing}", recipient="the central authority of {provider}"),
            facts=(*PARTIES, "provider.ets185.position.D-27-9-e"),
        ),
    ),
)


def first_steps(scenario: Scenario, context: Context) -> tuple[tuple[FirstStep, Tri], ...]:
    """The fast channels to use first in an emergency, each with whether it applies.

    Empty outside an emergency and when the provider is in the issuing State (national law).
    """
    if not context.request.any_emergency or context.same_state:
        return ()
    out = []
    for step in STEPS:
        if step.provider_states and scenario.provider_state not in step.provider_states:
            continue
        if scenario.provider_state in step.other_than:
            continue
        value = step.rule.when(context)
        if value is not False:
            out.append((step, value))
    return tuple(out)
