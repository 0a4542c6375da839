"""Routes that rest on no single instrument: other mutual assistance, voluntary disclosure.

CETS 224 Art 5(7) keeps every other form of co-operation open; whether one is available
depends on facts the reference data mostly does not record (bilateral treaties, provider
policy). Two treaty bases are recorded: the European Union's mutual legal assistance
agreements with the United States (OJ L 181, 19.7.2003; in force 1 February 2010) and with
Japan (OJ L 39, 12.2.2010; in force 2 January 2011), which bind the Member States towards
those States. Their article citations are not yet checked against the Official Journal.
"""

from __future__ import annotations

from cyberspex.law.citations import Citation, Instrument, cite
from cyberspex.law.engine import RouteSpec
from cyberspex.law.instruments.common import channel, conditions, deadline, informs, language, same_state
from cyberspex.law.rules import Channel, Context, Deadline, ReasonCode, Rule, Side, Test, always
from cyberspex.law.status import Tri, tri_and, tri_or

P2 = Instrument.CETS_224


def eu_agreement_applies(instrument: str) -> Test:
    """The pair is an EU Member State and the State of the Union's agreement ``instrument``,
    in either direction, and the agreement is in force on ``as_of``."""

    def test(c: Context) -> Tri:
        return tri_or(
            tri_and(c.issuing.eu_member, c.provider.eu_agreement(instrument)),
            tri_and(c.provider.eu_member, c.issuing.eu_agreement(instrument)),
        )

    return test


def _eu_agreement(rule_id: str, instrument: str, citation: Citation, message: str) -> Rule:
    return informs(
        rule_id,
        citation,
        message,
        when=eu_agreement_applies(instrument),
        code=ReasonCode.TREATY_BASIS,
        side=Side.BOTH,
        facts=("issuing.eu_member", "provider.eu_member", f"instrument.{instrument}.entry_into_force"),
        overrides=("mla.treaty_basis",),
    )


MLA = RouteSpec(
    "mla",
    "Other mutual legal assistance (treaty or reciprocity)",
    None,
    (
        same_state(
            "mla.same_state",
            cite(Instrument.ETS_185, "27(1)"),
            "The provider is in {issuing} itself: no mutual assistance is needed; national law applies.",
        ),
        conditions(
            "mla.treaty_basis",
            cite(P2, "5(7)"),
            "Depends on a mutual legal assistance treaty or arrangement in force between "
            "{issuing} and {provider}, or on reciprocity; the reference data does not record "
            "bilateral treaties.",
            when=always,
            code=ReasonCode.TREATY_BASIS,
        ),
        _eu_agreement(
            "mla.eu_us_agreement",
            "eu-us-mla",
            cite(Instrument.EU_US_MLA, "3"),
            "Treaty basis: the Agreement on mutual legal assistance between the European Union "
            "and the United States of America (OJ L 181, 19.7.2003), which applies with the "
            "bilateral mutual legal assistance treaty between the Member State and the United "
            "States, or on its own where there is none.",
        ),
        _eu_agreement(
            "mla.eu_jp_agreement",
            "eu-jp-mla",
            cite(Instrument.EU_JP_MLA, "1"),
            "Treaty basis: the Agreement between the European Union and Japan on mutual legal "
            "assistance in criminal matters (OJ L 39, 12.2.2010); requests go between the central "
            "authorities it designates.",
        ),
        deadline(
            "mla.deadline",
            cite(P2, "5(7)"),
            Deadline(event="response", start="receipt of the request", standard="as the applicable treaty provides"),
        ),
        channel(
            "mla.channel",
            cite(Instrument.ETS_185, "27(2)", verified=True),
            Channel(
                sender="the central authority of {issuing}",
                recipient="the central authority of {provider}",
                via="as the applicable treaty provides",
            ),
        ),
        language("mla.language", cite(P2, "5(7)"), "As the applicable treaty provides."),
    ),
)

VOLUNTARY = RouteSpec(
    "voluntary",
    "Voluntary disclosure by the provider",
    None,
    (
        same_state(
            "voluntary.same_state",
            cite(P2, "5(7)"),
            "The provider is in {issuing} itself: national law governs what it may disclose.",
        ),
        conditions(
            "voluntary.provider_policy",
            cite(P2, "5(7)"),
            "Depends on the provider's own disclosure policy and on whether the law of "
            "{provider} allows it to disclose voluntarily; no instrument obliges it.",
            when=always,
            code=ReasonCode.PROVIDER_POLICY,
        ),
        deadline(
            "voluntary.deadline",
            cite(P2, "5(7)"),
            Deadline(event="response", start="receipt of the request", standard="none; as the provider's policy states"),
        ),
        channel(
            "voluntary.channel",
            cite(P2, "5(7)"),
            Channel(
                sender="a competent authority of {issuing}",
                recipient="the provider",
                via="the provider's own law-enforcement request channel",
            ),
        ),
        language("voluntary.language", cite(P2, "5(7)"), "As the provider's policy states."),
    ),
)
