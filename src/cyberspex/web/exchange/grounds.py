"""What the authorities notified of an order may decide, and on which grounds: data, with the
citation, the reference row (``docs``: /work/shared/reference/2ap.md, eu-e-evidence.md) and its
verification state. Nothing here is legal advice; a ground or a period marked unverified is shown
as such wherever it is used.

- The authority notified under CETS 224 Art 7(5)(a) may consult the issuing authority (7(5)(d)(i)),
  and may instruct the provider not to disclose on the grounds of 7(5)(c), giving its reasons to
  the issuing authority (7(5)(d)(ii)). Reference rows 2AP-A7-5-c, 2AP-A7-5-d, BC-25-4, BC-27-4:
  tag T (a summary of the official text, not yet checked line by line): unverified.
- The enforcing authority notified under Regulation (EU) 2023/1543 Art 8 reviews the order and may
  raise a ground for refusal of Art 12(1) within 10 days, 96 hours in an emergency (REF-T1,
  REF-a to REF-d: V1, checked against the legal text). What follows a refusal (Art 12(2)-(5),
  REF-2) is unverified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from cyberspex.web.exchange.models import DecisionKind, DeliveryRole

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a type only: django-stubs is a development dependency


@dataclass(frozen=True)
class Ground:
    code: str  # what the API and the decision record hold, e.g. "7.5.c.i"
    text: StrOrPromise
    citation: str
    reference: str  # the row of the project's legal reference it rests on
    verified: bool  # checked against the legal text (V, V1); False: a summary still to be checked


P2 = "CETS 224"
REG = "Regulation (EU) 2023/1543"

NON_DISCLOSURE_GROUNDS: tuple[Ground, ...] = (
    Ground(
        "7.5.c.i",
        _("Disclosure may prejudice criminal investigations or proceedings in the notified Party."),
        f"{P2} Art 7(5)(c)(i)",
        "2AP-A7-5-c",
        verified=False,
    ),
    Ground(
        "7.5.c.ii.25.4",
        _(
            "A condition or ground for refusal of the notified Party's law or of an applicable mutual assistance "
            "treaty (ETS 185 Art 25(4)) would apply had the data been sought by mutual assistance."
        ),
        f"{P2} Art 7(5)(c)(ii); ETS 185 Art 25(4)",
        "2AP-A7-5-c, BC-25-4",
        verified=False,
    ),
    Ground(
        "7.5.c.ii.27.4.a",
        _(
            "Had the data been sought by mutual assistance, the request would concern a political offence or an "
            "offence connected with one (ETS 185 Art 27(4)(a))."
        ),
        f"{P2} Art 7(5)(c)(ii); ETS 185 Art 27(4)(a)",
        "2AP-A7-5-c, BC-27-4",
        verified=False,
    ),
    Ground(
        "7.5.c.ii.27.4.b",
        _(
            "Had the data been sought by mutual assistance, execution would be likely to prejudice the notified "
            "Party's sovereignty, security, ordre public or other essential interests (ETS 185 Art 27(4)(b))."
        ),
        f"{P2} Art 7(5)(c)(ii); ETS 185 Art 27(4)(b)",
        "2AP-A7-5-c, BC-27-4",
        verified=False,
    ),
)

REFUSAL_GROUNDS: tuple[Ground, ...] = (
    Ground(
        "12.1.a",
        _(
            "The data are protected by immunities or privileges under the law of the enforcing State, or covered by "
            "its rules on criminal liability relating to freedom of the press or of expression in other media, in a "
            "way that prevents execution."
        ),
        f"{REG} Art 12(1)(a)",
        "REF-a",
        verified=True,
    ),
    Ground(
        "12.1.b",
        _(
            "In exceptional situations: substantial grounds, based on precise and objective evidence, to believe that "
            "execution would in the particular case entail a manifest breach of a fundamental right under Art 6 TEU "
            "and the Charter."
        ),
        f"{REG} Art 12(1)(b)",
        "REF-b",
        verified=True,
    ),
    Ground(
        "12.1.c",
        _("Execution would be contrary to the principle of ne bis in idem."),
        f"{REG} Art 12(1)(c)",
        "REF-c",
        verified=True,
    ),
    Ground(
        "12.1.d",
        _(
            "The conduct is not an offence under the law of the enforcing State, unless it falls under an Annex IV "
            "category indicated in the EPOC and is punishable in the issuing State by a custodial sentence or detention "
            "order of a maximum of at least 3 years."
        ),
        f"{REG} Art 12(1)(d); Annex IV",
        "REF-d",
        verified=True,
    ),
)


@dataclass(frozen=True)
class Competence:
    """What an authority that received a request in one role may decide."""

    role: DeliveryRole
    kinds: tuple[DecisionKind, ...]  # in the order the page offers them
    conclusive: frozenset[DecisionKind]  # one of these ends the authority's part: no other decision after it
    blocking: DecisionKind  # the decision that stops the addressee from disclosing
    grounds: tuple[Ground, ...]
    consultation_citation: str
    blocking_citation: str
    reasons_citation: str
    verified: bool  # whether the provisions summarised here were checked against the legal text
    # What the addressee (provider) is told when the blocking decision is taken: never the reasons.
    addressee_told: str


NOTIFIED = Competence(
    role=DeliveryRole.NOTIFIED,
    kinds=(DecisionKind.CONSULT, DecisionKind.NO_OBJECTION, DecisionKind.NON_DISCLOSURE),
    conclusive=frozenset({DecisionKind.NO_OBJECTION, DecisionKind.NON_DISCLOSURE}),
    blocking=DecisionKind.NON_DISCLOSURE,
    grounds=NON_DISCLOSURE_GROUNDS,
    consultation_citation=f"{P2} Art 7(5)(d)(i)",
    blocking_citation=f"{P2} Art 7(5)(c)",
    reasons_citation=f"{P2} Art 7(5)(d)(ii)",
    verified=False,
    addressee_told=(
        "The authority notified under CETS 224 Art 7(5)(a) instructed you not to disclose the subscriber "
        "information sought by this order (CETS 224 Art 7(5)(c)). Do not disclose it. (Summary of the Protocol's "
        "text, not yet checked against the official text.)"
    ),
)

ENFORCING = Competence(
    role=DeliveryRole.ENFORCING,
    kinds=(DecisionKind.CONSULT, DecisionKind.NO_GROUND, DecisionKind.GROUND_FOR_REFUSAL),
    conclusive=frozenset({DecisionKind.NO_GROUND, DecisionKind.GROUND_FOR_REFUSAL}),
    blocking=DecisionKind.GROUND_FOR_REFUSAL,
    grounds=REFUSAL_GROUNDS,
    # Consulting the issuing authority before refusing is in Art 12(2)-(5) (REF-2): unverified.
    consultation_citation=f"{REG} Art 12 (consultation: unverified)",
    blocking_citation=f"{REG} Art 12(1)",
    reasons_citation=f"{REG} Art 12(1), 12(2)-(5) (unverified)",
    verified=True,
    addressee_told=(
        "The enforcing authority notified under Regulation (EU) 2023/1543 Art 8 raised a ground for refusal "
        "under Art 12(1). Do not transfer the data. (That the addressee then stops and does not transfer the "
        "data rests on Art 12(2)-(5), which is not yet verified against the Official Journal text.)"
    ),
)

COMPETENCES: dict[str, Competence] = {NOTIFIED.role.value: NOTIFIED, ENFORCING.role.value: ENFORCING}


def competence(role: str) -> Competence | None:
    return COMPETENCES.get(role)


def ground(code: str, competence: Competence) -> Ground | None:
    return next((g for g in competence.grounds if g.code == code), None)


@dataclass(frozen=True)
class Period:
    """How long the authority has to decide, from its receipt of the notification."""

    span: timedelta | None  # None: the text sets no period ("without undue delay")
    text: StrOrPromise
    citation: str
    reference: str
    verified: bool


# CETS 224 Art 7(5)(c): "without undue delay", no period (DL-7-5-c, tag T).
NOTIFIED_PERIOD = Period(None, _("without undue delay (no period is set)"), f"{P2} Art 7(5)(c)", "DL-7-5-c", verified=False)
# Regulation Art 12(1): at the latest 10 days, in an emergency 96 hours (REF-T1, DL-6, DL-5: V1).
ENFORCING_PERIOD = Period(
    timedelta(days=10), _("at the latest 10 days after receipt"), f"{REG} Art 12(1)", "REF-T1", verified=True
)
ENFORCING_EMERGENCY_PERIOD = Period(
    timedelta(hours=96), _("at the latest 96 hours after receipt (emergency)"), f"{REG} Art 12(1)", "REF-T1", verified=True
)
# The route advisor's deadlines for the same periods, created on the request at issue.
ENFORCING_RULES = {"reg.epoc.art12.1.review": ENFORCING_PERIOD, "reg.epoc.art12.1.review_emergency": ENFORCING_EMERGENCY_PERIOD}
