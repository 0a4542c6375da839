"""The review screen's columns: each holds exactly the elements of its recipient's package
(``forms.package.package_data``), never one more."""

from __future__ import annotations

import pytest

from cyberspex.forms.definitions import forms
from cyberspex.forms.package import package_data
from cyberspex.web.cases.editor import Choices, editor_for
from cyberspex.web.cases.review import Row, columns
from tests.web.helpers import form_data

CHOICES = Choices(states=[], languages=[])


def _leaves(rows: list[Row]) -> list[str]:
    return [leaf for row in rows for leaf in ([row.value] if not row.children else _leaves(row.children))]


@pytest.mark.parametrize("form_id", list(forms()))
def test_each_column_shows_its_package_and_nothing_else(form_id: str) -> None:
    data = form_data(form_id, "DE")
    editor = editor_for(form_id, data, language="en", choices=CHOICES)
    for package in forms()[form_id].packages:
        if package == "full":
            continue
        held = package_data(form_id, data, package)
        rows = columns(editor, held)
        assert len(rows) == len([k for k in held if k not in ("form", "route_advice")])
        withheld = {str(v) for k, v in data.items() if k not in held and isinstance(v, str) and len(v) > 20}
        assert withheld.isdisjoint(_leaves(rows)), (form_id, package)
