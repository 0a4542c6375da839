"""The table of who may issue an order alone and who validates it (Reg 2023/1543 Art 4; the
instruments' competent authorities), per form, data category and capacity."""

from __future__ import annotations

import pytest

from cyberspex.forms.authority import (
    CAPACITIES,
    INVESTIGATOR,
    JUDGE,
    OTHER,
    PROSECUTOR,
    RULES,
    SUPERVISOR,
    NoRule,
    may_issue_alone,
    may_validate,
    rule_for,
)
from cyberspex.forms.definitions import forms
from cyberspex.refdata.messages import messages

EU_CITATION = "Regulation (EU) 2023/1543"


def test_every_form_and_every_category_it_serves_has_a_row() -> None:
    for form in forms().values():
        for category in form.data_categories:
            assert rule_for(form.id, category).forms  # NoRule otherwise


def test_an_unknown_form_has_no_row() -> None:
    with pytest.raises(NoRule):
        rule_for("eu-epoc-xx", "subscriber")


def test_every_row_names_its_citation_its_reference_and_only_known_capacities() -> None:
    for rule in RULES:
        assert rule.citation
        assert rule.reference
        assert rule.alone <= set(CAPACITIES)
        assert rule.validators <= set(CAPACITIES)
        assert rule.verified or rule.note  # an unverified row says what is open


# (form, category, capacity) -> may issue alone
ALONE = [
    # Art 4(1): subscriber or identification data, a judge or a public prosecutor
    ("eu-epoc", "subscriber", JUDGE, True),
    ("eu-epoc", "identification", PROSECUTOR, True),
    ("eu-epoc", "subscriber", OTHER, False),
    ("eu-epoc", "subscriber", INVESTIGATOR, False),
    ("eu-epoc", "subscriber", SUPERVISOR, False),
    # Art 4(2): traffic or content data, only a judge, a court or an investigating judge
    ("eu-epoc", "traffic", JUDGE, True),
    ("eu-epoc", "traffic", PROSECUTOR, False),
    ("eu-epoc", "content", PROSECUTOR, False),
    ("eu-epoc", "content", OTHER, False),
    # Art 4(3): a preservation order, a judge or a public prosecutor, whatever the data
    ("eu-epoc-pr", "content", PROSECUTOR, True),
    ("eu-epoc-pr", "traffic", JUDGE, True),
    ("eu-epoc-pr", "subscriber", OTHER, False),
    # The Protocol and the Convention: the competent authority under domestic law; an
    # investigator's request is approved (platform rule)
    ("2ap-7-order", "subscriber", PROSECUTOR, True),
    ("2ap-7-order", "subscriber", OTHER, True),
    ("2ap-7-order", "subscriber", SUPERVISOR, True),
    ("2ap-7-order", "subscriber", INVESTIGATOR, False),
    ("bc-29-request", "content", INVESTIGATOR, False),
    ("2ap-9-request", "traffic", JUDGE, True),
]


@pytest.mark.parametrize(("form_id", "category", "capacity", "alone"), ALONE)
def test_it_says_who_may_issue_alone(form_id: str, category: str, capacity: str, alone: bool) -> None:
    assert may_issue_alone(rule_for(form_id, category), capacity).alone is alone


VALIDATE = [
    ("eu-epoc", "subscriber", PROSECUTOR, True),  # Art 4(1)(b)
    ("eu-epoc", "subscriber", JUDGE, True),
    ("eu-epoc", "traffic", JUDGE, True),  # Art 4(2)(b)
    ("eu-epoc", "traffic", PROSECUTOR, False),
    ("eu-epoc", "content", SUPERVISOR, False),
    ("eu-epoc-pr", "traffic", PROSECUTOR, True),  # Art 4(3)
    ("2ap-7-order", "subscriber", SUPERVISOR, True),
    ("2ap-7-order", "subscriber", OTHER, False),
]


@pytest.mark.parametrize(("form_id", "category", "capacity", "allowed"), VALIDATE)
def test_it_says_who_may_validate(form_id: str, category: str, capacity: str, allowed: bool) -> None:
    assert (may_validate(rule_for(form_id, category), capacity) == "") is allowed


