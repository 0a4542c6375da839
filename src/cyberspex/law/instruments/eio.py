"""Directive 2014/41/EU regarding the European Investigation Order in criminal matters.

OJ L 130, 1.5.2014, p. 1. Art 12 was checked against the adopted text (V1); the scope,
participation and transmission rules rest on secondary sources and stay unverified.
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
from cyberspex.law.rules import Channel, Deadline, ReasonCode, Side
from cyberspex.law.scenario import Measure
from cyberspex.law.status import tri_not

EIO_DIR = Instrument.DIR_2014_41

RULES = (
    # Art 1(1): an EIO has measures carried out in another Member State (text not yet
    # checked against the reference; see docs/adr/0003-citations-outside-the-reference.md).
    same_state(
        "eio.art1.1.same_state",
        cite(EIO_DIR, "1(1)"),
        "An EIO has measures carried out in another Member State; for a provider in {issuing} itself national law applies.",
    ),
    blocks(
        "eio.participation.issuing",
        cite(EIO_DIR, "Recitals"),
        "{issuing} is not bound by the EIO Directive ({issuing_eio}).",
        when=lambda c: tri_not(c.issuing.eio_bound),
        code=ReasonCode.NOT_BOUND,
        side=Side.ISSUING,
        facts=("issuing.eu_member", "issuing.eio_bound"),
        passed="{issuing_eio_passed}",
    ),
    blocks(
        "eio.participation.executing",
        cite(EIO_DIR, "Recitals"),
        "{provider} is not bound by the EIO Directive ({provider_eio}).",
        when=lambda c: tri_not(c.provider.eio_bound),
        code=ReasonCode.NOT_BOUND,
        side=Side.PROVIDER,
        facts=("provider.eu_member", "provider.eio_bound"),
        passed="{provider_eio_passed}",
    ),
    blocks(
        "eio.art36.transposition",
        cite(EIO_DIR, "36"),
        "The Directive applies between Member States only from its transposition deadline, {eio_applicable_from}.",
        when=lambda c: not c.clock.eio_applicable,
        code=ReasonCode.NOT_IN_FORCE,
        facts=("instrument.dir-2014-41.applicable_from",),
    ),
    channel(
        "eio.art7.1.transmission",
        cite(EIO_DIR, "7(1)"),
        Channel(sender="the issuing authority of {issuing}", recipient="the competent executing authority of {provider}"),
    ),
    requirement(
        "eio.art12.2.urgency",
        cite(EIO_DIR, "12(2)", verified=True),
        "State the urgency and any shorter deadline or specific date in the EIO; the "
        "executing authority takes it into account as fully as possible.",
        code="urgency",
        when=lambda c: c.request.any_emergency,
    ),
    deadline(
        "eio.art12.3.recognition",
        cite(EIO_DIR, "12(3)", verified=True),
        Deadline(
            event="decision on recognition or execution",
            start="receipt of the EIO by the competent executing authority",
            days=30,
        ),
    ),
    deadline(
        "eio.art12.4.execution",
        cite(EIO_DIR, "12(4)", verified=True),
        Deadline(event="investigative measure carried out", start="the decision on recognition", days=90),
    ),
    deadline(
        "eio.art12.5.extension",
        cite(EIO_DIR, "12(5)", verified=True),
        Deadline(
            event="recognition deadline extended when 30 days is not practicable (reasons given without delay)",
            start="end of the 30-day period",
            days=30,
        ),
    ),
    deadline(
        "eio.art32.2.provisional_measures",
        cite(EIO_DIR, "32(2)"),
        Deadline(
            event="decision on a provisional (preservation) measure, where possible",
            start="receipt of the EIO",
            hours=24,
        ),
        when=measure_is(Measure.PRESERVATION),
    ),
    language(
        "eio.art5.3.language",
        cite(EIO_DIR, "5(3)"),
        "The issuing authority translates the EIO into an official language of {provider} or "
        "another language {provider} has indicated under Art 5(2).",
    ),
)

ROUTE = RouteSpec("eu-eio", "European Investigation Order (EIO)", EIO_DIR, RULES)
