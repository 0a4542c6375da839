"""Curated changes are applied to the raw documents before validation, and keep their provenance."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from cyberspex.law.model import Relation, Treaty
from cyberspex.refdata import overlay
from cyberspex.refdata.loader import (
    ReferenceDataError,
    checked_raw,
    load_reference_data,
    load_reference_data_with,
    read_raw,
)
from cyberspex.refdata.overlay import Patch, PatchError

# A hypothetical consent, for the tests only: France has signed CETS 224 (states/FR.yaml).
FR_PARTY: dict[str, Any] = {
    "status": {"value": "party", "source": "curation-1", "as_of": "2026-03-02", "verified": True},
    "signature": {"date": "2023-01-27", "source": "P1", "as_of": "2026-02-05", "verified": True},
    "consent": {"date": "2026-03-01", "kind": "ratification", "source": "curation-1", "as_of": "2026-03-02", "verified": True},
}


def patch(path: str, value: Any, *, file: str = "states/FR.yaml", number: int = 1) -> Patch:
    return Patch.make(
        value=value,
        source_id=f"curation-{number}",
        file=file,
        path=path,
        source_url="https://www.coe.int/en/web/conventions/full-list?module=signatures-by-treaty&treatynum=224",
        source_title="CoE Treaty Office chart, CETS 224",
        source_kind="official",
        as_of="2026-03-02",
        verified_by="A. Curator",
        reason="test",
    )


def test_a_published_patch_changes_the_loaded_data() -> None:
    data = load_reference_data_with([patch("cets224", FR_PARTY)])
    treaty = data.states["FR"].treaties[Treaty.CETS_224]
    assert treaty.relation is Relation.PARTY
    assert treaty.consent is not None
    assert str(treaty.consent.when) == "2026-03-01"


def test_the_source_of_a_patch_becomes_a_source_entry_so_the_value_keeps_its_provenance() -> None:
    data = load_reference_data_with([patch("cets224", FR_PARTY)])
    consent = data.states["FR"].treaties[Treaty.CETS_224].consent
    assert consent is not None
    assert consent.provenance.source == "curation-1"
    assert consent.provenance.url.startswith("https://www.coe.int/")
    assert data.sources["curation-1"].title == "CoE Treaty Office chart, CETS 224"


def test_without_patches_the_shipped_data_is_loaded_unchanged() -> None:
    assert load_reference_data_with([]) is load_reference_data()
    assert load_reference_data().states["FR"].treaties[Treaty.CETS_224].relation is Relation.SIGNATORY


def test_the_result_is_kept_per_fingerprint_of_the_patches() -> None:
    first = load_reference_data_with([patch("cets224", FR_PARTY)])
    assert load_reference_data_with([patch("cets224", FR_PARTY)]) is first
    assert overlay.fingerprint([patch("cets224", FR_PARTY)]) != overlay.fingerprint([patch("cets224", FR_PARTY, number=2)])


def test_a_curated_value_is_judged_by_the_same_validation_as_a_shipped_one() -> None:
    typed_in = {"date": "2026-06-01", "source": "curation-1", "as_of": "2026-03-02", "verified": True}
    _, errors = checked_raw([patch("cets224.entry_into_force", typed_in)])
    assert [(e.file, e.key) for e in errors] == [("states/FR.yaml", "cets224.entry_into_force")]
    assert "never typed in" in errors[0].message
    with pytest.raises(ReferenceDataError):
        load_reference_data_with([patch("cets224.entry_into_force", typed_in)])


def test_a_schema_error_in_a_curated_value_is_named_with_its_key() -> None:
    _, problems = read_raw(patches=[patch("cets224.status.value", "ratified")])
    assert any(p.file == "states/FR.yaml" and p.key == "cets224.status.value" for p in problems)


def test_a_patch_of_a_document_the_data_does_not_have_is_an_error() -> None:
    _, errors = checked_raw([patch("cets224", FR_PARTY, file="states/ZZ.yaml")])
    assert any(e.file == "states/ZZ.yaml" and "does not have" in e.message for e in errors)


def test_a_list_item_is_selected_by_its_code_replaced_appended_or_removed() -> None:
    document = {"positions": [{"code": "A", "summary": "old"}]}
    assert overlay.apply(document, "positions[A]", {"code": "A", "summary": "new"}) == {
        "positions": [{"code": "A", "summary": "new"}]
    }
    assert overlay.apply(document, "positions[B]", {"code": "B"})["positions"][1] == {"code": "B"}
    assert overlay.apply(document, "positions[A]", None) == {"positions": []}
    assert document == {"positions": [{"code": "A", "summary": "old"}]}  # never changed in place


def test_a_path_through_a_single_value_is_refused_with_its_key() -> None:
    with pytest.raises(PatchError, match=r"iso\.x: iso holds a single value"):
        overlay.apply({"iso": "FR"}, "iso.x", 1)


def test_get_reads_the_value_at_a_path_or_none() -> None:
    document = {"cets224": {"positions": [{"code": "A", "summary": "s"}]}}
    assert overlay.get(document, "cets224.positions[A].summary") == "s"
    assert overlay.get(document, "cets224.signature") is None


def test_a_curated_change_cannot_reuse_a_shipped_source_id() -> None:
    bad = dataclasses.replace(patch("cets224", FR_PARTY), source_id="P1")
    _, errors = checked_raw([bad])
    assert any("curation-<n>" in e.message for e in errors)


def test_a_patch_round_trips_through_a_dictionary() -> None:
    made = patch("cets224", FR_PARTY)
    assert Patch.from_dict(made.as_dict()) == made
