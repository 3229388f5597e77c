"""The places written on the person's record: where he died (``death_place``) and where he
was first buried (``initial_burial``), put on the map through the gazetteer; and how the
gazetteer placed a written place, as a reason."""

from __future__ import annotations

from functools import lru_cache

from leads.model import Area, AreaKind, Evidence
from leads.reasons import Reason, ReasonId
from places import Located, locate

#: How much a written place counts, by how precise the gazetteer could place it: a commune
#: is a small area, a whole province says little.
LEVEL_WEIGHT = {"commune": 0.7, "district": 0.55, "province": 0.3}
#: A first burial place is where the remains lay: it counts a little more than the place of
#: death, which was often written from afar.
BURIAL_BONUS = 0.1
#: What each written place is, in a reason and in a grave's reasons about the area.
WRITTEN = {"death_place": (ReasonId.DEATH_PLACE_WRITTEN, ReasonId.DEATH_PLACE_AREA),
           "initial_burial": (ReasonId.BURIAL_PLACE_WRITTEN, ReasonId.BURIAL_PLACE_AREA)}
#: A name that fits several units, by their level.
FITS = {"commune": ReasonId.FITS_COMMUNES, "district": ReasonId.FITS_DISTRICTS}
#: Finer units written but not in the gazetteer, by their level.
NOT_FOUND = {"commune": ReasonId.WRITTEN_COMMUNE, "district": ReasonId.WRITTEN_DISTRICT}
#: How a record's own point was found: one reason for them all, as it says the same every time.
RECORDED = Reason(ReasonId.RECORDED_POINT)


def place_areas(evidence: Evidence) -> list[Area]:
    """Areas for the written place of death and of first burial; a name that fits several
    places gives an area for each, its weight shared among them."""
    when = str(evidence.death_date) if evidence.death_date else None
    areas = []
    if evidence.death_place:
        areas += _areas("death_place", evidence.death_place, when, 0.0)
    if evidence.burial_place:
        areas += _areas("initial_burial", evidence.burial_place, when, BURIAL_BONUS)
    return areas


def _areas(kind: AreaKind, written: str, when: str | None, bonus: float) -> list[Area]:
    found = locate(written)
    return [_area(kind, written, spot, len(found), when, bonus) for spot in found]


def _area(kind: AreaKind, written: str, spot: Located, count: int, when: str | None, bonus: float) -> Area:
    weight = min(1.0, LEVEL_WEIGHT[spot.level] + bonus) / count
    what, summary = WRITTEN[kind]
    reasons = [Reason(what, written=written),
               Reason(ReasonId.PLACED_AT, place=spot.name, how=how_placed(spot))]
    if count > 1:
        reasons.append(Reason(ReasonId.FITS_PLACES, count=count))
    return Area(kind=kind, place=spot.name, lat=spot.lat, lon=spot.lon, radius_km=spot.radius_km,
                start=when, end=when, weight=weight, reasons=tuple(reasons), sources=spot.sources,
                summary=Reason(summary, place=spot.name))


@lru_cache(maxsize=1 << 14)  # graves' written places come back for every person ranked
def how_placed(spot: Located) -> Reason:
    """How the gazetteer placed a written place (``Located.reason``, said from its facts):
    a commune's or district's own point, else its province's centroid."""
    if spot.level == "province":
        return _province_centroid(spot)
    older = Reason(ReasonId.OLDER_NAME, written=spot.older_name) if spot.older_name else ""
    size = Reason(ReasonId.EXTENT_FROM_DATA if spot.extent_known else ReasonId.EXTENT_ASSUMED,
                  radius=spot.radius_km)
    many = Reason(FITS[spot.level], count=spot.ambiguity) if spot.ambiguity > 1 else ""
    return Reason(ReasonId.GAZETTEER_UNIT, place=spot.name, older=older, size=size, many=many)


def _province_centroid(spot: Located) -> Reason:
    written = [Reason(NOT_FOUND[level], written=name) for level, name in spot.not_found]
    missing = ""
    if written:  # a commune, a district, or both
        names = written[0] if len(written) == 1 else Reason(ReasonId.BOTH, first=written[0], then=written[1])
        missing = Reason(ReasonId.NOT_FOUND, names=names)
    era = ""
    if spot.era is not None:
        start, end = spot.era
        era = Reason(ReasonId.OLD_PROVINCE, start=start or "…", end=end or "…", today=", ".join(spot.today))
    return Reason(ReasonId.GAZETTEER_PROVINCE, missing=missing, province=spot.name, era=era,
                  origin=spot.centroid_origin, radius=spot.radius_km)
