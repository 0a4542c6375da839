"""Who may issue an order alone, and who must validate it: one table, per form and data category.

Regulation (EU) 2023/1543 Art 4 names who issues and who validates a European Production or
Preservation Order (eu-e-evidence.md §2.1, rows ISS-1 to ISS-4). The Protocol (CETS 224) and the
Budapest Convention leave it to the "competent authority" under domestic law (2ap.md
2AP-A3-2-competent); there the platform keeps its own rule: an investigator's request is approved
before it is issued, and an order to a provider in a Party that declared under Art 7(2)(b)
(supervision by a prosecutor, a judicial authority or an independent authority) is always approved.

Capacities are the ways a person acts: ``judge_court`` (judge, court or investigating judge),
``public_prosecutor``, ``other_authority`` (another competent authority), ``investigator`` and
``supervisor``. The web layer maps each role to one (cyberspex/web/cases/approval.py). The first
three are the values of the EU forms' ``issuing_authority_type`` and ``validating_authority_type``.

Each row carries its citation, the reference row it rests on and whether that row is verified
against the legal text; an unverified row is shown as such with every refusal it causes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cyberspex.law.citations import translate_citation

JUDGE = "judge_court"
PROSECUTOR = "public_prosecutor"
OTHER = "other_authority"
INVESTIGATOR = "investigator"
SUPERVISOR = "supervisor"
CAPACITIES = (JUDGE, PROSECUTOR, OTHER, INVESTIGATOR, SUPERVISOR)

# How each capacity is named in a sentence (refusals, the request page).
CAPACITY_NAMES = {
    JUDGE: "a judge, a court or an investigating judge",
    PROSECUTOR: "a public prosecutor",
    OTHER: "another competent authority",
    INVESTIGATOR: "an investigator",
    SUPERVISOR: "a supervisor",
}

# The value of the EU forms' issuing_authority_type / validating_authority_type for a capacity.
FORM_AUTHORITY_TYPE = {
    JUDGE: "judge_court",
    PROSECUTOR: "public_prosecutor",
    OTHER: OTHER,
    INVESTIGATOR: OTHER,
    SUPERVISOR: OTHER,
}

REG = "Regulation (EU) 2023/1543"
EU_CATEGORIES = ("subscriber", "identification", "traffic", "content", "domain_registration")
SUPERVISION = "supervision"  # the advisor's requirement code for a CETS 224 Art 7(2)(b) declaration


@dataclass(frozen=True)
class AuthorityRule:
    """Who may issue ``form`` for ``categories`` alone, and who may validate it for the others."""

    id: str
    forms: tuple[str, ...]
    categories: tuple[str, ...]  # empty: every category
    alone: frozenset[str]  # capacities that may issue without validation
    validators: frozenset[str]  # capacities whose validation lets anyone else's order be issued
    citation: str
    reference: str  # the row of the legal reference (eu-e-evidence.md, 2ap.md) or "platform rule"
    verified: bool  # the reference row is verified against the legal text (V1 / T)
    # Art 4(5): in an emergency another competent authority may issue without prior validation,
    # which is then sought within 48 hours.
    ex_post: bool = False
    ex_post_citation: str = ""
    when: str = ""  # an advisor requirement code that must apply (e.g. "supervision"); "" always
    note: str = ""  # what the row's verification state leaves open

    def in_words(self, texts: Mapping[str, str] | None = None) -> str:
        """'a judge, a court or an investigating judge' or 'a judge, ... or a public prosecutor';
        in the language of ``texts`` (a message catalogue, docs/i18n.md) where given."""
        names = [capacity_name(c, texts) for c in CAPACITIES if c in self.validators]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + text("authority.or", texts) + names[-1]

    def note_in(self, texts: Mapping[str, str] | None = None) -> str:
        """What the row's verification state leaves open, in the language of ``texts``."""
        return text(f"authority.note.{self.id}", texts) if self.note else ""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "citation": self.citation,
            "reference": self.reference,
            "verified": self.verified,
            "may_issue_alone": sorted(self.alone),
            "may_validate": sorted(self.validators),
            "ex_post": self.ex_post,
            "note": self.note,
        }


EU_ISSUERS = frozenset({JUDGE, PROSECUTOR})
DOMESTIC_ALONE = frozenset({JUDGE, PROSECUTOR, OTHER, SUPERVISOR})
DOMESTIC_VALIDATORS = frozenset({JUDGE, PROSECUTOR, SUPERVISOR})
TREATY_FORMS = ("2ap-6-request", "2ap-7-order", "2ap-8-order", "2ap-9-request", "2ap-10-request", "bc-29-request")

