"""Distances on the globe and how well a point fits a search area."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088
#: One degree of latitude, in km (for bounding boxes).
KM_PER_DEGREE = 111.2


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def spatial_fit(distance: float, radius_km: float, spread_km: float = 0.0) -> float:
    """How well a point ``distance`` km from an area's centre fits it, 1 at the centre.

    The area is a Gaussian whose scale is its radius, so that its edge scores about 0.6 and
    three radii out almost nothing. A point known only roughly (``spread_km``: a written
    commune, or a cemetery whose remains came from anywhere around it) widens the Gaussian
    and lowers its peak in proportion, as the two spreads convolve: a vague point fits
    everywhere a little and nowhere well.
    """
    radius = max(radius_km, 0.5)
    scale2 = radius * radius + spread_km * spread_km
    return (radius * radius / scale2) * math.exp(-0.5 * distance * distance / scale2)


def box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """``(south, west, north, east)`` in degrees around a point, wide enough for the radius."""
    dlat = radius_km / KM_PER_DEGREE
    dlon = radius_km / (KM_PER_DEGREE * max(0.1, math.cos(math.radians(lat))))
    return (lat - dlat, lon - dlon, lat + dlat, lon + dlon)


def circle(lat: float, lon: float, radius_km: float, points: int = 32) -> list[list[float]]:
    """A closed ring of ``[lon, lat]`` positions approximating a circle (GeoJSON order)."""
    ring = []
    for i in range(points):
        angle = 2 * math.pi * i / points
        dlat = radius_km * math.cos(angle) / KM_PER_DEGREE
        dlon = radius_km * math.sin(angle) / (KM_PER_DEGREE * max(0.1, math.cos(math.radians(lat))))
        ring.append([round(lon + dlon, 6), round(lat + dlat, 6)])
    ring.append(ring[0])
    return ring
