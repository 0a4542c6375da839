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

from cyberspex.law.citations import Citation, Instrument, cite
from cyberspex.law.instruments.other import eu_agreement_applies
from cyberspex.law.record import Record
from cyberspex.law.rules import Channel, Context, Kind, Rule, Test
from cyberspex.law.scenario import EmergencyKind, Scenario
from cyberspex.law.status import Tri, tri_and, tri_not, tri_or

BC = Instrument.ETS_185


class FirstStep(Record):
    """A fast channel to use first in an emergency, and the rule that says when it is open."""

    channel: str  # short, stable name of the channel, e.g. "24/7 network"
    rule: Rule
    provider_states: frozenset[str] = frozenset()  # only for providers in these States; empty: any
    other_than: frozenset[str] = frozenset()  # not for providers in these States
    condition: str | None = None  # the condition the emergency warning states with the channel


def _both_parties(c: Context) -> Tri:
    return tri_and(c.issuing.ets185.bound, c.provider.ets185.bound)


EU_AGREEMENTS = ("eu-us-mla", "eu-jp-mla")


def _eu_agreement(c: Context) -> Tri:
    """An agreement of the Union on mutual legal assistance binds the pair (EU-US, EU-Japan)."""
    return tri_or(*(eu_agreement_applies(instrument)(c) for instrument in EU_AGREEMENTS))


def _art27_applies(c: Context) -> Tri:
    """Both Parties to the Convention, and Art 27 applies only where no mutual assistance
    treaty or arrangement is in force between them (Art 27(1)). A Union agreement recorded
    in force for the pair is such a treaty; bilateral treaties are not recorded (unknown)."""
    return tri_and(_both_parties(c), tri_not(_eu_agreement(c)), None)


def _declared(c: Context, made: Tri) -> Tri:
    """Art 27 may apply and the provider's State's Art 27(9)(e) declaration is ``made``."""
    return tri_and(_art27_applies(c), c.provider.ets_position("D-27-9-e") is made)


def _provider_decides(_: Context) -> Tri:
    return None  # voluntary: the provider decides under its policy and its law


def _provider_decides_for(kind: EmergencyKind) -> Test:
    """Voluntary (unknown) in an emergency of ``kind``; no step in the other kind."""
    return lambda c: None if c.request.emergency is kind else False


PARTIES = ("issuing.ets185", "provider.ets185")
DECLARATION = "provider.ets185.position.D-27-9-e"

USC_2702 = (
    "Ask the provider through its own emergency disclosure procedure. Under the law of "
    "the United States (18 U.S.C. § 2702 in its current wording) a provider may disclose the contents of communications "
    "(18 U.S.C. § 2702(b)(8)) and subscriber or customer records (§ 2702(c)(4)) to a "
    "governmental entity if it believes in good faith that an emergency involving danger "
    "of death or serious physical injury to any person requires disclosure without delay. "
    "Disclosure is voluntary; whether the provider answers an authority of {issuing} this "
    "way depends on its policy."
)
USC_2702_CHANNEL = Channel(
    sender="a competent authority of {issuing}",
    recipient="the provider",
    via="the provider's emergency disclosure request channel",
)
USC_2702_CONDITION = "only where an emergency involves danger of death or serious physical injury to a person"


