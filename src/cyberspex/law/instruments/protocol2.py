"""Second Additional Protocol to the Convention on Cybercrime (CETS 224), Arts 4-16.

Official text believed at https://rm.coe.int/1680a49dab. Most rows of the reference
carry tag T (summarised, not yet checked line by line), so citations default to
``verified=False``; the reservation under Art 7(9)(a) and the declaration under
Art 8(11) were confirmed through Japan's instrument (tag V).
"""

from __future__ import annotations

from cyberspex.law.citations import Instrument, cite
from cyberspex.law.engine import RouteSpec
from cyberspex.law.instruments.common import (
    blocks,
    channel,
    conditions,
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
from cyberspex.law.rules import Channel, Context, Deadline, ReasonCode, Rule, Side, Test, never
from cyberspex.law.scenario import DataCategory, EmergencyKind, Entity, Measure
from cyberspex.law.status import StateProfile, Tri, tri_and, tri_not, tri_or

P2 = Instrument.CETS_224
SUB = DataCategory.SUBSCRIBER
IDENT = DataCategory.IDENTIFICATION
TRAFFIC = DataCategory.TRAFFIC


def _not_party(side: str) -> Test:
    def test(c: Context) -> Tri:
        profile: StateProfile = getattr(c, side)
        return tri_not(profile.cets224.consented)

    return test


def _not_yet_in_force_for(side: str) -> Test:
    def test(c: Context) -> Tri:
        profile: StateProfile = getattr(c, side)
        status = profile.cets224
        if not c.clock.cets224_in_force or status.consented is not True:
            return False
        return tri_not(status.bound)

    return test


def _position(side: str, code: str) -> Test:
    def test(c: Context) -> Tri:
        profile: StateProfile = getattr(c, side)
        return profile.position(code)

    return test


EU_PAIR_FACTS = (
    "issuing.eu_member",
    "provider.eu_member",
    "issuing.reg_bound",
    "provider.reg_bound",
    "issuing.eio_bound",
    "provider.eio_bound",
    "instrument.reg-2023-1543.applicable_from",
    "instrument.dir-2014-41.applicable_from",
)


def _common_eu_instrument(c: Context) -> Tri:
    """An EU instrument on the Protocol's subject matter binds both States on the date."""
    reg = tri_and(c.clock.reg_applicable, c.issuing.reg_bound, c.provider.reg_bound)
    eio = tri_and(c.clock.eio_applicable, c.issuing.eio_bound, c.provider.eio_bound)
    return tri_or(reg, eio)


def _eu_law_governs(c: Context) -> Tri:
    return tri_and(c.issuing.eu_member, c.provider.eu_member, _common_eu_instrument(c))


def _no_common_eu_instrument(c: Context) -> Tri:
    return tri_and(c.issuing.eu_member, c.provider.eu_member, tri_not(_common_eu_instrument(c)))


def _party_rules(prefix: str, side: Side) -> tuple[Rule, Rule]:
    """Art 16(1) and (4) for one side: has it consented, and is the Protocol in force for it?"""
    who = "{" + side.value + "}"
    return (
        blocks(
            f"{prefix}.art16.{side.value}_party",
            cite(P2, "16(1)"),
            f"{who} has not consented to be bound by the Protocol ({{{side.value}_cets224}}).",
            when=_not_party(side.value),
            code=ReasonCode.NOT_BOUND,
            side=side,
            facts=(f"{side.value}.cets224",),
            passed=f"{who} has consented to be bound by the Protocol.",
        ),
        blocks(
            f"{prefix}.art16.4.{side.value}_in_force",
            cite(P2, "16(4)"),
            f"The Protocol is not yet in force for {who}: for a later Party it enters "
            "into force on the first day of the month after three months from its consent.",
            when=_not_yet_in_force_for(side.value),
            code=ReasonCode.NOT_BOUND,
            side=side,
            facts=(f"{side.value}.cets224",),
        ),
    )


def _common(prefix: str, same_state_ref: str) -> tuple[Rule, ...]:
    """Arts 15-16: who is bound by the Protocol, and between whom it applies."""
    return (
        same_state(
            f"{prefix}.same_state",
            cite(P2, same_state_ref),
            "The provider is in {issuing} itself: the Protocol concerns co-operation with another Party; national law applies.",
        ),
        # Art 15(1)(b): EU Member States may apply EU law between themselves. Where an EU
        # instrument on the matter binds both, EU law governs; where none does (pairs with
        # Denmark), the Protocol may apply between them: a reading (docs/adr/0007).
        blocks(
            f"{prefix}.art15.1.b.eu_internal",
            cite(P2, "15(1)(b)"),
            "{issuing} and {provider} are both EU Member States bound by an EU instrument on "
            "the matter: EU law governs their mutual relations on the Protocol's subject "
            "matter (disconnection clause).",
            when=_eu_law_governs,
            code=ReasonCode.EU_INTERNAL,
            side=Side.BOTH,
            facts=EU_PAIR_FACTS,
        ),
        conditions(
            f"{prefix}.art15.1.b.no_common_eu_instrument",
            cite(P2, "15(1)(b)"),
            "{issuing} and {provider} are both EU Member States, but no EU instrument on the "
            "matter binds both of them on {as_of} (Regulation (EU) 2023/1543, applicable from "
            "{reg_applicable_from}: {issuing} {issuing_reg}, {provider} {provider_reg}; EIO "
            "Directive, applicable from {eio_applicable_from}: {issuing} {issuing_eio}, {provider} "
            "{provider_eio}). Art 15(1)(b) allows Member States to apply Union law "
            "between themselves but does not require it, so the Protocol may apply between "
            "them: confirm with both central authorities (reading recorded in ADR 0007).",
            when=_no_common_eu_instrument,
            code=ReasonCode.INTERPRETATION,
            side=Side.BOTH,
            facts=EU_PAIR_FACTS,
        ),
        # Art 16(3): entry into force after the fifth consent to be bound.
        blocks(
            f"{prefix}.art16.3.in_force",
            cite(P2, "16(3)"),
            "The Protocol is not in force on {as_of}: it enters into force on the first day "
            "of the month after three months from the fifth consent to be bound "
            "({cets224_consents} consent(s) counted{cets224_eif}).",
            when=lambda c: not c.clock.cets224_in_force,
            code=ReasonCode.NOT_IN_FORCE,
            facts=("instrument.cets-224.consents",),
            passed="The Protocol is in force on {as_of}.",
        ),
        *(rule for side in (Side.ISSUING, Side.PROVIDER) for rule in _party_rules(prefix, side)),
        informs(
            f"{prefix}.what_if",
            cite(P2, "16(3)"),
            "What-if scenario: {assumptions}. This is a planning answer, not the law on {as_of}.",
            when=lambda c: c.clock.cets224_assume_in_force or c.issuing.cets224.assumed or c.provider.cets224.assumed,
            code=ReasonCode.ASSUMPTION,
        ),
    )


def _service_provider_only(prefix: str, ref: str) -> Rule:
    return blocks(
        f"{prefix}.entity",
        cite(P2, ref),
        "This article concerns service providers; requests to registrars for registration data use Article 6.",
        when=entity_is(Entity.REGISTRAR),
        code=ReasonCode.ENTITY_NOT_COVERED,
    )


def _disclosure_only(prefix: str, ref: str) -> Rule:
    return blocks(
        f"{prefix}.measure",
        cite(P2, ref),
        "This article provides for disclosure or production, not preservation.",
        when=measure_is(Measure.PRESERVATION),
        code=ReasonCode.MEASURE_NOT_COVERED,
    )


ART4_1 = "A language {provider} accepts, or a translation into such a language (Art 4(1))."
ART4_2 = (
    "To the provider or registrar: a language of {provider} in which it accepts comparable "
    "domestic process, another language it accepts, or a translation into one of these "
    "(Art 4(2))."
)

ART6 = RouteSpec(
    "2ap-6",
    "Request for domain name registration information (Art 6)",
    P2,
    (
        *_common("cets224.art6", "6(1)"),
        blocks(
            "cets224.art6.1.entity",
            cite(P2, "6(1)"),
            "Article 6 requests go to entities providing domain name registration services.",
            when=entity_is(Entity.SERVICE_PROVIDER),
            code=ReasonCode.ENTITY_NOT_COVERED,
        ),
        blocks(
            "cets224.art6.1.data",
            cite(P2, "6(1)"),
            "Article 6 covers information identifying or allowing contact with the registrant of a domain name only.",
            when=lambda c: c.request.data is not DataCategory.DOMAIN_REGISTRATION,
            code=ReasonCode.DATA_NOT_COVERED,
        ),
        _disclosure_only("cets224.art6.1", "6(1)"),
        requirement(
            "cets224.art6.3.content",
            cite(P2, "6(3)"),
            "Include the date and issuing authority, the domain name and the data sought "
            "element by element, the statement that the request is issued under the Protocol "
            "and is needed for a specific investigation, and the time frame and manner of "
            "disclosure.",
            code="content",
        ),
        requirement(
            "cets224.art6.5.consultation",
            cite(P2, "6(5)"),
            "If the entity does not co-operate, ask it why and seek consultation with the "
            "authority {provider} designated under Art 6(6).",
            code="follow_up",
        ),
        notification(
            "cets224.art6.no_notification",
            cite(P2, "6(1)"),
            "Article 6 has no simultaneous-notification mechanism.",
            when=never,
            recipient="the authorities of {provider}",
        ),
        deadline(
            "cets224.art6.3.d.time_frame",
            cite(P2, "6(3)(d)"),
            Deadline(
                event="disclosure by the registrar",
                start="receipt of the request",
                standard="time frame set in the request; none fixed by the Protocol",
            ),
        ),
        channel(
            "cets224.art6.1.channel",
            cite(P2, "6(1)"),
            Channel(
                sender="a competent authority of {issuing}",
                recipient="the registrar or registry in {provider}",
                via="directly; electronically if the entity accepts it (Art 6(4))",
            ),
        ),
        language("cets224.art4.2.language", cite(P2, "4(2)"), ART4_2),
    ),
)


def _notification_required(c: Context) -> Tri:
    made = c.provider.position("N-7-5-a")
    if made is not True:
        return made
    return True if c.provider.position_scope("N-7-5-a") == "every_case" else None


ART7 = RouteSpec(
    "2ap-7",
    "Order for subscriber information to a provider (Art 7)",
    P2,
    (
        *_common("cets224.art7", "7(1)"),
        _service_provider_only("cets224.art7.1", "7(1)"),
        blocks(
            "cets224.art7.1.data",
            cite(P2, "7(1)"),
            "Article 7 covers stored subscriber information only.",
            when=data_is(TRAFFIC, DataCategory.CONTENT, DataCategory.DOMAIN_REGISTRATION),
            code=ReasonCode.DATA_NOT_COVERED,
        ),
        conditions(
            "cets224.art7.1.identification",
            cite(P2, "3(1)"),
            "Whether the data are subscriber information (ETS 185 Art 18(3)) depends on what "
            "is sought: the identity behind an IP address is subscriber information, "
            "connection logs are traffic data.",
            when=data_is(IDENT),
            code=ReasonCode.DATA_NOT_COVERED,
        ),
        _disclosure_only("cets224.art7.1", "7(1)"),
        blocks(
            "cets224.art7.9.a.provider",
            cite(P2, "7(9)(a)", verified=True),
            "{provider} has reserved the right not to apply Article 7: no order can be sent directly to a provider there.",
            when=_position("provider", "R-7-9-a"),
            code=ReasonCode.RESERVATION,
            side=Side.PROVIDER,
            facts=("provider.cets224.position.R-7-9-a",),
            overrides=(
                "cets224.art7.5.a.notification",
                "cets224.art7.2.b.supervision",
                "cets224.art7.9.b.access_numbers",
            ),
            passed="{provider} has made no reservation under Art 7(9)(a).",
        ),
        blocks(
            "cets224.art7.9.a.issuing",
            cite(P2, "7(9)(a)"),
            "{issuing} has reserved the right not to apply Article 7, so it has not "
            "undertaken to empower its authorities to issue such orders (Art 7(1)).",
            when=_position("issuing", "R-7-9-a"),
            code=ReasonCode.RESERVATION,
            side=Side.ISSUING,
            facts=("issuing.cets224.position.R-7-9-a",),
        ),
        conditions(
            "cets224.art7.9.b.access_numbers",
            cite(P2, "7(9)(b)"),
            "{provider} may have reserved the right not to apply Article 7 to certain types of access numbers.",
            when=lambda c: tri_and(c.request.data in (SUB, IDENT), c.provider.position("R-7-9-b")),
            code=ReasonCode.RESERVATION,
            side=Side.PROVIDER,
            facts=("provider.cets224.position.R-7-9-b",),
        ),
        requirement(
            "cets224.art7.2.b.supervision",
            cite(P2, "7(2)(b)"),
            "{provider} requires orders to its providers to be issued by, or under the "
            "supervision of, a prosecutor or other judicial authority, or under independent "
            "supervision.",
            code="supervision",
            when=_position("provider", "D-7-2-b"),
            facts=("provider.cets224.position.D-7-2-b",),
        ),
        requirement(
            "cets224.art7.3.content",
            cite(P2, "7(3)"),
            "The order states the issuing authority and date, that it is issued under the "
            "Protocol, the provider, the offence, the authority seeking the data and a "
            "detailed description of the subscriber information; it is accompanied by the "
            "supplemental information of Art 7(4).",
            code="content",
        ),
        notification(
            "cets224.art7.5.a.notification",
            cite(P2, "7(5)(a)"),
            "Send the order, the supplemental information and a summary of the facts at the "
            "same time to the authority {provider} designated under Art 7(5)(e).",
            when=_notification_required,
            recipient="the authority designated by {provider} under Art 7(5)(e)",
            hedged="{provider} may require simultaneous notification under Art 7(5)(a): if it does, send the "
            "order, the supplemental information and a summary of the facts at the same time to the "
            "authority {provider} designated under Art 7(5)(e).",
            facts=("provider.cets224.position.N-7-5-a",),
        ),
        deadline(
            "cets224.art7.7.fallback",
            cite(P2, "7(7)"),
            Deadline(
                event="disclosure, or the issuing Party may seek enforcement only through Art 8 or other mutual assistance",
                start="receipt of the order by the provider (or the later end of the Art 7(4)(d) time frame)",
                days=30,
            ),
        ),
        channel(
            "cets224.art7.1.channel",
            cite(P2, "7(1)"),
            Channel(
                sender="a competent authority of {issuing}",
                recipient="the service provider in {provider}",
                via="directly; electronically if the provider accepts it (Art 7(6))",
            ),
        ),
        language("cets224.art4.language", cite(P2, "4(2)"), ART4_2 + " To the notified authority: " + ART4_1),
    ),
)


# Art 8(6)(a): the 45 days to serve run from the requested Party's receipt of all the
# Art 8(3)-(4) information; the 20 and 45 days are the periods the requested Party's order
# gives the provider to return the data, so they run from service on the provider.
RECEIPT_OF_ALL_INFORMATION = "receipt by the requested Party of all the Art 8(3) and 8(4) information"
SERVICE_ON_PROVIDER = "service of the requested Party's order on the provider"


def _art7_first_required(c: Context) -> Tri:
    """Art 7(8): a declaration about subscriber information only, and meaningless where the
    declaring Party has reserved the right not to apply Article 7 at all (Art 7(9)(a))."""
    if c.request.data not in (SUB, IDENT):
        return False
    asks_subscriber: Tri = True if c.request.data is SUB else None  # identification: depends on what is sought
    return tri_and(asks_subscriber, c.provider.position("D-7-8"), tri_not(c.provider.position("R-7-9-a")))


ART8 = RouteSpec(
    "2ap-8",
    "Giving effect to an order for subscriber information or traffic data (Art 8)",
    P2,
    (
        *_common("cets224.art8", "8(1)"),
        _service_provider_only("cets224.art8.1", "8(1)"),
        blocks(
            "cets224.art8.1.data",
            cite(P2, "8(1)"),
            "Article 8 covers stored subscriber information and traffic data only.",
            when=data_is(DataCategory.CONTENT, DataCategory.DOMAIN_REGISTRATION),
            code=ReasonCode.DATA_NOT_COVERED,
        ),
        _disclosure_only("cets224.art8.1", "8(1)"),
        blocks(
            "cets224.art8.13.traffic",
            cite(P2, "8(13)"),
            "{provider} has reserved the right not to apply Article 8 to traffic data.",
            when=lambda c: tri_and(c.request.data is TRAFFIC, c.provider.position("R-8-13")),
            code=ReasonCode.RESERVATION,
            side=Side.PROVIDER,
            facts=("provider.cets224.position.R-8-13",),
        ),
        conditions(
            "cets224.art8.13.identification",
            cite(P2, "8(13)"),
            "{provider} may not apply Article 8 to traffic data; whether data requested to "
            "identify a user are traffic data depends on what is sought.",
            when=lambda c: tri_and(c.request.data is IDENT, c.provider.position("R-8-13")),
            code=ReasonCode.RESERVATION,
            side=Side.PROVIDER,
            facts=("provider.cets224.position.R-8-13",),
        ),
        requirement(
            "cets224.art7.8.art7_first",
            cite(P2, "7(8)"),
            "{provider} requires issuing Parties to seek the subscriber information from the "
            "provider under Article 7 first, unless they give a reasonable explanation.",
            code="seek_art7_first",
            when=_art7_first_required,
            facts=("provider.cets224.position.D-7-8", "provider.cets224.position.R-7-9-a"),
        ),
        requirement(
            "cets224.art8.3.content",
            cite(P2, "8(3)"),
            "Submit the order (Art 8(3)(a)) with the supporting information (Art 8(3)(b)); "
            "the supporting information is not disclosed to the provider without the consent "
            "of {issuing}.",
            code="content",
        ),
        requirement(
            "cets224.art8.4.additional_information",
            cite(P2, "8(4)"),
            "{provider} requires additional supporting information to give effect to orders.",
            code="additional_information",
            when=_position("provider", "D-8-4"),
            facts=("provider.cets224.position.D-8-4",),
        ),
        deadline(
            "cets224.art8.6.a.serve",
            cite(P2, "8(6)(a)"),
            Deadline(
                event="requested Party makes reasonable efforts to serve the provider (within 45 days, if not sooner)",
                start=RECEIPT_OF_ALL_INFORMATION,
                days=45,
            ),
        ),
        deadline(
            "cets224.art8.6.a.i.subscriber",
            cite(P2, "8(6)(a)(i)"),
            Deadline(
                event=(
                    "provider returns the subscriber information at the latest (the period the requested Party's order gives it)"
                ),
                start=SERVICE_ON_PROVIDER,
                days=20,
            ),
            when=lambda c: True if c.request.data is SUB else (None if c.request.data is IDENT else False),
        ),
        deadline(
            "cets224.art8.6.a.ii.traffic",
            cite(P2, "8(6)(a)(ii)"),
            Deadline(
                event=("provider returns the traffic data at the latest (the period the requested Party's order gives it)"),
                start=SERVICE_ON_PROVIDER,
                days=45,
            ),
            when=lambda c: True if c.request.data is TRAFFIC else (None if c.request.data is IDENT else False),
        ),
        channel(
            "cets224.art8.10.channel",
            cite(P2, "8(10)"),
            Channel(
                sender="the authority of {issuing} designated under Art 8(10)(a)",
                recipient="the authority of {provider} designated under Art 8(10)(b), which serves the provider",
                via="electronic form, which must be accepted (Art 8(5))",
            ),
        ),
        channel(
            "cets224.art8.11.central_authority",
            cite(P2, "8(11)", verified=True),
            Channel(
                sender="the central authority of {issuing} (or another authority agreed with {provider})",
                recipient="the authority of {provider} designated under Art 8(10)(b)",
                via="electronic form, which must be accepted (Art 8(5))",
            ),
            when=_position("provider", "D-8-11"),
            overrides=("cets224.art8.10.channel",),
            facts=("provider.cets224.position.D-8-11",),
        ),
        language("cets224.art4.1.language", cite(P2, "4(1)"), ART4_1),
    ),
)


def _not_a_protocol_emergency(rule_id: str, article: str) -> Rule:
    """A threat to critical infrastructure alone is an emergency for the EU Regulation
    (Reg 2023/1543 Art 3(18)) but not for the Protocol, whose definition covers only a
    risk to the life or safety of a natural person (docs/adr/0011)."""
    return blocks(
        rule_id,
        cite(P2, "3(2)(c)"),
        f"{article} serves only an emergency in the Protocol's sense: a significant and "
        "imminent risk to the life or safety of a natural person (Art 3(2)(c)). A threat "
        "to critical infrastructure alone is not one; if the facts also show such a risk "
        "to a person, state the emergency as a threat to life.",
        when=lambda c: c.request.emergency is EmergencyKind.INFRASTRUCTURE,
        code=ReasonCode.EMERGENCY_KIND,
        passed="No threat to critical infrastructure alone is stated.",
    )


def _subscriber_only_declared(c: Context) -> Tri:
    if c.request.data is not SUB:
        return False
    return c.provider.position("D-9-1-b")


ART9 = RouteSpec(
    "2ap-9",
    "Expedited disclosure of stored computer data in an emergency (Art 9)",
    P2,
    (
        *_common("cets224.art9", "9(1)(a)"),
        blocks(
            "cets224.art9.1.a.emergency",
            cite(P2, "9(1)(a)"),
            "Article 9 is available only in an emergency: a significant and imminent risk to "
            "the life or safety of a natural person (Art 3(2)(c)).",
            when=lambda c: not c.request.any_emergency,
            code=ReasonCode.EMERGENCY_ONLY,
        ),
        _not_a_protocol_emergency("cets224.art9.art3.2.c.emergency_kind", "Article 9"),
        _service_provider_only("cets224.art9.1", "9(1)(a)"),
        _disclosure_only("cets224.art9.1.a", "9(1)(a)"),
        blocks(
            "cets224.art9.1.b.subscriber_only",
            cite(P2, "9(1)(b)"),
            "{provider} has declared that it will not execute Article 9 requests seeking only subscriber information.",
            when=_subscriber_only_declared,
            code=ReasonCode.DECLARATION,
            side=Side.PROVIDER,
            facts=("provider.cets224.position.D-9-1-b",),
        ),
        requirement(
            "cets224.art9.3.e.emergency_facts",
            cite(P2, "9(3)(e)"),
            "Give enough facts to show that there is an emergency and how the data relate to it.",
            code="emergency_facts",
        ),
        requirement(
            "cets224.art9.5.formal_follow_up",
            cite(P2, "9(5)"),
            "After execution, {provider} requires the request and its supplemental "
            "information in the format and through the channel it specifies (possibly "
            "mutual assistance).",
            code="formal_follow_up",
            when=_position("provider", "D-9-5"),
            facts=("provider.cets224.position.D-9-5",),
        ),
        deadline(
            "cets224.art9.6.decision",
            cite(P2, "9(6)"),
            Deadline(
                event="requested Party decides and informs the requesting Party",
                start="receipt of the request",
                standard="rapid basis",
            ),
        ),
        channel(
            "cets224.art9.1.a.channel",
            cite(P2, "9(1)(a)"),
            Channel(
                sender="the 24/7 point of contact of {issuing}",
                recipient="the 24/7 point of contact of {provider}",
                via="electronic form, which must be accepted; oral requests may be accepted (Art 9(4))",
            ),
        ),
        language("cets224.art4.1.language", cite(P2, "4(1)"), ART4_1),
    ),
)


ART10_9 = (
    "{provider} also accepts emergency requests directly to its judicial authorities, through "
    "INTERPOL or to its 24/7 point of contact, with a simultaneous copy to its central authority "
    "through the central authority of {issuing}.{provider_ets185_27_9_e}"
)

ART10 = RouteSpec(
    "2ap-10",
    "Emergency mutual assistance (Art 10)",
    P2,
    (
        *_common("cets224.art10", "10(1)"),
        blocks(
            "cets224.art10.1.emergency",
            cite(P2, "10(1)"),
            "Article 10 is available only where the requesting Party considers that an emergency exists.",
            when=lambda c: not c.request.any_emergency,
            code=ReasonCode.EMERGENCY_ONLY,
        ),
        _not_a_protocol_emergency("cets224.art10.art3.2.c.emergency_kind", "Article 10"),
        requirement(
            "cets224.art10.1.content",
            cite(P2, "10(1)"),
            "Include everything an ordinary mutual assistance request needs, plus the facts "
            "showing the emergency and how the assistance relates to it.",
            code="emergency_facts",
        ),
        # Art 10(9): extra channels only where the requested Party has so declared. Where it
        # is not recorded, the message is a possibility; a recorded ETS 185 Art 27(9)(e)
        # declaration (urgent requests to the central authority) is named next to it.
        requirement(
            "cets224.art10.9.channels",
            cite(P2, "10(9)"),
            ART10_9,
            code="channel",
            when=_position("provider", "D-10-9"),
            facts=("provider.cets224.position.D-10-9", "provider.ets185.position.D-27-9-e"),
            hedged="{provider} may also accept emergency requests directly to its judicial authorities, "
            "through INTERPOL or to its 24/7 point of contact, with a simultaneous copy to its central "
            "authority through the central authority of {issuing}, if it has made a declaration under "
            "Art 10(9). Until such a declaration is confirmed, send the request to its central "
            "authority (Art 10(2)).{provider_ets185_27_9_e}",
        ),
        deadline(
            "cets224.art10.4.response",
            cite(P2, "10(4)"),
            Deadline(
                event="response once the emergency and the other requirements are accepted",
                start="receipt of the request",
                standard="rapid basis",
            ),
        ),
        channel(
            "cets224.art10.channel",
            cite(P2, "10(2)"),
            Channel(
                sender="the central authority of {issuing}",
                recipient="the central authority of {provider}",
                via="electronic form, which must be accepted (Art 10(2)); staff available 24/7 (Art 10(5))",
            ),
        ),
        language("cets224.art4.1.language", cite(P2, "4(1)"), ART4_1),
    ),
)
