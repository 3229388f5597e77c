"""A generated world for leads: units moving over time, men dying near their unit, first
burials, remains collected years later into unidentified graves among decoys — with the truth.

**Every unit, position, person, burial, cemetery and grave here is invented.** Only the map
is real: positions are drawn around the points of real districts of Quảng Bình, Quảng Trị,
Thừa Thiên Huế, Quảng Nam, Kon Tum and Gia Lai from the gazetteer (``places``), so that the
gazetteer has to place the written names; the old province names (Bình Trị Thiên, Gia Lai –
Kon Tum, Quảng Nam – Đà Nẵng) and what they merged are public facts.

The world (``make_world(persons, seed)``):

- **Units**: 6 divisions (invented numbers 9xx), 3 regiments each, 3 battalions per
  regiment, in a registry of :class:`~decoder.registry_schema.UnitEntry`. A division moves
  every 3–6 months from 1966 to 1975 to a district within 70 km; its regiments hold
  positions of 1–3 months within 25 km of it. Recorded events: divisions all, regiments 70 %
  (the others' histories are lost: their positions come from the division), battalions none;
  a quarter of the events carry only a written place (district, province) and no point.
- **Persons**: ``3 × persons`` dead, of whom the first ``persons`` are looked for and the
  others are the decoys lying in the same cemeteries. Each served in a battalion, died on a
  day of 1967–1974 about 4 km from his regiment's true position, was buried about 1 km from
  there, and his remains were collected in 1980–2009 into the cemetery nearest the burial
  (80 %) or another within 120 km.
- **Graves**: one per dead man, in 10 invented cemeteries at district points; 85 %
  ``unidentified``, 15 % ``partial`` (birth year, or a regiment written). Where the remains
  came from: a point (55 %), a written commune (25 %, the old province name in 40 %), or
  nothing (20 %: the cemetery's point only).
- **Evidence** per person: death date to the day (60 %), month (30 %) or year (10 %); the
  decoded unit (score 0.9), or two candidates (20 %: a battalion of another division too);
  the written place of death (50 % district and province, 20 % province only, 30 % none; the
  old province name in 40 %); a written first-burial commune (15 %); name, birth year and
  unit as written.
- **Burial records** for 35 % of the dead (name with a slip in 10 %), with a point (60 %) or
  a written commune, and the grave the remains went into (half of them).

Everything is the same for the same seed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from bench.linkage_world import typo
from bench.people import full_name
from decoder.dates import PartialDate
from decoder.model import Level
from decoder.registry import Registry
from decoder.registry_schema import EventEntry, ParentEntry, UnitEntry
from leads import Burial, Evidence, Grave, UnitCandidate
from leads.geo import KM_PER_DEGREE, distance_km
from places import Locality
from places.localities import localities

THEATRE = ("Quảng Bình", "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Kon Tum", "Gia Lai")
#: Provinces merged for a time, and the name they were known by (public facts).
OLD_NAMES = {"Quảng Bình": "Bình Trị Thiên", "Quảng Trị": "Bình Trị Thiên",
             "Thừa Thiên Huế": "Bình Trị Thiên", "Kon Tum": "Gia Lai – Kon Tum",
             "Gia Lai": "Gia Lai – Kon Tum", "Quảng Nam": "Quảng Nam – Đà Nẵng"}
DIVISIONS, REGIMENTS, BATTALIONS, CEMETERIES = 6, 3, 3, 10
START, END = date(1966, 1, 1), date(1975, 12, 31)
SOURCE = "generated world (bench.leads_world): invented"


@dataclass(frozen=True)
class Position:
    """Where a unit truly was from one day to another (recorded or not)."""

    start: date
    end: date
    lat: float
    lon: float
    district: Locality


@dataclass
class Truth:
    """A dead man as the world knows him, and the grave that truly holds him."""

    evidence: Evidence
    grave_id: str
    battalion: str
    death_lat: float
    death_lon: float


@dataclass
class World:
    """The registry, the dead (the first ``looked_for`` are searched for), burials and graves."""

    registry: Registry
    truths: list[Truth]
    looked_for: int
    burials: list[Burial] = field(default_factory=list)
    graves: list[Grave] = field(default_factory=list)
    cemeteries: dict[str, tuple[float, float]] = field(default_factory=dict)


def _theatre(level: str) -> tuple[Locality, ...]:
    return tuple(u for u in localities() if u.level == level and u.map == "2008" and u.province in THEATRE)


@cache
def districts() -> tuple[Locality, ...]:
    """The real districts of the theatre (2008–2025 map)."""
    return _theatre("district")


@cache
def communes() -> tuple[Locality, ...]:
    """The real communes of the theatre (2008–2025 map)."""
    return _theatre("commune")


def nearest(lat: float, lon: float, units: tuple[Locality, ...]) -> Locality:
    """The unit whose point is nearest."""
    return min(units, key=lambda u: (u.lat - lat) ** 2 + ((u.lon - lon) * math.cos(math.radians(lat))) ** 2)


def jitter(lat: float, lon: float, km: float, rng: random.Random) -> tuple[float, float]:
    """A point about ``km`` (standard deviation per axis) from another."""
    dlat = rng.gauss(0, km) / KM_PER_DEGREE
    dlon = rng.gauss(0, km) / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def _district_near(lat: float, lon: float, km: float, rng: random.Random) -> Locality:
    near = [d for d in districts() if distance_km(lat, lon, d.lat, d.lon) <= km]
    return rng.choice(near) if near else nearest(lat, lon, districts())


def _walk(start: date, end: date, anchor: Locality, reach_km: float, days: tuple[int, int],
          rng: random.Random, spread_km: float = 3.0) -> list[Position]:
    """Positions one after another from ``start`` to ``end``, each near ``anchor``'s point."""
    positions, day = [], start
    while day <= end:
        last = min(end, day + timedelta(days=rng.randint(*days)))
        spot = _district_near(anchor.lat, anchor.lon, reach_km, rng)
        lat, lon = jitter(spot.lat, spot.lon, spread_km, rng)
        positions.append(Position(day, last, lat, lon, spot))
        day = last + timedelta(days=1)
    return positions