def _eu_agreement_step(instrument: str, citation: Citation, title: str) -> FirstStep:
    """Where a Union agreement binds the pair, Art 27 and its urgent channel give way to it."""
    return FirstStep(
        "urgent request under the mutual legal assistance agreement",
        Rule(
            id=f"first.{instrument.replace('-', '_')}.urgent",
            citation=citation,
            when=eu_agreement_applies(instrument),
            message=f"The {title} is in force between {{issuing}} and {{provider}}, so Article 27 of "
            "the Convention, its direct transmission in urgent cases (Art 27(9)) included, does not "
            "apply: Article 27 applies only where no mutual assistance treaty or arrangement is in "
            "force between the two (ETS 185 Art 27(1)). "
            "Send the urgent request under that agreement, by its procedure for urgent cases, "
            "between the central authorities it designates, by expedited means.",
            kind=Kind.CHANNEL,
            channel=Channel(
                sender="the central authority of {issuing}",
                recipient="the central authority of {provider}",
                via=f"the {title}'s procedure for urgent requests",
            ),
            facts=("issuing.eu_member", "provider.eu_member", f"instrument.{instrument}.entry_into_force"),
        ),
    )


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
            when=_provider_decides_for(EmergencyKind.LIFE),
            message=USC_2702,
            kind=Kind.CHANNEL,
            channel=USC_2702_CHANNEL,
        ),
        provider_states=frozenset({"US"}),
        condition=USC_2702_CONDITION,
    ),
    # A threat to critical infrastructure alone is no emergency under § 2702(b)(8) and
    # (c)(4), whose condition is danger of death or serious physical injury to a person.
    FirstStep(
        "provider emergency disclosure",
        Rule(
            id="first.usc18.2702.emergency_disclosure.infrastructure",
            citation=cite(Instrument.USC_18, "2702(b)(8)"),
            when=_provider_decides_for(EmergencyKind.INFRASTRUCTURE),
            message="Only if a person is also in danger of death or serious physical injury: a threat "
            "to critical infrastructure alone does not meet the condition of 18 U.S.C. § 2702(b)(8) "
            "and (c)(4). If a person is in such danger: " + USC_2702[0].lower() + USC_2702[1:],
            kind=Kind.CHANNEL,
            channel=USC_2702_CHANNEL,
        ),
        provider_states=frozenset({"US"}),
        condition="only if a person is also in danger of death or serious physical injury; "
        "a threat to critical infrastructure alone is not enough",
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
    # Art 27(1): where a Union agreement binds the pair, it replaces Art 27 (EU-US: Art 3 sets
    # how it applies with the bilateral treaties; EU-Japan: no bilateral treaty exists).
    _eu_agreement_step("eu-us-mla", cite(Instrument.EU_US_MLA, "3"), "EU-US MLA Agreement"),
    _eu_agreement_step("eu-jp-mla", cite(Instrument.EU_JP_MLA, "1"), "EU-Japan MLA Agreement"),
    # Art 27(9): one step, by what is recorded of the provider's Art 27(9)(e) declaration.
    FirstStep(
        "direct transmission in urgent cases",
        Rule(
            id="first.ets185.art27.9.direct",
            citation=cite(BC, "27(9)"),
            when=lambda c: _declared(c, False),
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
            facts=(*PARTIES, DECLARATION),
        ),
    ),
    FirstStep(
        "direct transmission in urgent cases",
        Rule(
            id="first.ets185.art27.9.e.central_authority",
            citation=cite(BC, "27(9)(e)"),
            when=lambda c: _declared(c, True),
            message="{provider} has declared under Art 27(9)(e) that urgent requests must be "
            "addressed to its central authority: send the urgent request there, through the central "
            "authority of {issuing}, by expedited means. Article 27 applies where no mutual "
            "assistance treaty or arrangement is in force between the two States (Art 27(1)); "
            "otherwise that treaty's urgent procedure applies.",
            kind=Kind.CHANNEL,
            channel=Channel(sender="the central authority of {issuing}", recipient="the central authority of {provider}"),
            facts=(*PARTIES, DECLARATION),
        ),
    ),
    FirstStep(
        "direct transmission in urgent cases",
        Rule(
            id="first.ets185.art27.9.direct_or_central_authority",
            citation=cite(BC, "27(9)"),
            when=lambda c: _declared(c, None),
            message="Depends on whether {provider} has declared under Art 27(9)(e) that urgent "
            "requests must be addressed to its central authority. If it has, send the urgent "
            "request to its central authority, through that of {issuing}, by expedited means. If it "
            "has not, the request may go directly from the judicial authorities of {issuing} to "
            "those of {provider}, or through INTERPOL, with a copy at the same time to the central "
            "authority of {provider} through that of {issuing}. Article 27 applies where no mutual "
            "assistance treaty or arrangement is in force between the two States (Art 27(1)); "
            "otherwise that treaty's urgent procedure applies.",
            kind=Kind.CHANNEL,
            channel=Channel(
                sender="the central authority of {issuing} (if declared), or its judicial authorities",
                recipient="the central authority of {provider} (if declared), or its judicial authorities",
                via="by the Art 27(9)(e) declaration, which is not recorded; sent directly or through "
                "INTERPOL, with a simultaneous copy between central authorities",
            ),
            facts=(*PARTIES, DECLARATION),
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
