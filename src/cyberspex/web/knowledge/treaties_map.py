"""The treaty map: country outlines shipped with the instance, drawn on the server as SVG.

The outlines are Natural Earth's admin-0 countries (public domain), 1:110m for the world
and 1:50m for Europe, reduced by ``tools/build_geo.py`` into ``cyberspex/data/geo/`` (see the
README there). No tile server, no CDN, no script: each State in the reference data is a link
to its profile with a ``<title>``; the fill is a pattern per status (colour-blind-safe
colours from static/site.css, plus hatching or dots so that colour is not the only cue), and
a State too small to see at the scale also gets a marker. The page puts a table with the same
data beside the map.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

Point = tuple[float, float]
Project = Callable[[float, float], Point]


@dataclass(frozen=True, slots=True)
class View:
    """A map view: which outlines, how they are projected, and the frame."""

    key: str
    file: str
    width: int
    height: int
    marker: float  # radius of the marker drawn for a State too small to see
    min_size: float  # a State whose outline is smaller than this (px) also gets a marker
    project: Project


def _world(lon: float, lat: float) -> Point:
    """Equirectangular, longitude -180..180, latitude 84..-58 on a 960-wide frame."""
    scale = 960 / 360
    return (lon + 180) * scale, (84 - lat) * scale


_EU_LON0, _EU_LAT0 = 15.0, 52.0
_EU_SCALE = 15.5
_EU_LEFT, _EU_TOP = -25.0, 71.5


def _europe(lon: float, lat: float) -> Point:
    """Equirectangular with the parallel of 52°N true to scale: a plain, undistorted-enough
    frame for Europe (x stretched by cos 52°)."""
    x = (lon - _EU_LON0) * math.cos(math.radians(_EU_LAT0))
    x0 = (_EU_LEFT - _EU_LON0) * math.cos(math.radians(_EU_LAT0))
    return (x - x0) * _EU_SCALE, (_EU_TOP - lat) * _EU_SCALE


VIEWS: dict[str, View] = {
    "europe": View("europe", "europe-50m.json", 680, 620, 4.5, 6.0, _europe),
    "world": View("world", "world-110m.json", 960, 380, 3.0, 4.0, _world),
}


@dataclass(frozen=True, slots=True)
class MapState:
    """One State in the data as the map shows it."""

    iso: str
    name: str
    status: str  # a status key, also the CSS modifier and the pattern's name
    label: str  # what the status says, in words, e.g. "In force since 1 July 2004"
    href: str


@dataclass(frozen=True, slots=True)
class Status:
    key: str
    label: str


@functools.cache
def outlines(file: str) -> Mapping[str, Any]:
    """The shipped outlines of one view (read once per process)."""
    text = (resources.files("cyberspex") / "data" / "geo" / file).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _path(
    polygons: Sequence[Sequence[Sequence[Sequence[float]]]], project: Project
) -> tuple[str, tuple[float, float, float, float]]:
    parts: list[str] = []
    xs: list[float] = []
    ys: list[float] = []
    for polygon in polygons:
        for ring in polygon:
            last: tuple[float, float] | None = None
            points: list[str] = []
            for lon, lat in ring:
                x, y = project(lon, lat)
                here = (round(x, 1), round(y, 1))
                if here == last:
                    continue
                last = here
                xs.append(here[0])
                ys.append(here[1])
                points.append(f"{here[0]:g} {here[1]:g}")
            if len(points) >= 3:
                parts.append("M" + "L".join(points) + "Z")
    box = (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)
    return "".join(parts), box


def _visible(box: tuple[float, float, float, float], view: View) -> bool:
    return box[2] >= 0 and box[0] <= view.width and box[3] >= 0 and box[1] <= view.height


@functools.cache
def _shapes(view_key: str) -> dict[str, tuple[str, str, tuple[float, float, float, float]]]:
    """Every outline of a view as (name, SVG path, bounding box), projected once per process."""
    view = VIEWS[view_key]
    document = outlines(view.file)
    out = {}
    for iso, country in document["countries"].items():
        path, box = _path(country["polygons"], view.project)
        if path and _visible(box, view):
            out[iso] = (country["name"], path, box)
    return out


def _marker_point(iso: str, view: View) -> Point | None:
    point = outlines(view.file)["points"].get(iso)
    if point is None:
        return None
    x, y = view.project(point[0], point[1])
    return (round(x, 1), round(y, 1)) if 0 <= x <= view.width and 0 <= y <= view.height else None


def _patterns(view: View, statuses: Sequence[Status]) -> SafeString:
    """One ``<pattern>`` per status: a coloured ground and a distinct mark (none, stripes,
    dots, cross-hatching), so that print and colour-blind readers can tell them apart."""
    marks = {
        "in-force": "",
        "consented": '<path class="tmap-mark" d="M0 6L6 0M-1 1L1 -1M5 7L7 5"></path>',
        "signed": '<circle class="tmap-mark tmap-mark--dot" cx="3" cy="3" r="1.1"></circle>',
        "not-party": "",
        "unknown": '<path class="tmap-mark" d="M0 0L6 6M6 0L0 6"></path>',
    }
    return format_html_join(
        "",
        '<pattern id="tmap-{}-{}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect class="tmap-ground tmap-ground--{}" width="6" height="6"></rect>{}</pattern>',
        ((view.key, s.key, s.key, mark_safe(marks.get(s.key, ""))) for s in statuses),  # noqa: S308  # constant markup above
    )


def render(*, view_key: str, title: str, description: str, states: Sequence[MapState], statuses: Sequence[Status]) -> SafeString:
    """The map of ``view_key`` with every State in ``states`` linked, titled and filled by status.
    A State with no outline in the view, or one too small to see, gets a marker at its point."""
    view = VIEWS[view_key]
    shapes = _shapes(view_key)
    listed = {s.iso for s in states}
    background = format_html_join(
        "",
        '<path class="tmap-other" d="{}"><title>{}</title></path>',
        ((path, name) for iso, (name, path, _box) in sorted(shapes.items()) if iso not in listed),
    )
    drawn = []
    markers = []
    for state in sorted(states, key=lambda s: s.iso):
        fill = f"url(#tmap-{view.key}-{state.status})"
        shape = shapes.get(state.iso)
        small = shape is None or max(shape[2][2] - shape[2][0], shape[2][3] - shape[2][1]) < view.min_size
        point = _marker_point(state.iso, view) if small else None
        if shape is None and point is None:
            continue  # outside this view (e.g. Japan on the map of Europe): the table lists it
        if shape is not None:
            drawn.append(_link(state, format_html('<path d="{}" fill="{}"></path>', shape[1], fill), focusable=True))
        if point is not None:
            circle = format_html(
                '<circle class="tmap-marker" cx="{}" cy="{}" r="{}" fill="{}"></circle>', point[0], point[1], view.marker, fill
            )
            # Drawn above every outline; a second link only when the State has an outline too.
            markers.append(_link(state, circle, focusable=shape is None))
    return format_html(
        '<svg class="tmap tmap--{}" id="tmap-{}" role="group" aria-labelledby="tmap-{}-title tmap-{}-desc" viewBox="0 0 {} {}"'
        ' width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="tmap-{}-title">{}</title><desc id="tmap-{}-desc">{}</desc><defs>{}</defs>'
        '<rect class="tmap-sea" width="{}" height="{}"></rect>'
        '<g class="tmap-background">{}</g><g class="tmap-states">{}</g></svg>',
        view.key,
        view.key,
        view.key,
        view.key,
        view.width,
        view.height,
        view.key,
        title,
        view.key,
        description,
        _patterns(view, statuses),
        view.width,
        view.height,
        background,
        mark_safe("".join(drawn + markers)),  # noqa: S308  # each State built with format_html above
    )


def _link(state: MapState, content: SafeString, *, focusable: bool) -> SafeString:
    """A State's shape or marker as a link to its profile, named by a ``<title>``. A marker
    repeating a State's outline is left out of the tab order and the accessibility tree."""
    hidden = SafeString("") if focusable else SafeString(' tabindex="-1" aria-hidden="true"')
    return format_html(
        '<a href="{}" class="tmap-state tmap-state--{}" data-iso="{}" data-status="{}" aria-label="{}: {}"{}>'
        "<title>{}: {}</title>{}</a>",
        state.href,
        state.status,
        state.iso,
        state.status,
        state.name,
        state.label,
        hidden,
        state.name,
        state.label,
        content,
    )


def swatch(view_key: str, status: str) -> SafeString:
    """A legend swatch filled with the same pattern as the map (the map's ``<defs>`` on the page)."""
    return format_html(
        '<svg class="tmap-swatch" viewBox="0 0 18 12" width="27" height="18" aria-hidden="true" focusable="false">'
        '<rect width="18" height="12" fill="url(#tmap-{}-{})"></rect></svg>',
        view_key,
        status,
    )
