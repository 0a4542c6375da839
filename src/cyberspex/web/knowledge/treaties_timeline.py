"""The CETS 224 timeline as a server-drawn SVG chart: one line per consent, in order, from the
consent (a dot) to the Party's computed entry into force (a square), the Protocol's entry into
force and the date asked as vertical lines. Colours come from static/site.css; the table beside
it on the page gives the same data."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cyberspex.law.treaty_status import Timeline

WIDTH = 720
LABEL = 230
RIGHT = 30  # room for the last year's label
ROW = 24
TOP = 34
BOTTOM = 26
_TEXT = '<text class="{}" x="{{}}" y="{{}}" text-anchor="middle">{{}}</text>'
TICK = '<line class="tl-tick" x1="{}" x2="{}" y1="{}" y2="{}"></line>' + _TEXT.format("tl-year")
ASOF = '<line class="tl-asof" x1="{}" x2="{}" y1="{}" y2="{}"></line>' + _TEXT.format("tl-note")


def _short(name: str) -> str:
    return name if len(name) <= 30 else name[:29] + "…"


def _span(line: Timeline) -> tuple[date, date]:
    dates = [e.consent for e in line.entries] + [line.as_of]
    dates += [e.entry_into_force for e in line.entries if e.entry_into_force is not None]
    return date(min(dates).year, 1, 1), date(max(dates).year + 1, 1, 1)


def render(line: Timeline) -> SafeString:
    """The chart, or an empty string when no consent is recorded on the date."""
    if not line.entries:
        return SafeString("")
    start, end = _span(line)
    days = (end - start).days or 1

    def x(when: date) -> float:
        return round(LABEL + (WIDTH - LABEL - RIGHT) * (when - start).days / days, 1)

    height = TOP + ROW * len(line.entries) + BOTTOM
    axis_y = height - BOTTOM
    ticks = format_html_join(
        "",
        TICK,
        (
            (x(date(y, 1, 1)), x(date(y, 1, 1)), TOP - 6, axis_y, x(date(y, 1, 1)), axis_y + 16, y)
            for y in range(start.year, end.year + 1)
        ),
    )
    rows = []
    for index, entry in enumerate(line.entries):
        y = TOP + ROW * index + ROW / 2
        parts = [
            format_html(
                '<text class="tl-label" x="{}" y="{}" text-anchor="end">{}. {}</text>',
                LABEL - 8,
                y + 4,
                entry.ordinal,
                _short(entry.name),
            )
        ]
        if entry.entry_into_force is not None:
            parts.append(
                format_html(
                    '<line class="tl-wait" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                    '<rect class="tl-eif" x="{}" y="{}" width="8" height="8"></rect>',
                    x(entry.consent),
                    x(entry.entry_into_force),
                    y,
                    y,
                    x(entry.entry_into_force) - 4,
                    y - 4,
                )
            )
        parts.append(
            format_html(
                '<circle class="tl-consent{}" cx="{}" cy="{}" r="5"></circle>',
                " tl-consent--trigger" if entry.triggers else "",
                x(entry.consent),
                y,
            )
        )
        rows.append(format_html('<g class="tl-row">{}</g>', SafeString("".join(parts))))
    markers = [
        format_html(
            ASOF,
            x(line.as_of),
            x(line.as_of),
            TOP - 6,
            axis_y,
            x(line.as_of),
            TOP - 12,
            _("date asked"),
        )
    ]
    if line.entry_into_force is not None:
        markers.append(
            format_html(
                '<line class="tl-general" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                '<text class="tl-note" x="{}" y="{}" text-anchor="middle">{}</text>',
                x(line.entry_into_force),
                x(line.entry_into_force),
                TOP - 6,
                axis_y,
                x(line.entry_into_force),
                TOP - 24,
                _("in force %(date)s") % {"date": date_format(line.entry_into_force, "j M Y")},
            )
        )
    title = _("Consents to CETS 224 in order, each from its date (dot) to the Party's computed entry into force (square)")
    return format_html(
        '<svg class="chart tl" role="img" aria-labelledby="tl-title" viewBox="0 0 {} {}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        '<title id="tl-title">{}</title><line class="tl-axis" x1="{}" x2="{}" y1="{}" y2="{}"></line>{}{}{}</svg>',
        WIDTH,
        height,
        title,
        LABEL,
        WIDTH - RIGHT,
        axis_y,
        axis_y,
        ticks,
        SafeString("".join(markers)),
        SafeString("".join(rows)),
    )
