"""Regulation (EU) 2023/1543 on European Production and Preservation Orders.

ELI http://data.europa.eu/eli/reg/2023/1543/oj (OJ L 191, 28.7.2023, p. 118). Rules in
article order. Citations marked verified were checked against the text (tag V1 in
eu-e-evidence.md); the others rest on secondary sources or are unverified.
"""

from __future__ import annotations

from cyberspex.law.citations import Instrument, cite
from cyberspex.law.engine import RouteSpec
from cyberspex.law.instruments.common import (
    blocks,
    channel,
    data_is,
    deadline,
    entity_is,
    informs,
    language,
    measure_is,
    notification,
    requirement,
    same_state,
)
from cyberspex.law.rules import Channel, Context, Deadline, ReasonCode, Rule, Side, never
from cyberspex.law.scenario import DataCategory, Entity, Measure
from cyberspex.law.status import Tri, tri_and, tri_not

REG = Instrument.REG_2023_1543
LOW = (DataCategory.SUBSCRIBER, DataCategory.IDENTIFICATION, DataCategory.DOMAIN_REGISTRATION)
HIGH = (DataCategory.TRAFFIC, DataCategory.CONTENT)


def _issuing_not_bound(c: Context) -> Tri:
    return tri_not(c.issuing.reg_bound)


def _provider_not_bound(c: Context) -> Tri:
    return tri_not(c.provider.reg_bound)


def _threshold_not_met(c: Context) -> Tri:
    """Art 5(4) applies to traffic and content data only; unknown until the user says."""
    if c.request.data not in HIGH:
        return False
    return tri_not(c.request.offence_threshold)


def _scope_rules(prefix: str) -> tuple[Rule, ...]:
    """Art 1, 3 and 34: who can issue to whom, and from when. Shared by EPOC and EPOC-PR."""
    return (
        # Art 1(1), second subparagraph: national powers over providers on the issuing
        # State's own territory are unaffected; the Regulation needs another Member State.
        same_state(
            f"{prefix}.art1.1.same_state",
            cite(REG, "1(1)", verified=True),
            "The addressee is in {issuing} itself: national law applies, not the Regulation.",
        ),
        # An order is issued by a Member State bound by the Regulation (Denmark is not:
        # recitals, tag V2) ...
        blocks(
            f"{prefix}.art3.issuing_bound",
            cite(REG, "Recitals"),
            "{issuing} is not bound by Regulation (EU) 2023/1543 ({issuing_reg}).",
            when=_issuing_not_bound,
            code=ReasonCode.NOT_BOUND,
            side=Side.ISSUING,
            facts=("issuing.eu_member", "issuing.reg_bound"),
            passed="{issuing_reg_passed}",
        ),
        # ... to an addressee located in another Member State bound by it.
        blocks(
            f"{prefix}.art3.addressee_bound",
            cite(REG, "3(1)", verified=True),
            "The addressee must be located in another Member State bound by the Regulation; {provider} is not ({provider_reg}).",
            when=_provider_not_bound,
            code=ReasonCode.NOT_BOUND,
            side=Side.PROVIDER,
            facts=("provider.eu_member", "provider.reg_bound"),
            passed="{provider_reg_passed}",
        ),
        # Directive (EU) 2023/1544 Art 3(1)(b): providers not established in the Union
        # appoint a legal representative in a participating Member State.
        informs(
            f"{prefix}.dir2023_1544.art3.1.legal_representative",
            cite(Instrument.DIR_2023_1544, "3(1)", verified=True),
            "If the provider offers services in the Union it must have a designated "
            "establishment or legal representative in a Member State bound by the "
            "Regulation: give that State as the provider's State to use this route.",
            when=lambda c: tri_and(c.issuing.reg_bound, _provider_not_bound(c)),
            code=ReasonCode.ADDRESSEE,
            side=Side.PROVIDER,
        ),
        # Art 34(2): the Regulation applies from 18 August 2026.
        blocks(
            f"{prefix}.art34.2.applicable",
            cite(REG, "34(2)"),
            "The Regulation applies only from {reg_applicable_from}.",
            when=lambda c: not c.clock.reg_applicable,
            code=ReasonCode.NOT_IN_FORCE,
            facts=("instrument.reg-2023-1543.applicable_from",),
            passed="The Regulation applies on {as_of}.",
        ),
        informs(
            f"{prefix}.art3.3.b.registrar",
            cite(REG, "3(3)(b)", verified=True),
            "Domain name registries and registrars are service providers under the "
            "Regulation; registration data identifying the registrant are treated here as "
            "subscriber data (Art 3(9), not yet verified).",
            when=entity_is(Entity.REGISTRAR),
            code=ReasonCode.INTERPRETATION,
        ),
    )


