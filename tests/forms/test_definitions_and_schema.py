"""Form definitions and their generated JSON Schemas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cyberspex.forms.definitions import DefinitionError, FormSpec, VocabField, _Builder, forms
from cyberspex.forms.model import FULL, PACKAGES
from cyberspex.forms.schema import json_schema
from tests.forms.helpers import FORM_IDS

REQUIRED_FORMS = {
    "2ap-6-request",
    "2ap-7-order",
    "2ap-8-order",
    "2ap-9-request",
    "2ap-10-request",
    "bc-29-request",
    "eu-epoc",
    "eu-epoc-pr",
}


def properties(schema: dict[str, Any], path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    for name, prop in schema.get("properties", {}).items():
        yield f"{path}.{name}", prop
        yield from properties(prop, f"{path}.{name}")
        if isinstance(prop.get("items"), dict):
            yield from properties(prop["items"], f"{path}.{name}[]")


def test_there_is_one_form_per_instrument() -> None:
    assert set(FORM_IDS) == REQUIRED_FORMS


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_schema_is_valid_json_schema_2020_12(form_id: str) -> None:
    schema = json_schema(form_id)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_property_carries_a_citation_and_its_recipients(form_id: str) -> None:
    form = forms()[form_id]
    for path, prop in properties(json_schema(form_id)):
        assert prop.get("x-citation"), f"{path} has no x-citation"
        recipients = prop.get("x-recipients")
        assert recipients, f"{path} has no x-recipients"
        assert FULL in recipients, f"{path}: the issuing authority's own copy holds everything"
        assert set(recipients) <= set(form.packages) <= set(PACKAGES), f"{path}: {recipients}"
        assert isinstance(prop.get("x-verified"), bool), path


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_citation_names_an_instrument(form_id: str) -> None:
    for path, prop in properties(json_schema(form_id)):
        assert prop["x-citation"].split(" ")[0] in {"CETS", "ETS", "Regulation"}, (path, prop["x-citation"])


def test_an_issuing_authority_is_described_the_same_way_in_every_form() -> None:
    shapes = {
        form_id: {k: v for k, v in json_schema(form_id)["properties"]["issuing_authority"].items() if not k.startswith("x-")}
        for form_id in FORM_IDS
    }
    first = next(iter(shapes.values()))

    def strip(schema: Any) -> Any:
        if isinstance(schema, dict):
            return {k: strip(v) for k, v in schema.items() if not k.startswith("x-")}
        return schema

    assert all(strip(shape) == strip(first) for shape in shapes.values())


def test_the_supporting_information_of_article_8_never_reaches_the_provider() -> None:
    schema = json_schema("2ap-8-order")["properties"]
    for name in (
        "legal_grounds",
        "possession_reasons",
        "summary_of_facts",
        "relevance",
        "contact_authority",
        "preservation",
        "other_means",
    ):
        assert "provider" not in schema[name]["x-recipients"], name
    assert "provider" not in schema["offences"]["items"]["properties"]["provisions"]["x-recipients"]
    assert "provider" in schema["offences"]["items"]["properties"]["description"]["x-recipients"]


def test_the_penalty_of_an_offence_is_article_8_supporting_information() -> None:
    offence = json_schema("2ap-8-order")["properties"]["offences"]["items"]["properties"]
    for name in ("provisions", "max_penalty_years"):
        assert offence[name]["x-citation"] == "CETS 224 Art 8(3)(b)(ii)", name
        assert offence[name]["x-recipients"] == ["authority", "full"], name


def test_every_element_cited_to_article_8_3_b_is_for_the_requested_party_only() -> None:
    cited = [(path, prop) for path, prop in properties(json_schema("2ap-8-order")) if "Art 8(3)(b)" in prop["x-citation"]]
    assert len(cited) >= 9  # (i) to (viii), with the penalty of (ii)
    for path, prop in cited:
        assert prop["x-recipients"] == ["authority", "full"], path


def test_a_definition_that_would_send_supporting_information_to_the_provider_is_refused() -> None:
    vocabulary = {"offence": {"description": VocabField(type="free_text"), "max_penalty_years": VocabField(type="integer")}}
    spec = FormSpec.model_validate(
        {
            "id": "leaky",
            "route": "2ap-8",
            "verified": False,
            "packages": ["provider", "authority"],
            "data_categories": ["subscriber"],
            "statement": {"element": "X", "citation": "CETS 224 Art 8(3)(a)(ii)"},
            "withheld": [{"citation": "CETS 224 Art 8(3)(b)", "package": "provider", "rule": "CETS 224 Art 8(3)(b)"}],
            "sections": [
                {
                    "id": "order",
                    "recipients": ["provider", "authority"],
                    "fields": [
                        {
                            "name": "offences",
                            "type": "offence",
                            "citation": "CETS 224 Art 8(3)(a)(iv)",
                            "element": "X",
                            "sub": {"max_penalty_years": {"citation": "CETS 224 Art 8(3)(b)(ii)"}},
                        }
                    ],
                }
            ],
        }
    )
    with pytest.raises(DefinitionError, match=r"'max_penalty_years' \(CETS 224 Art 8\(3\)\(b\)\(ii\)\) may not reach"):
        _Builder(vocabulary).form(spec)


def test_the_summary_of_facts_of_article_7_goes_only_to_the_notified_authority() -> None:
    assert json_schema("2ap-7-order")["properties"]["summary_of_facts"]["x-recipients"] == ["notification", "full"]


def test_unverified_annex_sections_are_marked() -> None:
    schema = json_schema("eu-epoc")["properties"]
    assert schema["addressee"]["x-verified"] is True  # Annex I Section B (V1)
    assert schema["deadline"]["x-verified"] is False  # Section C (U)
    assert schema["data_sought"]["x-verified"] is False  # Sections D-H (U)
