"""Search areas: recorded, changed (every change audited with what it was before) and
read as GeoJSON for the maps."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.area_schema import AreaChange, AreaRecord
from archive.audit import record_event
from archive.models import Person, SearchArea, utc_now
from decoder.errors import NotFoundError
from leads.geo import circle

_FIELDS = ("place", "level", "lat", "lon", "radius_km", "status", "note", "status_date")


def add_area(session: Session, record: AreaRecord, *, actor: str) -> SearchArea:
    """Record a search area, audited.

    Raises:
        NotFoundError: the person named is not stored.
    """
    if record.person_id is not None and session.get(Person, record.person_id) is None:
        raise NotFoundError(f"There is no person record {record.person_id!r}.")
    now = utc_now()
    area = SearchArea(id=f"a-{uuid.uuid4().hex[:16]}", person_id=record.person_id, place=record.place,
                      level=record.level, lat=record.lat, lon=record.lon, radius_km=record.radius_km,
                      status=record.status, note=record.note, status_date=record.date, created_by=actor[:100],
                      created_at=now, updated_by=actor[:100], updated_at=now)
    session.add(area)
    session.flush()
    record_event(session, actor=actor, action="area.create", subject=f"area:{area.id}",
                 details={"person_id": record.person_id, **_state(area)})
    return area


def change_area(session: Session, area_id: str, change: AreaChange, *, actor: str) -> SearchArea:
    """Change an area's status, centre or width, audited with the state before and after.

    Raises:
        NotFoundError: no such area.
    """
    area = session.get(SearchArea, area_id)
    if area is None:
        raise NotFoundError(f"There is no search area {area_id!r}.")
    before = _state(area)
    for name in ("status", "lat", "lon", "radius_km"):
        if getattr(change, name) is not None:
            setattr(area, name, getattr(change, name))
    if change.note is not None:
        area.note = change.note
    if change.status is not None or change.date is not None:
        area.status_date = change.date
    area.updated_by, area.updated_at = actor[:100], utc_now()
    session.flush()
    record_event(session, actor=actor, action="area.change", subject=f"area:{area.id}",
                 details={"before": before, "after": _state(area)})
    return area


def _state(area: SearchArea) -> dict[str, Any]:
    return {name: getattr(area, name) for name in _FIELDS}


def area_json(area: SearchArea) -> dict[str, Any]:
    """A search area as the API gives it."""
    return {"id": area.id, "person_id": area.person_id, **_state(area), "created_by": area.created_by,
            "updated_by": area.updated_by, "updated_at": area.updated_at.isoformat()}


def list_areas(session: Session, *, person_id: str | None = None,
               status: str | None = None) -> list[SearchArea]:
    """Search areas, the newest first, of one person or status when asked."""
    query = select(SearchArea).order_by(SearchArea.updated_at.desc(), SearchArea.id)
    if person_id is not None:
        query = query.where(SearchArea.person_id == person_id)
    if status is not None:
        query = query.where(SearchArea.status == status)
    return list(session.scalars(query))


def areas_geojson(areas: list[SearchArea]) -> dict[str, Any]:
    """The areas as a GeoJSON FeatureCollection of circles, their facts as properties."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature",
         "geometry": {"type": "Polygon", "coordinates": [circle(a.lat, a.lon, a.radius_km)]},
         "properties": area_json(a)} for a in areas]}