def _transmission(prefix: str, *, enforcement: bool) -> tuple[Rule, Rule]:
    """Art 19(1) channel and Art 9 language, the same for both certificates."""
    enforcement_note = " Enforcement documents: a language the enforcing State accepts (Art 16(1))." if enforcement else ""
    return (
        channel(
            f"{prefix}.art19.1.channel",
            cite(REG, "19(1)", verified=True),
            Channel(
                sender="the issuing authority of {issuing}",
                recipient="the provider's designated establishment or legal representative in {provider}",
                via="the decentralised IT system (Art 19(1)); the fastest secure alternative where it cannot be used (Art 19(5))",
            ),
        ),
        language(
            f"{prefix}.art9.language",
            cite(REG, "9"),
            "An official language of the Union accepted by the addressee as notified by the "
            "provider; where none was notified, an official language of {provider}." + enforcement_note,
        ),
    )


EPOC_RULES: tuple[Rule, ...] = (
    *_scope_rules("reg.epoc"),
    blocks(
        "reg.epoc.art3.1.production_only",
        cite(REG, "3(1)", verified=True),
        "A European Production Order orders production; preservation needs a European Preservation Order (EPOC-PR).",
        when=measure_is(Measure.PRESERVATION),
        code=ReasonCode.MEASURE_NOT_COVERED,
    ),
    # Art 4: issuing and validating authorities.
    requirement(
        "reg.epoc.art4.1.validation",
        cite(REG, "4(1)", verified=True),
        "Issue by a judge, court, investigating judge or public prosecutor; an order "
        "issued by another competent authority must be validated by one of them.",
        code="validation",
        when=data_is(*LOW),
    ),
    requirement(
        "reg.epoc.art4.2.validation",
        cite(REG, "4(2)"),
        "Traffic and content data: issue by a judge, court or investigating judge (not a "
        "public prosecutor); an order of another competent authority must be validated "
        "by a judge, court or investigating judge.",
        code="validation",
        when=data_is(*HIGH),
    ),
    requirement(
        "reg.epoc.art4.5.emergency_validation",
        cite(REG, "4(5)"),
        "In a validly established emergency, if validation cannot be obtained in time, an "
        "order for subscriber or identification data may be issued without prior "
        "validation; ex-post validation must follow within 48 hours.",
        code="validation",
        when=lambda c: c.request.any_emergency and c.request.data in LOW,
    ),
    # Art 5: conditions for issuing a European Production Order.
    requirement(
        "reg.epoc.art5.2.necessity",
        cite(REG, "5(2)", verified=True),
        "The order must be necessary and proportionate, and a similar order must be "
        "available in a similar domestic case in {issuing}.",
        code="necessity",
    ),
    blocks(
        "reg.epoc.art5.4.offence_threshold",
        cite(REG, "5(4)"),  # points (a)-(b) V1; (c) article range and (d) V2
        "Traffic data (other than data requested only to identify the user) and content "
        "data may be ordered only for offences punishable in {issuing} by a custodial "
        "sentence of a maximum of at least 3 years, for the listed offences committed by "
        "means of an information system, for terrorist offences, or to execute a "
        "sentence of at least 4 months{offence_threshold}.",
        when=_threshold_not_met,
        code=ReasonCode.OFFENCE_THRESHOLD,
        passed="{offence_threshold_passed}",
    ),
    # Art 8: notification of the enforcing authority.
    notification(
        "reg.epoc.art8.1.enforcing_authority",
        cite(REG, "8(1)", verified=True),
        "For traffic or content data the EPOC goes to the enforcing authority of "
        "{provider} at the same time as to the addressee, unless the issuing authority "
        "has reasonable grounds to believe that the offence was committed in {issuing} "
        "and the person whose data are sought resides there (Art 8(2)). Not required for "
        "subscriber data or data requested only to identify the user.",
        when=lambda c: None if c.request.data in HIGH else False,
        recipient="the enforcing authority of {provider}",
    ),
    # Art 10: deadlines for the addressee.
    deadline(
        "reg.epoc.art10.1.preserve",
        cite(REG, "10(1)", verified=True),
        Deadline(event="addressee preserves the data", start="receipt of the EPOC", standard="expeditiously"),
    ),
    deadline(
        "reg.epoc.art10.2.with_notification",
        cite(REG, "10(2)", verified=True),
        Deadline(
            event="data transmitted at the end of the period, if the enforcing authority raised no ground for refusal",
            start="receipt of the EPOC",
            days=10,
        ),
        when=lambda c: None if c.request.data in HIGH else False,
    ),
    deadline(
        "reg.epoc.art10.3.normal",
        cite(REG, "10(3)", verified=True),
        Deadline(event="data transmitted at the latest", start="receipt of the EPOC", days=10),
        when=lambda c: True if c.request.data in LOW else None,
    ),
    deadline(
        "reg.epoc.art10.4.emergency",
        cite(REG, "10(4)", verified=True),
        Deadline(event="data transmitted without undue delay, at the latest", start="receipt of the EPOC", hours=8),
        when=lambda c: c.request.any_emergency,
        overrides=("reg.epoc.art10.2.with_notification", "reg.epoc.art10.3.normal"),
    ),
    deadline(
        "reg.epoc.art12.1.review",
        cite(REG, "12(1)", verified=True),
        Deadline(event="enforcing authority raises any ground for refusal", start="receipt of the notification", days=10),
        when=lambda c: None if c.request.data in HIGH and not c.request.any_emergency else False,
    ),
    deadline(
        "reg.epoc.art12.1.review_emergency",
        cite(REG, "12(1)", verified=True),
        Deadline(
            event="enforcing authority raises any ground for refusal (it may also object to the use of data "
            "already transmitted, or set conditions for it: Art 10(4))",
            start="receipt of the notification",
            hours=96,
        ),
        when=lambda c: None if c.request.data in HIGH and c.request.any_emergency else False,
    ),
    requirement(
        "reg.epoc.art13.1.inform_user",
        cite(REG, "13(1)", verified=True),
        "Inform the person whose data are requested without undue delay; informing may "
        "be delayed, restricted or omitted under Art 13(2), with a short justification "
        "in the EPOC.",
        code="user_information",
    ),
    *_transmission("reg.epoc", enforcement=True),
)