def _division_walk(rng: random.Random) -> list[Position]:
    positions, here = [], rng.choice(districts())
    day = START
    while day <= END:
        last = min(END, day + timedelta(days=rng.randint(90, 180)))
        step = _walk(day, last, here, 70.0, (400, 400), rng)[0]
        positions.append(step)
        here, day = step.district, step.end + timedelta(days=1)
    return positions


def _regiment_walk(division: list[Position], rng: random.Random) -> list[Position]:
    return [p for d in division for p in _walk(d.start, d.end, d.district, 25.0, (30, 90), rng)]


def _event(position: Position, precise: bool, rng: random.Random, title: str) -> EventEntry:
    """A recorded position: days for a regiment, months for a division; a point or only a name."""
    start = position.start.isoformat() if precise else position.start.isoformat()[:7]
    end = position.end.isoformat() if precise else position.end.isoformat()[:7]
    written = rng.random() < 0.25
    province = OLD_NAMES[position.district.province] if written and rng.random() < 0.5 \
        else position.district.province
    return EventEntry.model_validate({
        "from": start, "to": end, "title": title, "place": position.district.name, "province": province,
        "lat": None if written else position.lat, "lon": None if written else position.lon, "source": SOURCE})


@dataclass
class _Units:
    entries: list[UnitEntry] = field(default_factory=list)
    battalions: list[str] = field(default_factory=list)
    regiment_of: dict[str, str] = field(default_factory=dict)
    positions: dict[str, list[Position]] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)


