"""A leads result as a GeoJSON FeatureCollection (RFC 7946), for maps and GIS tools.

Areas are polygons approximating their circles (GeoJSON has no circle), with the centre and
radius kept in their properties; ranked graves with a known point are points. The person and
death date ride along as foreign members of the collection.
"""

from __future__ import annotations

from typing import Any

from leads.geo import circle
from leads.model import Area, GraveLead, Leads


def leads_geojson(leads: Leads) -> dict[str, Any]:
    """``{"type": "FeatureCollection", "features": [...]}`` for the areas and graves of ``leads``."""
    features = [_area_feature(i, area) for i, area in enumerate(leads.areas)]
    features += [_grave_feature(rank, grave) for rank, grave in enumerate(leads.graves, start=1)
                 if grave.lat is not None and grave.lon is not None]
    return {"type": "FeatureCollection", "person_id": leads.person_id,
            "death_date": str(leads.death_date) if leads.death_date else None, "features": features}


def _area_feature(index: int, area: Area) -> dict[str, Any]:
    properties = {"feature": "area", "index": index, **area.to_json_data(), "unit_id": area.unit_id,
                  "record": area.record, "center": [round(area.lon, 6), round(area.lat, 6)]}
    return {"type": "Feature", "id": f"area-{index}", "properties": properties,
            "geometry": {"type": "Polygon", "coordinates": [circle(area.lat, area.lon, area.radius_km)]}}


def _grave_feature(rank: int, grave: GraveLead) -> dict[str, Any]:
    properties = {"feature": "grave", "rank": rank, **grave.to_json_data(), "area": grave.area,
                  "distance_km": round(grave.distance_km, 1) if grave.distance_km is not None else None}
    point = [round(grave.lon or 0.0, 6), round(grave.lat or 0.0, 6)]  # only graves with a point come here
    return {"type": "Feature", "id": f"grave-{grave.grave_id}", "properties": properties,
            "geometry": {"type": "Point", "coordinates": point}}
