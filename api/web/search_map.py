"""A search map drawn on the server, with no tile server: a frame around a person's search
areas, the country's outline, district names for bearings, and the layers (areas shaded by
weight, recorded search areas by status, first burials, cemeteries, candidate graves)
projected to SVG coordinates."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from api.web.map import OUTLINE
from places.localities import localities

KM_PER_DEGREE = 111.32
WIDTH = 720
#: The least span a map shows (degrees of latitude), so one small area is not a blur.
MIN_SPAN = 0.25
#: Most district names written on a map; the rest would cover the layers.
MAX_LABELS = 40


@dataclass(frozen=True)
class Frame:
    """What part of the earth the map shows, and how it is drawn."""

    south: float
    west: float
    north: float
    east: float

    @property
    def x_scale(self) -> float:
        return WIDTH / (self.east - self.west)

    @property
    def y_scale(self) -> float:
        # Equirectangular about the frame's middle latitude: true enough over a province.
        return self.x_scale / math.cos(math.radians((self.south + self.north) / 2))

    @property
    def height(self) -> int:
        return round((self.north - self.south) * self.y_scale)

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        """SVG coordinates of a point."""
        return round((lon - self.west) * self.x_scale, 1), round((self.north - lat) * self.y_scale, 1)

    def pixels(self, km: float) -> float:
        """A distance on the ground as drawn."""
        return round(km / KM_PER_DEGREE * self.y_scale, 1)

    def holds(self, lat: float, lon: float) -> bool:
        """Whether the point is on the map."""
        return self.south <= lat <= self.north and self.west <= lon <= self.east


def frame_around(circles: list[tuple[float, float, float]], points: list[tuple[float, float]]) -> Frame:
    """The frame that shows every circle ``(lat, lon, radius_km)`` and point, with a margin;
    Vietnam's middle when there is nothing to show."""
    lats, lons = [], []
    for lat, lon, radius in circles:
        dlat = radius / KM_PER_DEGREE
        dlon = dlat / max(0.1, math.cos(math.radians(lat)))
        lats += [lat - dlat, lat + dlat]
        lons += [lon - dlon, lon + dlon]
    lats += [lat for lat, _ in points]
    lons += [lon for _, lon in points]
    if not lats:
        return Frame(15.5, 105.5, 17.5, 108.0)
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    pad_lat = max((north - south) * 0.1, (MIN_SPAN - (north - south)) / 2, 0.02)
    pad_lon = max((east - west) * 0.1, (MIN_SPAN - (east - west)) / 2, 0.02)
    return Frame(south - pad_lat, west - pad_lon, north + pad_lat, east + pad_lon)


@cache
def _outline_rings() -> tuple[tuple[tuple[float, float], ...], ...]:
    features = json.loads(OUTLINE.read_text(encoding="utf-8"))["features"]
    return tuple(tuple((lat, lon) for lon, lat in ring)
                 for feature in features if feature["geometry"]["type"] == "Polygon"
                 for ring in feature["geometry"]["coordinates"])


def land_path(frame: Frame) -> str:
    """The country's outline as an SVG path in the frame (what lies outside is clipped)."""
    parts = []
    for ring in _outline_rings():
        points = [frame.project(lat, lon) for lat, lon in ring]
        parts.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return " ".join(parts)


@dataclass(frozen=True)
class Label:
    """A name written on the map."""

    x: float
    y: float
    text: str


def district_labels(frame: Frame) -> list[Label]:
    """The districts whose point lies in the frame (the 2008–2025 map's, the one wartime
    papers are nearest), for bearings."""
    found = [unit for unit in localities() if unit.level == "district" and frame.holds(unit.lat, unit.lon)]
    return [Label(*frame.project(unit.lat, unit.lon), unit.name) for unit in found[:MAX_LABELS]]


@dataclass
class SearchMap:
    """Everything the map template draws."""

    frame: Frame
    land: str
    labels: list[Label]
    areas: list[dict[str, Any]] = field(default_factory=list)
    recorded: list[dict[str, Any]] = field(default_factory=list)
    burials: list[dict[str, Any]] = field(default_factory=list)
    cemeteries: list[dict[str, Any]] = field(default_factory=list)
    graves: list[dict[str, Any]] = field(default_factory=list)


def leads_frame(leads: dict[str, Any], recorded: list[dict[str, Any]]) -> Frame:
    """The frame of one person's map: his leads' areas and graves, and the areas recorded."""
    circles = [(a["lat"], a["lon"], a["radius_km"]) for a in [*leads["areas"], *recorded]]
    return frame_around(circles, [(g["lat"], g["lon"]) for g in leads["graves"] if g.get("lat") is not None])


def search_map(leads: dict[str, Any], recorded: list[dict[str, Any]], burials: list[dict[str, Any]],
               cemeteries: list[dict[str, Any]]) -> SearchMap:
    """The map of one person's leads (CONTRACT's JSON), the search areas recorded for him,
    and the first burials and cemeteries near them (each a dict with ``lat`` and ``lon``)."""
    frame = leads_frame(leads, recorded)
    drawn = SearchMap(frame, land_path(frame), district_labels(frame))
    for number, area in enumerate(leads["areas"], start=1):
        x, y = frame.project(area["lat"], area["lon"])
        drawn.areas.append(area | {"x": x, "y": y, "r": frame.pixels(area["radius_km"]), "number": number})
    for area in recorded:
        x, y = frame.project(area["lat"], area["lon"])
        drawn.recorded.append(area | {"x": x, "y": y, "r": frame.pixels(area["radius_km"])})
    for rank, grave in enumerate(leads["graves"], start=1):
        if grave.get("lat") is not None and frame.holds(grave["lat"], grave["lon"]):
            drawn.graves.append(grave | dict(zip(("x", "y"), frame.project(grave["lat"], grave["lon"]),
                                                 strict=True)) | {"rank": rank})
    for kind, items in (("burials", burials), ("cemeteries", cemeteries)):
        for item in items:
            if item.get("lat") is not None and frame.holds(item["lat"], item["lon"]):
                x, y = frame.project(item["lat"], item["lon"])
                getattr(drawn, kind).append(item | {"x": x, "y": y})
    return drawn
