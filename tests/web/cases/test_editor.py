"""The guided editor is generated from the form definitions: every node of every form appears
in it, and a field added to a definition appears in the editor, the API's validation and the
JSON Schema without any other change."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cyberspex.forms import definitions
from cyberspex.forms.definitions import _walk, forms
from cyberspex.forms.model import Node
from cyberspex.forms.schema import json_schema
from cyberspex.forms.validate import schema_issues
from cyberspex.refdata.loader import data_root
from cyberspex.web.cases.editor import Choices, Widget, editor_for, merge, read_posted
from cyberspex.web.cases.editor_prefill import fill, offence_threshold
from tests.web.conftest import Org

NO_CHOICES = Choices(states=[("DE", "Germany"), ("FR", "France"), ("US", "United States")], languages=[("en", "English")])


def _paths(node: Node, prefix: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    path = (*prefix, node.name)
    yield path
    for child in node.children:
        yield from _paths(child, (*path, 0) if node.list else path)


def _names(widgets: Iterator[Widget]) -> set[str]:
    return {w.name for w in widgets}


@pytest.mark.parametrize("form_id", list(forms()))
def test_every_node_of_the_definition_has_its_widget_in_the_editor(form_id: str) -> None:
    editor = editor_for(form_id, {}, language="en", choices=NO_CHOICES)
    shown = _names(editor.widgets())
    expected = {".".join(str(p) for p in path) for node in forms()[form_id].fields() for path in _paths(node, ())}
    assert expected - shown == set()
    assert [s.id for s in editor.sections[1:]] == [s.id for s in forms()[form_id].sections]


@pytest.mark.parametrize("form_id", list(forms()))
def test_each_widget_carries_the_label_citation_and_verification_of_its_node(form_id: str) -> None:
    editor = editor_for(form_id, {}, language="en", choices=NO_CHOICES)
    by_name = editor.by_name()
    for node in forms()[form_id].fields():
        widget = by_name[node.name]
        assert (widget.citation, widget.verified, widget.required) == (node.citation, node.verified, node.required)
        assert widget.label
        assert widget.label != node.name
        assert widget.help


def test_the_labels_follow_the_page_language() -> None:
    english = editor_for("2ap-7-order", {}, language="en", choices=NO_CHOICES).by_name()["legal_grounds"].label
    french = editor_for("2ap-7-order", {}, language="fr", choices=NO_CHOICES).by_name()["legal_grounds"].label
    assert english == "Domestic legal grounds for issuing the order"
    assert french != english


def test_an_example_read_back_from_the_editor_is_the_example() -> None:
    """Every value of the shipped example survives a round trip through the editor's inputs."""
    from tests.web.helpers import form_data  # noqa: PLC0415

    data = form_data("2ap-7-order", "US")
    editor = editor_for("2ap-7-order", data, language="en", choices=NO_CHOICES)
    post: dict[str, list[str]] = {}
    for widget in editor.widgets():
        if widget.kind in ("group", "list"):
            continue
        post[widget.name] = list(widget.value) if isinstance(widget.value, list) else [str(widget.value)]
        if widget.kind == "datetime":
            post[f"{widget.name}.zone"] = [widget.zone]
    posted = read_posted("2ap-7-order", _QueryDict(post))
    assert posted.problems == {}
    assert merge(data, posted.data, "2ap-7-order") == data


def test_adding_and_removing_a_repeated_item_renumbers_the_list() -> None:
    post = _QueryDict(
        {
            "offences.0.description": ["fraud"],
            "offences.0.provisions": ["art. 313-1"],
            "offences.1.description": ["hacking"],
            "offences.1.provisions": ["art. 323-1"],
        }
    )
    removed = read_posted("2ap-7-order", post, remove="offences.0").data["offences"]
    assert removed == [{"description": "hacking", "provisions": "art. 323-1"}]
    added = read_posted("2ap-7-order", post, add="offences").data["offences"]
    assert len(added) == 3


def test_a_value_that_is_not_a_number_is_kept_and_named() -> None:
    posted = read_posted("2ap-7-order", _QueryDict({"offences.0.max_penalty_years": ["five"]}))
    assert posted.problems.keys() == {"offences.0.max_penalty_years"}
    assert posted.data["offences"][0]["max_penalty_years"] == "five"  # nothing typed is lost


def test_a_local_time_is_stored_with_the_offset_of_its_time_zone() -> None:
    post = _QueryDict(
        {
            "data_sought.identifiers.0.kind": ["ip_address"],
            "data_sought.identifiers.0.time": ["2026-07-01T14:32"],
            "data_sought.identifiers.0.time.zone": ["Europe/Paris"],
        }
    )
    identifier = read_posted("2ap-7-order", post).data["data_sought"]["identifiers"][0]
    assert identifier["time"] == "2026-07-01T14:32:00+02:00"


