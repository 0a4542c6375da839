"""Bar charts drawn on the server as SVG, for the statistics page.

Why not a charting library: the library available offline, plotly (7.1.0 in the local mirror,
whose wheel ships plotly.js 4.1.1 as ``plotly.min.js``, 4.8 MB), creates ``<style>`` elements at
run time, which the site's Content-Security-Policy blocks (``style-src 'self'``, no
``'unsafe-inline'``: cyberspex/web/security.py), and calls ``new Function``, which ``script-src
'self'`` without ``'unsafe-eval'`` blocks; plotly's "strict" build without it is not in the wheel.
It would also be a 4.8 MB script for a few bars. A horizontal bar chart needs none of it: this module
draws one with geometry attributes only (the colours come from classes in static/site.css), no
script, and the table next to it gives the same figures to those who cannot see it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 70
BAR_HEIGHT = 22
GAP = 8


def bar_chart(*, chart_id: str, title: str, bars: Sequence[tuple[str, float]], unit: str = "") -> SafeString:
    """A horizontal bar chart of ``bars`` (label, value ≥ 0), scaled to the largest value, as an
    ``<svg role="img">`` named by its ``<title>``. Labels and title are escaped. ``unit`` follows
    each value (e.g. "d" for days)."""
    largest = max((value for _, value in bars), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    rows = format_html_join(
        "",
        '<g class="chart__row"><text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect class="chart__bar chart__bar--{}" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<text class="chart__value" x="{}" y="{}">{}</text></g>',
        (
            (
                LABEL_WIDTH - GAP,
                GAP + index * (BAR_HEIGHT + GAP) + BAR_HEIGHT * 0.7,
                _short(label),
                index % 4,
                LABEL_WIDTH,
                GAP + index * (BAR_HEIGHT + GAP),
                round(span * value / largest, 1),
                BAR_HEIGHT,
                LABEL_WIDTH + round(span * value / largest, 1) + 4,
                GAP + index * (BAR_HEIGHT + GAP) + BAR_HEIGHT * 0.7,
                f"{_number(value)}{unit}",
            )
            for index, (label, value) in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="chart" id="{}" role="img" aria-labelledby="{}-title" viewBox="0 0 {} {}" width="100%"'
        ' preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>{}</svg>',
        chart_id,
        chart_id,
        WIDTH,
        height,
        chart_id,
        title,
        rows,
    )


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def stacked_bar_chart(
    *, chart_id: str, title: str, rows: Sequence[tuple[str, Sequence[tuple[str, float]]]], total: float | None = None
) -> SafeString:
    """A horizontal stacked bar chart: one bar per row (label, segments of (series name, value
    ≥ 0)), the segments side by side in the order given, coloured by their position (classes
    ``chart__bar--0`` to ``--3``), scaled to ``total`` (or the largest row). Each segment carries
    a ``<title>`` (series and value) and the row's total follows the bar; the page shows the same
    figures in a table."""
    largest = total or max((sum(v for _, v in segments) for _, segments in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    parts = []
    for index, (label, segments) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        x = float(LABEL_WIDTH)
        bars = []
        for position, (series, value) in enumerate(segments):
            width = round(span * value / largest, 1)
            bars.append(
                format_html(
                    '<rect class="chart__bar chart__bar--{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
                    position % 4,
                    round(x, 1),
                    y,
                    width,
                    BAR_HEIGHT,
                    series,
                    _number(value),
                )
            )
            x += width
        parts.append(
            format_html(
                '<g class="chart__row"><text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>{}'
                '<text class="chart__value" x="{}" y="{}">{}</text></g>',
                LABEL_WIDTH - GAP,
                y + BAR_HEIGHT * 0.7,
                _short(label),
                SafeString("".join(bars)),
                round(x, 1) + 4,
                y + BAR_HEIGHT * 0.7,
                _number(sum(v for _, v in segments)),
            )
        )
    return format_html(
        '<svg class="chart" id="{}" role="img" aria-labelledby="{}-title" viewBox="0 0 {} {}" width="100%"'
        ' preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title id="{}-title">{}</title>{}</svg>',
        chart_id,
        chart_id,
        WIDTH,
        height,
        chart_id,
        title,
        SafeString("".join(parts)),
    )
