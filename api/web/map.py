"""A unit's history on a map that needs no tile server: the bundled outline of Vietnam
and the events' places, projected to SVG coordinates on the server."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

OUTLINE = Path(__file__).resolve().parents[2] / "static" / "vietnam-outline.geojson"
#: The map's frame in degrees: all of Vietnam, its islands, and the border country.
WEST, EAST, SOUTH, NORTH = 101.5, 115.5, 8.0, 23.6
WIDTH = 360
#: Equirectangular with the longitude shrunk by cos(16°), true enough at this scale.
_X_SCALE = WIDTH / (EAST - WEST)
_Y_SCALE = _X_SCALE / 0.961
HEIGHT = round((NORTH - SOUTH) * _Y_SCALE)


@dataclass(frozen=True)
class MapPoint:
    """A place drawn on the map with its number in the event list."""

    x: float
    y: float
    label: str
    title: str


def project(lon: float, lat: float) -> tuple[float, float]:
    """SVG coordinates of a place."""
    return round((lon - WEST) * _X_SCALE, 1), round((NORTH - lat) * _Y_SCALE, 1)


@cache
def outline() -> tuple[str, tuple[MapPoint, ...]]:
    """The mainland as an SVG path and the archipelagos as labelled points."""
    features: list[dict[str, Any]] = json.loads(OUTLINE.read_text(encoding="utf-8"))["features"]
    path, islands = "", []
    for feature in features:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            for ring in geometry["coordinates"]:
                points = [project(lon, lat) for lon, lat in ring]
                path += "M" + " L".join(f"{x},{y}" for x, y in points) + " Z "
        else:
            x, y = project(*geometry["coordinates"])
            islands.append(MapPoint(x, y, feature["properties"]["name"], feature["properties"]["name"]))
    return path.strip(), tuple(islands)


def event_points(events: list[dict[str, Any]]) -> list[MapPoint]:
    """The events that have a place inside the frame, numbered as in the event list."""
    points = []
    for number, event in enumerate(events, start=1):
        lat, lon = event.get("lat"), event.get("lon")
        if lat is None or lon is None or not (WEST <= lon <= EAST and SOUTH <= lat <= NORTH):
            continue
        x, y = project(lon, lat)
        points.append(MapPoint(x, y, str(number), str(event.get("title", ""))))
    return points


@dataclass(frozen=True)
class SizedPoint:
    """A place drawn as a circle whose area grows with its number, labelled with it."""

    x: float
    y: float
    radius: float
    label: str
    title: str
    href: str


def sized_points(places: list[tuple[float, float, int, str, str]]) -> list[SizedPoint]:
    """``(lon, lat, number, title, href)`` places inside the frame as circles, the
    largest number the largest circle (area in proportion), smaller ones drawn on top."""
    inside = [place for place in places if WEST <= place[0] <= EAST and SOUTH <= place[1] <= NORTH]
    largest = max((place[2] for place in inside), default=0) or 1
    points = []
    for lon, lat, number, title, href in sorted(inside, key=lambda place: -place[2]):
        x, y = project(lon, lat)
        radius = round(4 + 10 * (max(number, 0) / largest) ** 0.5, 1)
        points.append(SizedPoint(x, y, radius, str(number), title, href))
    return points
