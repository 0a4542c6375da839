"""providers.yaml and implementation.yaml: every value sourced, and the tracker's references checked."""

from __future__ import annotations

from pathlib import Path

from cyberspex.law.model import ReferenceData
from tests.refdata.editing import edit, problems


def test_every_recorded_provider_policy_has_a_source_and_none_is_verified(data: ReferenceData) -> None:
    facts = [fact for record in data.providers.values() for fact in (*record.policies.values(), *record.notes)]
    assert facts
    assert all(fact.provenance.url and not fact.provenance.verified for fact in facts)


def test_a_policy_not_recorded_is_absent_not_guessed(data: ReferenceData) -> None:
    assert "languages" not in data.providers["google"].policies
    assert "eu_establishment" not in data.providers["meta"].policies


def test_an_event_for_an_unknown_provision_or_state_is_an_error(data_dir: Path) -> None:
    edit(
        data_dir / "implementation.yaml",
        "  - state: IT\n    provision: DIR-7-1\n    stage: adopted",
        "  - state: IT\n    provision: DIR-9-9\n    stage: adopted",
    )
    edit(data_dir / "implementation.yaml", "  - state: DE\n", "  - state: XK\n")
    found = {(p.file, p.key, p.message) for p in problems(data_dir)}
    assert ("implementation.yaml", "events[0].provision", "unknown provision 'DIR-9-9'") in found
    assert ("implementation.yaml", "events[2].state", "no file states/XK.yaml") in found


def test_a_provision_naming_an_unknown_register_code_is_an_error(data_dir: Path) -> None:
    edit(data_dir / "implementation.yaml", "register_code: C-8-10,", "register_code: C-8-99,")
    found = {(p.key, p.message) for p in problems(data_dir)}
    assert ("provisions[C-8-10].register_code", "unknown register code 'C-8-99'") in found


def test_a_stage_outside_the_list_is_a_schema_error(data_dir: Path) -> None:
    edit(data_dir / "implementation.yaml", "stage: in_force", "stage: enacted")
    assert any(p.key == "events.1.stage" for p in problems(data_dir))
