"""First-burial records that may be the person's (``initial_burial`` areas), and where the
remains of such a burial, or of a partial grave whose facts agree, were collected
(``remains_collected`` areas)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from decoder.dates import PartialDate
from leads import matching
from leads.matching import Agreement
from leads.model import RANKED_STATUSES, Area, Burial, Evidence, Grave
from leads.reasons import Reason, ReasonId
from leads.written import RECORDED, how_placed
from places import locate

#: Below this a burial record or a partial grave is not taken as the person's.
MIN_MATCH = 0.3
#: What each verdict does to a match: agreeing keeps it, silence weakens it a little (burial
#: registers seldom write a birth year), a conflict almost rules it out.
FACTOR = {"agree": 1.0, "unknown": 0.85, "conflict": 0.1}
#: Radius around a recorded point of a burial (km): graves were dug near where men fell, and
#: points were taken by hand.
POINT_RADIUS_KM = 1.0


class Point(NamedTuple):
    """Where a record puts remains, how far around, and how that point was found."""

    lat: float
    lon: float
    radius_km: float
    place: str
    how: Reason
    sources: tuple[str, ...]


def match(evidence: Evidence, name: str | None, unit_text: str | None, death_date: PartialDate | None = None,
          birth_year: int | None = None, hometown: str | None = None) -> tuple[float, tuple[Reason, ...]]:
    """How likely a record with these facts is the person's (0..1), and what agreed or not.

    The name must agree for a record to count at all; the unit, death date, birth year and
    hometown strengthen or weaken it (a fact the record does not give weakens it a little).
    """
    name_fit = matching.names(evidence.name, name)
    if name_fit.verdict != "agree":
        return 0.0, ()
    checks: list[Agreement] = [
        matching.units(evidence.unit_text, unit_text),
        matching.dates(evidence.death_date, death_date),
        matching.years(evidence.birth_year, birth_year),
    ]
    if hometown is not None:  # burial registers write none: their silence says nothing
        checks.append(matching.hometowns(evidence.hometown, hometown))
    score = name_fit.strength
    for check in checks:
        score *= FACTOR[check.verdict] * (0.8 + 0.2 * check.strength if check.verdict == "agree" else 1.0)
    said = tuple(check.said for check in (name_fit, *checks) if check.said is not None)
    return min(1.0, score), said


def burial_areas(evidence: Evidence, burials: Iterable[Burial], graves: Mapping[str, Grave]) -> list[Area]:
    """Areas for the burial records linked to the person or matching him, and for where their
    remains were collected when the record says so."""
    areas: list[Area] = []
    for burial in burials:
        said: tuple[Reason, ...]
        if burial.person_id == evidence.person_id:
            score, said = 1.0, (Reason(ReasonId.BURIAL_LINKED),)
        else:
            score, said = match(evidence, burial.name, burial.unit_text, burial.death_date)
        if score >= MIN_MATCH:
            areas += _burial_area(burial, score, said)
            areas += _recovered_area(burial, score, graves)
    return areas


def record_point(lat: float | None, lon: float | None, place: str | None) -> Point | None:
    """A record's point: its own coordinates, else the gazetteer's for its written place."""
    if lat is not None and lon is not None:
        where = place or f"{lat:.4f}, {lon:.4f}"
        return Point(lat, lon, POINT_RADIUS_KM, where, RECORDED, ())
    found = locate(place) if place else []
    if not found:
        return None
    spot = found[0]
    return Point(spot.lat, spot.lon, spot.radius_km, spot.name, how_placed(spot), spot.sources)


def _burial_area(burial: Burial, score: float, said: tuple[Reason, ...]) -> list[Area]:
    point = record_point(burial.lat, burial.lon, burial.place)
    if point is None:
        return []
    lat, lon, radius, place, how, sources = point
    when = str(burial.burial_date or burial.death_date or "") or None
    reasons = (Reason(ReasonId.BURIAL_MATCH, burial=burial.id, facts=said), Reason(ReasonId.POINT, how=how),
               Reason(ReasonId.MATCH_WEIGHT, weight=score))
    return [Area(kind="initial_burial", place=place, lat=lat, lon=lon, radius_km=radius, start=when, end=when,
                 weight=score, reasons=reasons, sources=(f"burial {burial.id}", *sources), record=burial.id,
                 summary=Reason(ReasonId.BURIAL_AREA, burial=burial.id, place=place))]


def _recovered_area(burial: Burial, score: float, graves: Mapping[str, Grave]) -> list[Area]:
    grave = graves.get(burial.recovered_grave) if burial.recovered_grave else None
    if grave is None:
        return []
    point = record_point(grave.remains_lat, grave.remains_lon, grave.remains_place)
    point = point or record_point(burial.lat, burial.lon, burial.place)
    if point is None:
        return []
    lat, lon, radius, place, how, sources = point
    when = str(burial.recovered_date or grave.remains_date or "") or None
    reasons = (Reason(ReasonId.REMAINS_INTO_GRAVE, burial=burial.id, grave=grave.id),
               Reason(ReasonId.POINT, how=how))
    return [Area(kind="remains_collected", place=place, lat=lat, lon=lon, radius_km=radius, start=when,
                 end=when, weight=score, reasons=reasons,
                 sources=(f"burial {burial.id}", f"grave {grave.id}", *sources), record=grave.id,
                 summary=Reason(ReasonId.BURIAL_REMAINS_AREA, burial=burial.id, place=place))]


def partial_grave_areas(evidence: Evidence, graves: Iterable[Grave]) -> list[Area]:
    """``remains_collected`` areas where remains now in a partial grave whose facts agree with
    the person's were collected."""
    areas = []
    for grave in graves:
        if grave.status not in RANKED_STATUSES or not grave.name:
            continue
        score, said = match(evidence, grave.name, grave.unit_text, grave.death_date, grave.birth_year,
                            grave.hometown)
        point = record_point(grave.remains_lat, grave.remains_lon, grave.remains_place)
        if score < MIN_MATCH or point is None:
            continue
        lat, lon, radius, place, how, sources = point
        when = str(grave.remains_date) if grave.remains_date else None
        areas.append(Area(
            kind="remains_collected", place=place, lat=lat, lon=lon, radius_km=radius, start=when, end=when,
            weight=score * 0.8, reasons=(Reason(ReasonId.PARTIAL_GRAVE_MATCH, grave=grave.id, facts=said),
                                         Reason(ReasonId.POINT, how=how)),
            sources=(f"grave {grave.id}", *sources), record=grave.id,
            summary=Reason(ReasonId.PARTIAL_REMAINS_AREA, grave=grave.id, place=place)))
    return areas