def _entry(unit_id: str, level: Level, number: int, name: str, parent: str | None,
           events: list[EventEntry]) -> UnitEntry:
    parents = [ParentEntry.model_validate({"unit": parent, "from": "1965", "to": "1976"})] if parent else []
    return UnitEntry(id=unit_id, level=level, number=str(number), name=name, parents=parents, events=events)


def _regiments(units: _Units, division: str, number: int, walk: list[Position], rng: random.Random) -> None:
    for r in range(REGIMENTS):
        reg_number = 10 * (number - 900) + r + 1
        regiment = f"{division}-e{reg_number}"
        positions = _regiment_walk(walk, rng)
        units.positions[regiment] = positions
        recorded = rng.random() < 0.7
        name = f"Trung đoàn {reg_number}"
        events = [_event(p, True, rng, f"{name} giữ chốt") for p in positions] if recorded else []
        units.entries.append(_entry(regiment, Level.REGIMENT, reg_number, name, division, events))
        for b in range(1, BATTALIONS + 1):
            battalion = f"{regiment}-d{b}"
            units.entries.append(_entry(battalion, Level.BATTALION, b, f"Tiểu đoàn {b}", regiment, []))
            units.battalions.append(battalion)
            units.regiment_of[battalion] = regiment
            units.written[battalion] = f"d{b} e{reg_number} f{number}"


def make_units(rng: random.Random) -> _Units:
    """Divisions, regiments and battalions with their true positions and recorded events."""
    units = _Units()
    for i in range(DIVISIONS):
        number = 950 + 7 * i
        division = f"w-f{number}"
        walk = _division_walk(rng)
        units.positions[division] = walk
        events = [_event(p, False, rng, f"Sư đoàn {number} hoạt động") for p in walk]
        units.entries.append(_entry(division, Level.DIVISION, number, f"Sư đoàn {number}", None, events))
        _regiments(units, division, number, walk, rng)
    return units


def _position_at(positions: list[Position], day: date) -> Position:
    return next((p for p in positions if p.start <= day <= p.end), positions[-1])


def _written_date(day: date, rng: random.Random) -> PartialDate:
    roll = rng.random()
    if roll < 0.6:
        return PartialDate(day.year, day.month, day.day)
    return PartialDate(day.year, day.month) if roll < 0.9 else PartialDate(day.year)


def _province_said(province: str, rng: random.Random) -> str:
    return OLD_NAMES[province] if rng.random() < 0.4 else province


def _death_place(lat: float, lon: float, rng: random.Random) -> str | None:
    roll, district = rng.random(), nearest(lat, lon, districts())
    if roll < 0.5:
        return f"{district.name}, {_province_said(district.province, rng)}"
    return _province_said(district.province, rng) if roll < 0.7 else None


def _commune_said(lat: float, lon: float, rng: random.Random) -> str:
    commune = nearest(lat, lon, communes())
    province = _province_said(commune.province, rng)
    return f"{commune.kind.lower()} {commune.name}, {commune.district}, {province}"


def make_cemeteries(rng: random.Random) -> dict[str, tuple[float, float]]:
    """Invented cemeteries at the points of real districts."""
    sites = rng.sample(districts(), CEMETERIES)
    return {f"w-nt{i + 1:02d}": (site.lat, site.lon) for i, site in enumerate(sites)}


def _cemetery(lat: float, lon: float, cemeteries: dict[str, tuple[float, float]], rng: random.Random) -> str:
    by_distance = sorted(cemeteries, key=lambda c: distance_km(lat, lon, *cemeteries[c]))
    others = [c for c in by_distance[1:] if distance_km(lat, lon, *cemeteries[c]) <= 120]
    return rng.choice(others) if others and rng.random() < 0.2 else by_distance[0]


