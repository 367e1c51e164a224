"""Build ``world_land.svgpath``, the coastlines of the world map on the speaking page.

The outlines are Natural Earth's 1:110m land polygons (public domain) as packaged in
TopoJSON by the ``world-atlas`` npm package (ISC licence); see ``LICENSE.md`` beside this
file. The map is drawn server-side, so the outlines are committed as one SVG path in an
equirectangular projection (viewBox ``0 0 360 180``: x = longitude + 180,
y = 90 - latitude), the same projection :func:`talks.maps.project` places markers with.
Rings that cross the antimeridian are drawn on both edges and clipped by the viewBox.

Run it again only to change the source data or the precision::

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python talks/maps/build_world_path.py /tmp/package/land-110m.json

It uses the standard library only and writes ``talks/maps/world_land.svgpath``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUTPUT = Path(__file__).resolve().with_name("world_land.svgpath")

Point = tuple[float, float]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """The topology's arcs as absolute (longitude, latitude) points.

    A quantized topology stores each arc as integer deltas from the previous point; the
    ``transform`` scales and translates the running sums back to degrees.
    """
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (scale_x, scale_y), (translate_x, translate_y) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Join a ring's arcs; index ``~i`` (a negative number) is arc ``i`` reversed.

    Consecutive arcs share their joining point, so it is kept once.
    """
    points: list[Point] = []
    for index in ring:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry: dict) -> list[list[list[int]]]:
    """Every polygon (a list of rings of arc indexes) in a geometry or collection."""
    kind = geometry["type"]
    if kind == "GeometryCollection":
        return [polygon for child in geometry["geometries"] for polygon in polygons(child)]
    if kind == "Polygon":
        return [geometry["arcs"]]
    if kind == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def unwrap(ring: list[Point]) -> list[Point]:
    """The ring without jumps across the antimeridian: longitudes may leave -180..180.

    The data is spherical: Fiji or Chukotka go from 179.9 to -179.9 in one step, which a
    flat map would draw as a line across the world.
    """
    points = [ring[0]]
    for longitude, latitude in ring[1:]:
        previous = points[-1][0]
        while longitude - previous > 180:
            longitude -= 360
        while longitude - previous < -180:
            longitude += 360
        points.append((longitude, latitude))
    return points


def flat_rings(ring: list[Point]) -> list[list[Point]]:
    """A spherical ring as rings of the flat map, each drawn in full and clipped by the map.

    A ring that goes round a pole (Antarctica) is closed along that pole; a ring that
    crosses the antimeridian is drawn again one world-width over, so both ends show.
    """
    points = unwrap(ring)
    # Unwrapping may leave a ring a world-width off: bring its middle back on the map.
    offset = 360 * round(sum(longitude for longitude, _ in points) / len(points) / 360)
    points = [(longitude - offset, latitude) for longitude, latitude in points]
    if abs(points[-1][0] - points[0][0]) > 180:
        pole = -90 if sum(latitude for _, latitude in points) < 0 else 90
        points += [(points[-1][0], pole), (points[0][0], pole)]
    rings = [points]
    longitudes = [longitude for longitude, _ in points]
    if min(longitudes) < -180:
        rings.append([(longitude + 360, latitude) for longitude, latitude in points])
    if max(longitudes) > 180:
        rings.append([(longitude - 360, latitude) for longitude, latitude in points])
    return rings


def project(longitude: float, latitude: float) -> Point:
    """Equirectangular: one degree is one unit, the origin at the top-left corner."""
    return longitude + 180, 90 - latitude


def number(value: float) -> str:
    """A coordinate with one decimal, without a trailing ``.0`` or a ``-0``."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def svg_path(topology: dict, object_name: str = "land") -> str:
    """One SVG path for every ring of the named object, rounded to a tenth of a degree."""
    arcs = decode_arcs(topology)
    commands = []
    rings = [
        flat_ring
        for polygon in polygons(topology["objects"][object_name])
        for ring in polygon
        for flat_ring in flat_rings(ring_points(ring, arcs))
    ]
    for ring in rings:
        points: list[str] = []
        for longitude, latitude in ring:
            x, y = project(longitude, latitude)
            point = f"{number(x)} {number(y)}"
            # Rounding merges neighbouring points; a repeated point draws nothing.
            if not points or points[-1] != point:
                points.append(point)
        if len(points) > 1 and points[-1] == points[0]:
            points.pop()  # "Z" draws the closing edge
        if len(points) > 2:
            commands.append("M" + "L".join(points) + "Z")
    return "".join(commands)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="land-110m.json from world-atlas")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    arguments = parser.parse_args()
    topology = json.loads(arguments.topojson.read_text(encoding="utf-8"))
    path = svg_path(topology)
    arguments.output.write_text(path + "\n", encoding="ascii")
    print(f"wrote {arguments.output} ({len(path):,} characters)")


if __name__ == "__main__":
    main()
