"""Routes that rest on no single instrument: other mutual assistance, voluntary disclosure.

CETS 224 Art 5(7) keeps every other form of co-operation open; whether one is available
depends on facts the reference data does not record (bilateral treaties, provider policy).
"""

from __future__ import annotations

from cyberspex.law.citations import Instrument, cite
from cyberspex.law.engine import RouteSpec
from cyberspex.law.instruments.common import channel, conditions, deadline, language, same_state
from cyberspex.law.rules import Channel, Deadline, ReasonCode, always

P2 = Instrument.CETS_224

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