def _units_written(units: _Units, battalion: str, rng: random.Random) -> tuple[UnitCandidate, ...]:
    if rng.random() >= 0.2:
        return (UnitCandidate(battalion, 0.9),)
    division = battalion.split("-e")[0]
    decoy = rng.choice([b for b in units.battalions if not b.startswith(division + "-")])
    pair = [UnitCandidate(battalion, 0.55), UnitCandidate(decoy, 0.45)]
    if rng.random() < 0.5:
        pair = [UnitCandidate(battalion, 0.45), UnitCandidate(decoy, 0.55)]
    return tuple(sorted(pair, key=lambda c: -c.score))


def _grave(grave_id: str, burial: tuple[float, float], truth: Evidence, regiment_said: str,
           cemeteries: dict[str, tuple[float, float]], rng: random.Random) -> Grave:
    cemetery = _cemetery(*burial, cemeteries, rng)
    roll = rng.random()
    lat, lon = jitter(*burial, 0.5, rng) if roll < 0.55 else (None, None)
    place = _commune_said(*burial, rng) if 0.55 <= roll < 0.8 else None
    partial = rng.random() < 0.15
    return Grave(id=grave_id, cemetery=cemetery, status="partial" if partial else "unidentified",
                 cemetery_lat=cemeteries[cemetery][0], cemetery_lon=cemeteries[cemetery][1],
                 remains_place=place, remains_lat=lat, remains_lon=lon,
                 remains_date=PartialDate(rng.randint(1980, 2009), rng.randint(1, 12)),
                 birth_year=truth.birth_year if partial and rng.random() < 0.5 else None,
                 unit_text=regiment_said if partial and rng.random() < 0.5 else None)


def _burial(index: int, truth: Evidence, point: tuple[float, float], day: date, grave_id: str,
            rng: random.Random) -> Burial:
    name = truth.name or ""
    written_point = rng.random() < 0.6
    return Burial(id=f"w-b{index:06d}", name=typo(name, rng) if rng.random() < 0.1 else name,
                  unit_text=truth.unit_text, death_date=PartialDate(day.year, day.month, day.day),
                  burial_date=PartialDate(day.year, day.month, day.day),
                  place=None if written_point else _commune_said(*point, rng),
                  lat=point[0] if written_point else None, lon=point[1] if written_point else None,
                  recovered_grave=grave_id if rng.random() < 0.5 else None)


def _dead(index: int, units: _Units, world: World, rng: random.Random) -> None:
    battalion = rng.choice(units.battalions)
    day = date(1967, 1, 1) + timedelta(days=rng.randrange(8 * 365))
    where = _position_at(units.positions[units.regiment_of[battalion]], day)
    death = jitter(where.lat, where.lon, 4.0, rng)
    burial = jitter(*death, 1.0, rng)
    written = units.written[battalion]
    evidence = Evidence(person_id=f"w-p{index:06d}", death_date=_written_date(day, rng),
                        units=_units_written(units, battalion, rng), death_place=_death_place(*death, rng),
                        burial_place=_commune_said(*burial, rng) if rng.random() < 0.15 else None,
                        name=full_name(rng), birth_year=rng.randint(day.year - 35, day.year - 17),
                        unit_text=written)
    grave_id = f"w-g{rng.randrange(10**9):09d}"  # random: the order of graves tells nothing
    grave = _grave(grave_id, burial, evidence, written.split()[1], world.cemeteries, rng)
    world.graves.append(grave)
    world.truths.append(Truth(evidence, grave.id, battalion, *death))
    if rng.random() < 0.35:
        world.burials.append(_burial(index, evidence, burial, day, grave.id, rng))


def make_world(persons: int = 300, seed: int = 11) -> World:
    """A world whose first ``persons`` dead are searched for among ``3 × persons`` graves."""
    rng = random.Random(seed)
    units = make_units(rng)
    world = World(registry=Registry(units.entries), truths=[], looked_for=persons,
                  cemeteries=make_cemeteries(rng))
    for index in range(3 * persons):
        _dead(index, units, world, rng)
    rng.shuffle(world.graves)
    return world
