"""Where a person's unit was around the day he died: ``unit_position`` areas from the
registry's history events, the parent's when the unit itself has none near that date."""

from __future__ import annotations

from dataclasses import dataclass

from decoder.dates import PartialDate
from decoder.model import Level
from decoder.registry import Registry
from decoder.registry_schema import EventEntry, UnitEntry
from leads.model import Area, Evidence, UnitCandidate
from leads.reasons import Param, Reason, ReasonId
from leads.timing import closeness
from leads.written import RECORDED, how_placed
from places import locate

#: How far around a recorded position a unit of each level spread (km): a company held a
#: hill, a division a front sector.
LEVEL_RADIUS_KM = {Level.SQUAD: 3.0, Level.PLATOON: 3.0, Level.COMPANY: 5.0, Level.BATTALION: 8.0,
                   Level.REGIMENT: 15.0, Level.BRIGADE: 20.0, Level.DIVISION: 30.0, Level.GROUP: 40.0,
                   Level.CORPS: 50.0, Level.MILITARY_REGION: 80.0, Level.FRONT: 80.0, Level.THEATRE: 120.0}
#: Each step up to a parent's position counts for this much less: the unit may have been
#: detached anywhere in the parent's sector.
INHERITED = 0.75
#: Events whose time weight falls below this are too far from the date to say anything.
MIN_CLOSENESS = 0.02
#: The most positions kept per candidate unit.
MAX_POSITIONS = 4


@dataclass(frozen=True)
class _Placed:
    """An event with a point: its own, or one found for its place in the gazetteer."""

    event: EventEntry
    place: str
    lat: float
    lon: float
    radius_km: float
    how: Reason
    sources: tuple[str, ...]


def unit_areas(evidence: Evidence, registry: Registry) -> list[Area]:
    """Areas for every candidate unit in turn (two units: two families of areas), each from
    the unit's own positions near the death date, else its nearest ancestor's."""
    areas: list[Area] = []
    for candidate in evidence.units:
        if candidate.unit_id in registry:
            areas += _candidate_areas(candidate, registry, evidence.death_date)
    return areas


def _candidate_areas(candidate: UnitCandidate, registry: Registry, when: PartialDate | None) -> list[Area]:
    chain = [candidate.unit_id, *reversed(registry.path(candidate.unit_id, when)[:-1])]
    for steps, unit_id in enumerate(chain):
        unit = registry.unit(unit_id)
        placed = [(closeness(p.event.period, when), p) for p in _placed_events(unit)]
        near = sorted((item for item in placed if item[0] >= MIN_CLOSENESS), key=lambda item: -item[0])
        if near:
            own = registry.unit(candidate.unit_id)
            return [_area(candidate, own, unit, steps, fit, item, when) for fit, item in near[:MAX_POSITIONS]]
    return []


def _placed_events(unit: UnitEntry) -> list[_Placed]:
    result = []
    for event in unit.events:
        if event.lat is not None and event.lon is not None:
            place = event.place or event.province or event.title
            radius = LEVEL_RADIUS_KM[unit.level]
            result.append(_Placed(event, place, event.lat, event.lon, radius, RECORDED, ()))
            continue
        written = ", ".join(part for part in (event.place, event.province) if part)
        found = locate(written) if written else []
        if found:
            spot = found[0]
            radius = max(spot.radius_km, LEVEL_RADIUS_KM[unit.level])
            how = Reason(ReasonId.GAZETTEER_POINT_FOR, written=written, how=how_placed(spot))
            result.append(_Placed(event, spot.name, spot.lat, spot.lon, radius, how, spot.sources))
    return result


def _area(candidate: UnitCandidate, own: UnitEntry, unit: UnitEntry, steps: int, fit: float,
          placed: _Placed, when: PartialDate | None) -> Area:
    event = placed.event
    weight = max(0.0, min(1.0, candidate.score * fit * INHERITED ** steps))
    where: dict[str, Param] = {"place": placed.place, "span": event.period, "event": event.title}
    reasons = [Reason(ReasonId.UNIT_AT, unit=own.name, **where) if steps == 0 else
               Reason(ReasonId.PARENT_AT, unit=own.name, date=when or Reason(ReasonId.UNKNOWN_DATE),
                      parent=unit.name, **where),
               Reason(ReasonId.DIED_ON if when.day else ReasonId.DIED_IN, date=when) if when
               else Reason(ReasonId.DEATH_DATE_UNKNOWN),
               Reason(ReasonId.UNIT_POINT, how=placed.how, radius=placed.radius_km, level=unit.level),
               Reason(ReasonId.UNIT_WEIGHT, weight=weight, score=candidate.score, fit=fit) if steps == 0 else
               Reason(ReasonId.UNIT_WEIGHT_INHERITED, weight=weight, score=candidate.score, fit=fit,
                      factor=INHERITED ** steps, steps=steps)]
    sources = tuple(s for s in (event.source, *placed.sources) if s)
    return Area(kind="unit_position", place=placed.place, lat=placed.lat, lon=placed.lon,
                radius_km=placed.radius_km, start=event.start, end=event.end, weight=weight,
                reasons=tuple(reasons), sources=sources or (f"registry: {unit.id}",),
                unit_id=candidate.unit_id,
                summary=Reason(ReasonId.WHERE_UNIT_WAS, unit=unit.name, span=event.period,
                               place=placed.place))