def test_a_prosecutors_traffic_epoc_is_refused_with_article_4_2_and_who_must_validate_it() -> None:
    decision = may_issue_alone(rule_for("eu-epoc", "traffic"), PROSECUTOR)
    assert not decision.alone
    assert decision.message.startswith("A public prosecutor may not issue this order alone")
    assert f"validated by a judge, a court or an investigating judge ({EU_CITATION} Art 4(2))" in decision.message
    assert "not fully verified against the legal text" in decision.message  # the validators of Art 4(2)(b): V2


def test_the_rows_verified_against_the_legal_text_are_the_ones_the_reference_marks_so() -> None:
    # eu-e-evidence.md: ISS-1 V1; ISS-2 V1 for (a), V2 for the validators of (b); ISS-3 V2.
    assert rule_for("eu-epoc", "subscriber").verified is True
    assert rule_for("eu-epoc", "traffic").verified is False
    assert rule_for("eu-epoc-pr", "subscriber").verified is False
    assert may_issue_alone(rule_for("eu-epoc", "subscriber"), JUDGE).message == ""


def test_only_the_orders_art_4_5_names_may_be_issued_in_an_emergency_without_prior_validation() -> None:
    # Art 4(5) (ISS-4): an EPO for subscriber or identification data, or an EPresO; never traffic or content.
    assert may_issue_alone(rule_for("eu-epoc", "subscriber"), OTHER, emergency=True).ex_post
    assert may_issue_alone(rule_for("eu-epoc-pr", "content"), OTHER, emergency=True).ex_post
    assert not may_issue_alone(rule_for("eu-epoc", "traffic"), OTHER, emergency=True).ex_post
    assert not may_issue_alone(rule_for("eu-epoc", "subscriber"), OTHER, emergency=False).ex_post
    assert rule_for("eu-epoc", "subscriber").ex_post_citation == f"{EU_CITATION} Art 4(5)"


def test_an_order_to_a_party_that_declared_supervision_is_always_approved() -> None:
    supervised = rule_for("2ap-7-order", "subscriber", frozenset({"supervision"}))
    assert (supervised.citation, supervised.alone) == ("CETS 224 Art 7(2)(b)", frozenset())
    assert not may_issue_alone(supervised, PROSECUTOR).alone
    assert rule_for("2ap-8-order", "traffic", frozenset({"supervision"})).id == "domestic"  # Art 7 only


# -- the sentences in the page's language (docs/i18n.md) --------------------------------------


def test_a_refusal_in_english_reads_as_before_the_catalogues() -> None:
    decision = may_issue_alone(rule_for("eu-epoc", "subscriber"), INVESTIGATOR)
    assert decision.message == (
        "An investigator may not issue this order alone: it must first be validated by a judge, a court or an "
        "investigating judge or a public prosecutor (Regulation (EU) 2023/1543 Art 4(1)). Submit it for approval."
    )


def test_a_refusal_to_issue_reads_in_french_with_a_french_citation_and_note() -> None:
    texts = messages("fr").texts
    message = may_issue_alone(rule_for("eu-epoc", "traffic"), PROSECUTOR, texts=texts, language="fr").message
    assert message.startswith("Un procureur ne peut pas émettre cette injonction sans validation")
    assert "validée par un juge, une juridiction ou un juge d'instruction (règlement (UE) 2023/1543, art. 4, par. 2)" in message
    assert "pas entièrement vérifié" in message
    assert "may not" not in message
    assert "Regulation" not in message


def test_a_refusal_to_validate_reads_in_german_with_a_german_citation() -> None:
    reason = may_validate(rule_for("eu-epoc", "traffic"), PROSECUTOR, messages("de").texts, "de")
    assert reason.startswith("Ein Staatsanwalt darf diese Anordnung nicht validieren")
    assert "ein Richter, ein Gericht oder ein Ermittlungsrichter (Verordnung (EU) 2023/1543 Art. 4 Abs. 2)" in reason
    assert "may not" not in reason


def test_every_rows_note_and_every_capacity_has_a_text_in_the_catalogues() -> None:
    for language in ("fr", "de"):
        texts = messages(language).texts
        assert [c for c in CAPACITIES if f"authority.capacity.{c}" not in texts] == []
        assert [r.id for r in RULES if r.note and f"authority.note.{r.id}" not in texts] == []
