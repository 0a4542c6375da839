"""Build the country outlines shipped in ``src/cyberspex/data/geo/`` for the treaty map.

Input: the TopoJSON files of the npm package ``world-atlas`` 2.0.2 (Natural Earth 4.1.0
admin-0 countries, public domain; the TopoJSON packaging is ISC-licensed, Mike Bostock):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_geo.py package/countries-110m.json package/countries-50m.json

Output (plain JSON, longitude/latitude in degrees, rounded):

- ``world-110m.json``: every country at 1:110m, for the world view;
- ``europe-50m.json``: the countries reaching into the Europe window at 1:50m: only their
  polygons that reach into the window, islands under ``EUROPE_MIN_AREA`` square degrees
  left out (a country keeps at least its polygons in the window), points closer than
  ``EUROPE_TOLERANCE`` degrees dropped, points far outside the window moved onto the edge
  of ``EUROPE_CLAMP`` (beyond the map's frame);
- rings crossing the antimeridian are kept on one side (``one_side``);
- both carry ``points``: a representative point per country (the centre of its largest
  ring at 1:50m), used to draw a marker for a State too small to see at that scale.

Countries are keyed by ISO 3166-1 alpha-2 code (from the numeric code via pycountry);
Natural Earth features without an ISO numeric code are left out except Kosovo (``XK``,
a user-assigned code), so that the map has no hole there. The script needs only the
standard library and pycountry.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pycountry

OUT = Path(__file__).resolve().parent.parent / "src" / "cyberspex" / "data" / "geo"
EUROPE_WINDOW = (-25.0, 27.0, 50.0, 72.0)  # lon min, lat min, lon max, lat max
# Outside this frame (wider than the map's) each point is moved onto its edge: the outline of
# Russia, say, then ends beyond the map's frame instead of running round the globe across it.
EUROPE_CLAMP = (-45.0, 15.0, 75.0, 82.0)
EUROPE_TOLERANCE = 0.15
EUROPE_MIN_AREA = 0.02  # square degrees: smaller islands are dropped (not a whole country)
NO_CODE = {"Kosovo": "XK"}

Ring = list[tuple[float, float]]


def decode_arcs(topo: dict[str, Any]) -> list[Ring]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[Ring], indexes: list[int]) -> Ring:
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def polygons(arcs: list[Ring], geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
    return []


def alpha2(geometry: dict[str, Any]) -> str | None:
    code = geometry.get("id")
    if code is None:
        return NO_CODE.get(geometry.get("properties", {}).get("name", ""))
    country = pycountry.countries.get(numeric=str(code).zfill(3))
    return country.alpha_2 if country else None


def thin(points: Ring, tolerance: float) -> Ring:
    if tolerance <= 0 or len(points) < 8:
        return points
    out = [points[0]]
    for point in points[1:-1]:
        if abs(point[0] - out[-1][0]) + abs(point[1] - out[-1][1]) >= tolerance:
            out.append(point)
    out.append(points[-1])
    return out if len(out) >= 4 else points


def area(points: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))) / 2


def centre(points: Ring) -> tuple[float, float]:
    """The area centroid of a ring (its vertex mean when the ring has no area)."""
    a = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)) / 2
    if abs(a) < 1e-9:
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))
    return cx / (6 * a), cy / (6 * a)


def countries(topo: dict[str, Any]) -> dict[str, tuple[str, list[list[Ring]]]]:
    arcs = decode_arcs(topo)
    out: dict[str, tuple[str, list[list[Ring]]]] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = alpha2(geometry)
        if code is None:
            continue
        name = geometry.get("properties", {}).get("name", code)
        out[code] = (name, polygons(arcs, geometry))
    return out


def rounded(points: Ring, digits: int) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in points:
        point = [round(x, digits), round(y, digits)]
        if not out or point != out[-1]:
            out.append(point)
    return out


def clamped(points: Ring) -> Ring:
    lon0, lat0, lon1, lat1 = EUROPE_CLAMP
    if max(x for x, _ in points) - min(x for x, _ in points) > 180:  # crosses the antimeridian (Russia)
        points = [(x + 360 if x < -90 else x, y) for x, y in points]
    return [(min(max(x, lon0), lon1), min(max(y, lat0), lat1)) for x, y in points]


def one_side(points: Ring) -> Ring:
    """A ring that crosses the antimeridian (Fiji, Russia at 1:110m) kept on the side where
    most of its points are: the others are moved onto the map's edge at 180°."""
    if max(x for x, _ in points) - min(x for x, _ in points) <= 180:
        return points
    east = sum(1 for x, _ in points if x > 0) >= len(points) / 2
    return [((180.0 if x < 0 else x) if east else (-180.0 if x > 0 else x), y) for x, y in points]


def in_window(polys: list[list[Ring]]) -> bool:
    lon0, lat0, lon1, lat1 = EUROPE_WINDOW
    return any(lon0 <= x <= lon1 and lat0 <= y <= lat1 for polygon in polys for r in polygon for x, y in r)


def write(name: str, shapes: dict[str, Any], points: dict[str, list[float]], note: str) -> None:
    document = {
        "source": "Natural Earth 4.1.0 admin-0 countries (public domain) via world-atlas 2.0.2 (ISC)",
        "note": note,
        "countries": shapes,
        "points": points,
    }
    (OUT / name).write_text(json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")


def main(small: str, medium: str) -> None:
    world = countries(json.loads(Path(small).read_text(encoding="utf-8")))
    detail = countries(json.loads(Path(medium).read_text(encoding="utf-8")))
    points = {}
    for code, (_name, polys) in detail.items():
        largest = max((polygon[0] for polygon in polys), key=area, default=None)
        if largest:
            x, y = centre(largest)
            points[code] = [round(x, 2), round(y, 2)]
    world_shapes = {
        code: {"name": name, "polygons": [[rounded(one_side(r), 1) for r in polygon] for polygon in polys]}
        for code, (name, polys) in sorted(world.items())
    }
    europe_shapes = {}
    for code, (name, polys) in sorted(detail.items()):
        if not in_window(polys):
            continue
        inside = [p for p in polys if in_window([p])]
        large = [p for p in inside if area(p[0]) >= EUROPE_MIN_AREA] or inside
        kept = [[rounded(thin(clamped(r), EUROPE_TOLERANCE), 2) for r in polygon] for polygon in large]
        europe_shapes[code] = {"name": name, "polygons": kept}
    OUT.mkdir(parents=True, exist_ok=True)
    write("world-110m.json", world_shapes, points, "1:110m, coordinates rounded to 0.1 degree")
    write("europe-50m.json", europe_shapes, points, f"1:50m, points closer than {EUROPE_TOLERANCE} degree dropped")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tools/build_geo.py countries-110m.json countries-50m.json")
    main(sys.argv[1], sys.argv[2])
