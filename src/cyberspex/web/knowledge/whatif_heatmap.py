"""The what-if heat map, drawn on the server as SVG: issuing State (rows) × provider State
(columns), each cell shaded by how many (data category, route) combinations change for the
pair; and the table with the same figures, shown beside it.

Geometry attributes and classes only (the colours are in static/site.css), no script, no inline
style (the site's Content-Security-Policy). With every signatory assumed the picture has some
3,000 cells, so both are built as plain strings (every text escaped with ``html.escape``) rather
than through ``format_html`` or the template engine, which cost ten times as much, and kept per
data version, query and language (knowledge/whatif_views.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

CELL = 16
LABEL = 28
LEVELS = 4  # shades 1 to 4; 0 is no change


def level(value: int, largest: int) -> int:
    """The shade of ``value`` on a scale of 0 (no change) to LEVELS (the largest)."""
    if value <= 0 or largest <= 0:
        return 0
    return max(1, min(LEVELS, -(-value * LEVELS // largest)))


def heat_map(
    *, chart_id: str, title: str, issuing: Sequence[str], providers: Sequence[str], values: Mapping[tuple[str, str], int]
) -> SafeString:
    """An ``<svg role="img">`` named by ``title``; each cell has a ``<title>`` with its pair and figure."""
    largest = max(values.values(), default=0)
    width = LABEL + CELL * len(providers) + 4
    height = LABEL + CELL * len(issuing) + 4
    parts = [
        f'<svg class="heat" id="{escape(chart_id)}" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
    ]
    label = '<text class="heat__label" x="{x}" y="{y}" text-anchor="{anchor}">{code}</text>'
    parts += [
        label.format(x=LABEL + CELL * index + CELL / 2, y=LABEL - 6, anchor="middle", code=escape(code))
        for index, code in enumerate(providers)
    ]
    parts += [
        label.format(x=LABEL - 4, y=f"{LABEL + CELL * index + CELL * 0.7:.1f}", anchor="end", code=escape(code))
        for index, code in enumerate(issuing)
    ]
    template = _("%(issuing)s to %(provider)s: %(count)d changes")
    for row, i in enumerate(issuing):
        for col, p in enumerate(providers):
            value = values.get((i, p), 0)
            tip = escape(template % {"issuing": i, "provider": p, "count": value})
            parts.append(
                f'<rect class="heat__cell heat__cell--{level(value, largest)}" x="{LABEL + CELL * col}" '
                f'y="{LABEL + CELL * row}" width="{CELL - 1}" height="{CELL - 1}"><title>{tip}</title></rect>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped


def matrix_table(
    *, caption: str, corner: str, states: Sequence[str], cells: Mapping[tuple[str, str], Mapping[str, int]]
) -> SafeString:
    """The heat map's figures as a table: "opened/closed/changed" per changed pair, empty otherwise."""
    head = "".join(f'<th scope="col">{escape(code)}</th>' for code in states)
    parts = [
        f'<table class="heat-table"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">{escape(corner)}</th>{head}</tr></thead><tbody>'
    ]
    for i in states:
        row = []
        for p in states:
            cell = cells.get((i, p))
            row.append(f"<td>{cell['opened']}/{cell['closed']}/{cell['changed']}</td>" if cell else "<td></td>")
        parts.append(f'<tr><th scope="row">{escape(i)}</th>{"".join(row)}</tr>')
    parts.append("</tbody></table>")
    return mark_safe("".join(parts))  # noqa: S308  # every text above is escaped