# Order matters: the first row that matches a request applies.
RULES: tuple[AuthorityRule, ...] = (
    AuthorityRule(
        id="eu-epoc.traffic-content",
        forms=("eu-epoc",),
        categories=("traffic", "content"),
        alone=frozenset({JUDGE}),
        validators=frozenset({JUDGE}),
        citation=f"{REG} Art 4(2)",
        reference="eu-e-evidence.md ISS-2",
        verified=False,
        note="that a public prosecutor may not issue it (Art 4(2)(a)) is verified; that a public prosecutor may not "
        "validate it either (Art 4(2)(b)) rests on a secondary source",
    ),
    AuthorityRule(
        id="eu-epoc.subscriber-identification",
        forms=("eu-epoc",),
        categories=("subscriber", "identification"),
        alone=EU_ISSUERS,
        validators=EU_ISSUERS,
        citation=f"{REG} Art 4(1)",
        reference="eu-e-evidence.md ISS-1",
        verified=True,
        ex_post=True,
        ex_post_citation=f"{REG} Art 4(5)",
        note="the emergency exception of Art 4(5) rests on a secondary source (ISS-4, V2)",
    ),
    AuthorityRule(
        id="eu-epoc.other",
        forms=("eu-epoc",),
        categories=(),
        alone=frozenset({JUDGE}),
        validators=frozenset({JUDGE}),
        citation=f"{REG} Art 4(2)",
        reference="eu-e-evidence.md ISS-1, ISS-2",
        verified=False,
        note="the Regulation's data categories do not name this one; the stricter rule of Art 4(2) is applied",
    ),
    AuthorityRule(
        id="eu-epoc-pr",
        forms=("eu-epoc-pr",),
        categories=(),
        alone=EU_ISSUERS,
        validators=EU_ISSUERS,
        citation=f"{REG} Art 4(3)",
        reference="eu-e-evidence.md ISS-3",
        verified=False,
        ex_post=True,
        ex_post_citation=f"{REG} Art 4(5)",
        note="Art 4(3) and the emergency exception of Art 4(5) rest on a secondary source (ISS-3, ISS-4, V2)",
    ),
    AuthorityRule(
        id="cets224.supervision",
        forms=("2ap-7-order",),
        categories=(),
        alone=frozenset(),
        validators=DOMESTIC_VALIDATORS,
        citation="CETS 224 Art 7(2)(b)",
        reference="2ap.md 2AP-A7-2-b",
        verified=True,
        when=SUPERVISION,
        note="the provider's Party declared that orders to its providers are issued by or under the supervision of "
        "a prosecutor or other judicial authority, or under independent supervision: every such order is approved",
    ),
    AuthorityRule(
        id="domestic",
        forms=TREATY_FORMS,
        categories=(),
        alone=DOMESTIC_ALONE,
        validators=DOMESTIC_VALIDATORS,
        citation="CETS 224 Art 3(2)",
        reference="2ap.md 2AP-A3-2-competent; platform rule",
        verified=True,
        note="the competent authority is defined by domestic law; the platform asks an investigator's request to be "
        "approved before it is issued",
    ),
)


class NoRule(LookupError):
    """No row covers the form: every form must have one (tests/forms/test_authority.py)."""


def rule_for(form_id: str, category: str | None, requirements: frozenset[str] = frozenset()) -> AuthorityRule:
    """The row that applies to ``form_id`` for data of ``category``, given the advisor's
    requirement codes that apply (``supervision``)."""
    for rule in RULES:
        if form_id not in rule.forms or (rule.when and rule.when not in requirements):
            continue
        if not rule.categories or category in rule.categories:
            return rule
    raise NoRule(form_id)


@dataclass(frozen=True)
class Decision:
    """Whether a person of ``capacity`` may issue alone, and if not, why (message with citation)."""

    alone: bool
    ex_post: bool  # may issue now in an emergency; validation is sought within 48 hours
    message: str
    rule: AuthorityRule


def may_issue_alone(
    rule: AuthorityRule, capacity: str, *, emergency: bool = False, texts: Mapping[str, str] | None = None, language: str = "en"
) -> Decision:
    """The decision, its message in the language of ``texts`` (a message catalogue) and
    ``language`` (for the citation); English by default."""
    if capacity in rule.alone:
        return Decision(True, False, "", rule)
    if rule.ex_post and emergency and capacity in (OTHER, INVESTIGATOR):
        return Decision(False, True, "", rule)
    message = text("authority.may_not_issue", texts).format(
        who=_capitalised(capacity_name(capacity, texts)),
        validators=rule.in_words(texts),
        citation=translate_citation(rule.citation, language),
        unverified=_unverified(rule, texts),
    )
    return Decision(False, False, message, rule)


def may_validate(rule: AuthorityRule, capacity: str, texts: Mapping[str, str] | None = None, language: str = "en") -> str:
    """'' if a person of ``capacity`` may validate an order under ``rule``; else the reason."""
    if capacity in rule.validators:
        return ""
    return text("authority.may_not_validate", texts).format(
        who=_capitalised(capacity_name(capacity, texts)),
        validators=rule.in_words(texts),
        citation=translate_citation(rule.citation, language),
        unverified=_unverified(rule, texts),
    )


# -- the texts, by message id (docs/i18n.md): English here, French and German in
# src/cyberspex/data/messages/<lang>.yaml (checked by tests/law/test_messages.py) ----------

ENGLISH: dict[str, str] = {
    **{f"authority.capacity.{c}": name for c, name in CAPACITY_NAMES.items()},
    "authority.or": " or ",
    "authority.may_not_issue": (
        "{who} may not issue this order alone: it must first be validated by {validators} ({citation}){unverified}. "
        "Submit it for approval."
    ),
    "authority.may_not_validate": "{who} may not validate this order: it is validated by {validators} ({citation}){unverified}",
    "authority.unverified": " (not fully verified against the legal text: {note})",
    **{f"authority.note.{r.id}": r.note for r in RULES if r.note},
}


def text(key: str, texts: Mapping[str, str] | None = None) -> str:
    """The text of ``key`` in the catalogue ``texts``, English where it has none."""
    return (texts or {}).get(key, ENGLISH[key])


def capacity_name(capacity: str, texts: Mapping[str, str] | None = None) -> str:
    return text(f"authority.capacity.{capacity}", texts)


def _capitalised(words: str) -> str:
    return words[0].upper() + words[1:]


def _unverified(rule: AuthorityRule, texts: Mapping[str, str] | None) -> str:
    return "" if rule.verified else text("authority.unverified", texts).format(note=rule.note_in(texts))