def test_each_issue_is_attached_to_its_field_once() -> None:
    editor = editor_for("2ap-7-order", {}, language="en", choices=NO_CHOICES)
    issues = [{"path": "$.offences[0].provisions", "message": "missing", "severity": "error", "citation": "x"}]
    shown = editor.attach(issues)
    assert shown[0]["anchor"] == "f-offences-0-provisions"
    assert editor.by_name()["offences.0.provisions"].errors == ["missing"]


def test_the_offence_threshold_is_met_only_when_a_recorded_maximum_reaches_three_years() -> None:
    assert offence_threshold([{"max_penalty_years": 5}, {}]) is True
    assert offence_threshold([{"max_penalty_years": 2}]) is False
    assert offence_threshold([{"max_penalty_years": 2}, {}]) is None
    assert offence_threshold([]) is None


class _QueryDict(dict[str, list[str]]):
    """The part of Django's QueryDict the editor reads."""

    def get(self, key: str, default: str = "") -> str:  # type: ignore[override]
        values = super().get(key)
        return values[-1] if values else default

    def getlist(self, key: str) -> list[str]:
        return list(super().get(key) or [])


# -- a new field in a definition -------------------------------------------------------------

NEW_FIELD = "      - {name: court_file_number, type: text, citation: CETS 224 Art 7(4)(h), element: 2AP-A7-4-h}\n"


@pytest.fixture
def with_new_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The form definitions with one new field in the Article 7 order (a modified copy)."""
    root = tmp_path / "data"
    shutil.copytree(data_root(), root)
    order = root / "forms" / "2ap-7-order.yaml"
    text = order.read_text(encoding="utf-8")
    marker = "      - {name: other_information"
    order.write_text(text.replace(marker, NEW_FIELD + marker, 1), encoding="utf-8")
    monkeypatch.setattr(definitions, "data_root", lambda: root)
    forms.cache_clear()
    json_schema.cache_clear()
    yield
    forms.cache_clear()
    json_schema.cache_clear()


@pytest.mark.usefixtures("with_new_field")
def test_a_field_added_to_a_definition_appears_in_the_editor_the_validation_and_the_schema() -> None:
    assert "court_file_number" in {n.name for n in _walk(forms()["2ap-7-order"].fields())}
    editor = editor_for("2ap-7-order", {}, language="en", choices=NO_CHOICES)
    assert "court_file_number" in editor.by_name()
    read = read_posted("2ap-7-order", _QueryDict({"court_file_number": ["TJ-2026-77"]}))
    assert read.data == {"court_file_number": "TJ-2026-77"}
    schema = json_schema("2ap-7-order")
    assert schema["properties"]["court_file_number"]["x-citation"] == "CETS 224 Art 7(4)(h)"
    wrong = schema_issues("2ap-7-order", {"court_file_number": 12})
    assert [i.code for i in wrong if i.path == "$.court_file_number"] == ["invalid_type"]


def test_without_the_new_field_the_validation_refuses_it() -> None:
    issues = schema_issues("2ap-7-order", {"court_file_number": "TJ-2026-77"})
    assert [i.code for i in issues if i.path == "$.court_file_number"] == ["unknown_field"]


def test_an_epoc_for_traffic_data_gets_the_art_5_4_a_ground_from_the_case_s_penalties(fr: Org) -> None:
    data: dict[str, Any] = {"data_sought": {"category": "traffic"}}
    notes = fill("eu-epoc", data, organisation=fr.organisation, offences=[{"description": "fraud", "max_penalty_years": 10}])
    assert data["art5_4_ground"] == "max_penalty_3_years"
    assert [(n.field, n.citation) for n in notes if n.field == "art5_4_ground"] == [
        ("art5_4_ground", "Regulation (EU) 2023/1543 Art 5(4)(a)")
    ]
    assert data["issuing_authority"]["name"] == fr.organisation.name


def test_no_ground_is_chosen_when_the_penalties_are_unknown_or_for_subscriber_data(fr: Org) -> None:
    unknown: dict[str, Any] = {"data_sought": {"category": "traffic"}}
    fill("eu-epoc", unknown, organisation=fr.organisation, offences=[{"description": "fraud"}])
    subscriber: dict[str, Any] = {"data_sought": {"category": "subscriber"}}
    fill("eu-epoc", subscriber, organisation=fr.organisation, offences=[{"max_penalty_years": 10}])
    assert "art5_4_ground" not in unknown
    assert "art5_4_ground" not in subscriber


def test_the_emergency_is_chosen_in_the_editor_and_stored_as_the_schema_wants() -> None:
    editor = editor_for("eu-epoc", {"emergency": False}, language="en", choices=NO_CHOICES)
    widget = editor.by_name()["emergency"]
    assert widget.value == "no"
    assert ("life", "threat to the life or safety of a person") in widget.choices
    assert read_posted("eu-epoc", _QueryDict({"emergency": ["no"]})).data["emergency"] is False
    assert read_posted("eu-epoc", _QueryDict({"emergency": ["life"]})).data["emergency"] == "life"
