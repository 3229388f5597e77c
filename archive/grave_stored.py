"""A validated cemetery, grave or initial-burial record as the columns it is stored in.

Nothing here touches a database, so an import's worker processes hand the writer plain
columns (a dict pickles in a tenth of the time a validated model takes). A grave's
cemetery is still the reference the record gave (``cemetery``: an id or a name), found
when the batch is stored, and its ``reason`` rides along for its status history.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from archive.grave_columns import Kind
from archive.grave_schema import BurialRecord, CemeteryRecord, GraveRecord, RemainsFrom
from decoder.plots import given_key, name_key, place_key
from places import locate

#: The graves leads rank: the only ones placed (:func:`placed_point`).
UNNAMED = ("unidentified", "partial")

#: ``(placed_lat, placed_lon)``: a point, or none.
Placed = tuple[float, float] | tuple[None, None]
NOWHERE: Placed = (None, None)


def placed_point(status: str, place: str | None, lat: float | None, lon: float | None) -> Placed:
    """An unnamed grave's ``(placed_lat, placed_lon)``, where leads look for candidate
    graves: the point its remains were collected at, else the gazetteer's point for the
    written place; none for a named grave or one that says neither."""
    if status not in UNNAMED:
        return NOWHERE
    if lat is not None and lon is not None:
        return lat, lon
    return _point(place) if place else NOWHERE


@lru_cache(maxsize=1 << 14)  # registers write the same places grave after grave
def _point(place: str) -> Placed:
    found = locate(place)
    return (round(found[0].lat, 6), round(found[0].lon, 6)) if found else NOWHERE


#: :func:`place_key`, remembered: a register names the same communes on row after row.
_place_key = lru_cache(maxsize=1 << 15)(place_key)


def cemetery_columns(record: CemeteryRecord) -> dict[str, Any]:
    """The stored columns of a cemetery record."""
    return {"id": record.id, "name": record.name, "name_key": name_key(record.name),
            "level": record.level, "commune": record.commune,
            "district": record.district, "province": record.province,
            "province_key": _place_key(record.province) if record.province else None,
            "lat": record.lat, "lon": record.lon, "contact": record.contact}


def grave_columns(record: GraveRecord) -> dict[str, Any]:
    """The stored columns of a grave record, with ``cemetery`` (the reference to resolve
    into ``cemetery_id``) and ``reason`` (for its status history) beside them."""
    remains = record.remains_from or RemainsFrom()
    placed = placed_point(record.status, remains.place, remains.lat, remains.lon)
    return {"id": record.id, "cemetery": record.cemetery, "reason": record.reason,
            "zone": record.zone or "", "lot": record.lot or "",
            "row": record.row or "", "number": record.number, "status": record.status,
            "name": record.name, "name_key": name_key(record.name) if record.name else None,
            "birth_year": record.birth_year, "hometown": record.hometown,
            "hometown_key": _place_key(record.hometown) if record.hometown else None,
            "unit_text": record.unit_text, "death_date": record.death_date,
            "remains_place": remains.place, "remains_lat": remains.lat, "remains_lon": remains.lon,
            "remains_date": remains.date, "remains_burial": remains.burial, "placed_lat": placed[0],
            "placed_lon": placed[1], "person_id": record.person_id,
            "sources": [source.model_dump(exclude_none=True) for source in record.sources]}


def burial_columns(record: BurialRecord) -> dict[str, Any]:
    """The stored columns of an initial-burial record."""
    recovered = record.recovered
    return {"id": record.id, "name": record.name,
            "given_key": given_key(record.name) if record.name else None, "unit_text": record.unit_text,
            "death_date": record.death_date, "burial_date": record.burial_date, "place": record.place,
            "lat": record.lat, "lon": record.lon, "buried_by": record.buried_by, "marker": record.marker,
            "witnesses": list(record.witnesses), "recovered_date": recovered.date if recovered else None,
            "recovered_grave": recovered.grave if recovered else None, "person_id": record.person_id,
            "sources": [source.model_dump(exclude_none=True) for source in record.sources]}


#: The columns of each kind of record.
COLUMNS: dict[Kind, Callable[[Any], dict[str, Any]]] = {
    "cemetery": cemetery_columns, "grave": grave_columns, "burial": burial_columns}


def stored_columns(kind: Kind, record: BaseModel) -> dict[str, Any]:
    """The stored columns of a validated record of ``kind``."""
    return COLUMNS[kind](record)
