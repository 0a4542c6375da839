"""The what-if heat map, drawn on the server as SVG: issuing State (rows) × provider State
(columns), each cell shaded by how many (data category, route) combinations change for the
pair. Geometry attributes and classes only (the colours are in static/site.css), no script,
no inline style (the site's Content-Security-Policy); the page shows a table with the same
figures beside it (templates/knowledge/whatif/page.html)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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
    column_labels = format_html_join(
        "",
        '<text class="heat__label" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((LABEL + CELL * index + CELL / 2, LABEL - 6, code) for index, code in enumerate(providers)),
    )
    row_labels = format_html_join(
        "",
        '<text class="heat__label" x="{}" y="{}" text-anchor="end">{}</text>',
        ((LABEL - 4, LABEL + CELL * index + CELL * 0.7, code) for index, code in enumerate(issuing)),
    )
    cells = format_html_join(
        "",
        '<rect class="heat__cell heat__cell--{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
        (
            (
                level(values.get((i, p), 0), largest),
                LABEL + CELL * col,
                LABEL + CELL * row,
                CELL - 1,
                CELL - 1,
                _("%(issuing)s to %(provider)s: %(count)d changes")
                % {"issuing": i, "provider": p, "count": values.get((i, p), 0)},
            )
            for row, i in enumerate(issuing)
            for col, p in enumerate(providers)
        ),
    )
    return format_html(
        '<svg class="heat" id="{}" role="img" aria-labelledby="{}-title" viewBox="0 0 {} {}" width="{}" height="{}"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>{}{}{}</svg>',
        chart_id,
        chart_id,
        width,
        height,
        width,
        height,
        chart_id,
        title,
        column_labels,
        row_labels,
        cells,
    )
