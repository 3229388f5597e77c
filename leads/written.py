"""The places written on the person's record: where he died (``death_place``) and where he
was first buried (``initial_burial``), put on the map through the gazetteer."""

from __future__ import annotations

from leads.model import Area, AreaKind, Evidence
from places import Located, locate

#: How much a written place counts, by how precise the gazetteer could place it: a commune
#: is a small area, a whole province says little.
LEVEL_WEIGHT = {"commune": 0.7, "district": 0.55, "province": 0.3}
#: A first burial place is where the remains lay: it counts a little more than the place of
#: death, which was often written from afar.
BURIAL_BONUS = 0.1


def place_areas(evidence: Evidence) -> list[Area]:
    """Areas for the written place of death and of first burial; a name that fits several
    places gives an area for each, its weight shared among them."""
    when = str(evidence.death_date) if evidence.death_date else None
    areas = []
    if evidence.death_place:
        areas += _areas("death_place", evidence.death_place, when, 0.0, "the record's place of death")
    if evidence.burial_place:
        areas += _areas("initial_burial", evidence.burial_place, when, BURIAL_BONUS,
                        "the record's place of first burial")
    return areas


def _areas(kind: AreaKind, written: str, when: str | None, bonus: float, what: str) -> list[Area]:
    found = locate(written)
    return [_area(kind, written, spot, len(found), when, bonus, what) for spot in found]


def _area(kind: AreaKind, written: str, spot: Located, count: int, when: str | None, bonus: float,
          what: str) -> Area:
    weight = min(1.0, LEVEL_WEIGHT[spot.level] + bonus) / count
    reasons = [f"{what} is written {written!r}", f"placed at {spot.name}: {spot.reason}"]
    if count > 1:
        reasons.append(f"the written place fits {count} places; each counts for 1/{count}")
    return Area(kind=kind, place=spot.name, lat=spot.lat, lon=spot.lon, radius_km=spot.radius_km,
                start=when, end=when, weight=weight, reasons=tuple(reasons), sources=spot.sources,
                summary=f"{what} ({spot.name})")
