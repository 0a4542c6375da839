"""What one recipient's package shows, as rows labelled like the editor's fields: the review
screen reads the package (``forms.package.package_data``), never the full draft, so a column
holds only what that recipient will receive."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from cyberspex.web.cases.editor import Editor, Widget


@dataclass
class Row:
    label: str
    value: str = ""
    children: list[Row] = field(default_factory=list)


def _value(widget: Widget | None, value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if widget is not None and widget.choices:
        return dict(widget.choices).get(str(value), str(value))
    return str(value)


def _rows(value: Any, label: str, widget: Widget | None) -> Row:
    if isinstance(value, dict):
        named = {w.node_name: w for w in widget.children} if widget else {}
        return Row(label, children=[_rows(v, named[k].label if k in named else k, named.get(k)) for k, v in value.items()])
    if isinstance(value, list):
        items = widget.children if widget and widget.kind == "list" else []
        template = items[0] if items else None
        rows = []
        for index, item in enumerate(value):
            shown = items[index] if index < len(items) else template
            rows.append(_rows(item, shown.label if shown else f"{label} {index + 1}", shown))
        if all(not isinstance(v, (dict, list)) for v in value):
            return Row(label, ", ".join(_value(widget, v) for v in value))
        return Row(label, children=rows)
    return Row(label, _value(widget, value))


def columns(editor: Editor, package: dict[str, Any]) -> list[Row]:
    """The package's values in the editor's order, each with its field's label."""
    top = {w.node_name: w for section in editor.sections for w in section.widgets}
    order = list(top)
    keys = sorted(
        (k for k in package if k not in ("form", "route_advice")), key=lambda k: order.index(k) if k in order else len(order)
    )
    return [_rows(package[k], top[k].label if k in top else editor.field_label(k), top.get(k)) for k in keys]