EPOC_PR_RULES: tuple[Rule, ...] = (
    *_scope_rules("reg.epoc_pr"),
    blocks(
        "reg.epoc_pr.art3.2.preservation_only",
        cite(REG, "3(2)", verified=True),
        "A European Preservation Order orders preservation only; production needs a "
        "European Production Order (EPOC) or another instrument.",
        when=measure_is(Measure.PRODUCTION),
        code=ReasonCode.MEASURE_NOT_COVERED,
    ),
    requirement(
        "reg.epoc_pr.art4.3.validation",
        cite(REG, "4(3)"),
        "Issue by a judge, court, investigating judge or public prosecutor, or validation "
        "by one of them of an order issued by another competent authority.",
        code="validation",
    ),
    requirement(
        "reg.epoc_pr.art4.5.emergency_validation",
        cite(REG, "4(5)"),
        "In a validly established emergency a preservation order may be issued without "
        "prior validation if it cannot be obtained in time; ex-post validation must "
        "follow within 48 hours.",
        code="validation",
        when=lambda c: c.request.any_emergency,
    ),
    requirement(
        "reg.epoc_pr.art6.follow_up",
        cite(REG, "6"),
        "Preservation serves a subsequent request for production (by mutual assistance, "
        "a European Investigation Order or a European Production Order).",
        code="follow_up",
    ),
    notification(
        "reg.epoc_pr.art8.1.no_notification",
        cite(REG, "8(1)", verified=True),
        "No notification of the enforcing authority is required for a preservation order.",
        when=never,
        recipient="the enforcing authority of {provider}",
    ),
    deadline(
        "reg.epoc_pr.art11.1.preserve",
        cite(REG, "11(1)", verified=True),
        Deadline(event="addressee preserves the data", start="receipt of the EPOC-PR", standard="without undue delay"),
    ),
    deadline(
        "reg.epoc_pr.art11.1.duration",
        cite(REG, "11(1)", verified=True),
        Deadline(
            event="preservation ends unless a subsequent production request is confirmed (Annex V) or the period is extended",
            start="receipt of the EPOC-PR",
            days=60,
        ),
    ),
    deadline(
        "reg.epoc_pr.art11.1.extension",
        cite(REG, "11(1)", verified=True),
        Deadline(
            event="optional extension of preservation (Annex VI), requested within the 60 days",
            start="end of the 60-day period",
            days=30,
        ),
    ),
    *_transmission("reg.epoc_pr", enforcement=False),
)

EPOC = RouteSpec("eu-epoc", "European Production Order Certificate (EPOC)", REG, EPOC_RULES)
EPOC_PR = RouteSpec("eu-epoc-pr", "European Preservation Order Certificate (EPOC-PR)", REG, EPOC_PR_RULES)
