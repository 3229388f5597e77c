"""Districts and communes with a point and a size, read once from the bundled data.

``data/districts.json`` and ``data/communes.json`` hold the units of the 2008–2025 map,
``data/communes_2025.json`` the communes since 1 July 2025; every point and size is the
vietnamadminunits package's (see ``README.md`` and ``scripts/extract_places.py``).
Wartime records name communes and districts by the names they had then: the package's
aliases carry the units that were merged into or renamed as a later one.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any, Literal

from decoder.text import fold_key
from places.keys import compact_key

#: Levels below the province.
Level = Literal["district", "commune"]


@dataclass(frozen=True)
class Locality:
    """A district or commune of one map, with its point and an idea of its size.

    ``province`` is the 2008–2025 unit for ``map == "2008"`` and today's for ``"2025"``;
    ``district`` is empty for districts and for communes of the 2025 map (which has none);
    ``radius_km`` comes from the data's bounding box or area, None when it gives neither;
    ``today`` is the 2025 commune a 2008 commune went into, when the data says.
    """

    name: str
    level: Level
    kind: str
    province: str
    district: str
    lat: float
    lon: float
    radius_km: float | None
    code: str
    map: Literal["2008", "2025"]
    aliases: tuple[str, ...] = ()
    today: str | None = None

    @property
    def label(self) -> str:
        """``xã Hải Phú, huyện Hải Lăng, Quảng Trị`` — the unit as an address reads."""
        named = self.kind and not self.name.lower().startswith(self.kind.lower())
        parts = [f"{self.kind.lower()} {self.name}" if named else self.name]
        if self.district:
            parts.append(self.district)
        parts.append(self.province)
        return ", ".join(parts)


def _rows(name: str) -> list[dict[str, Any]]:
    data = json.loads(resources.files("places").joinpath("data", name).read_text(encoding="utf-8"))
    columns = data["columns"]
    return [dict(zip(columns, row, strict=True)) for row in data["rows"]]


def _unit(row: dict[str, Any], level: Level, unit_map: Literal["2008", "2025"]) -> Locality:
    return Locality(name=row["name"], level=level, kind=row["kind"] or "", province=row["province"],
                    district=row.get("district", ""), lat=row["lat"], lon=row["lon"],
                    radius_km=row["radius_km"], code=row["code"], map=unit_map,
                    aliases=tuple(row.get("aliases", ())), today=row.get("today"))


@cache
def localities() -> tuple[Locality, ...]:
    """Every district (2008–2025 map) and commune (both maps), districts first."""
    communes = [_unit(row, "commune", "2008") for row in _rows("communes.json")]
    districts = [_unit(row, "district", "2008") for row in _rows("districts.json")]
    districts = _reaching_communes(districts, communes)
    return (*districts, *communes, *(_unit(row, "commune", "2025") for row in _rows("communes_2025.json")))


def _reaching_communes(districts: list[Locality], communes: list[Locality]) -> list[Locality]:
    """Districts whose radius reaches at least their farthest commune's point: a few bounding
    boxes in the data are far too small (huyện Kông Chro's gives 1.2 km for 1,400 km²)."""
    reach: dict[tuple[str, str], float] = {}
    points = {(d.province, d.name): (d.lat, d.lon) for d in districts}
    for commune in communes:
        centre = points.get((commune.province, commune.district))
        if centre is not None:
            key = (commune.province, commune.district)
            reach[key] = max(reach.get(key, 0.0), _km(centre, (commune.lat, commune.lon)))
    return [replace(d, radius_km=round(max(d.radius_km or 0.0, reach[(d.province, d.name)]), 1))
            if reach.get((d.province, d.name), 0.0) > (d.radius_km or 0.0) else d for d in districts]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two nearby points (equirectangular; km)."""
    dy = (a[0] - b[0]) * 111.2
    dx = (a[1] - b[1]) * 111.2 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def locality_key(name: str) -> str:
    """A district or commune name as looked up: folded, without spaces (``Hải Phú`` -> ``haiphu``),
    as the package writes its aliases."""
    return compact_key(fold_key(name))


@cache
def _index() -> dict[tuple[Level, str], tuple[Locality, ...]]:
    found: dict[tuple[Level, str], list[Locality]] = {}
    for unit in localities():
        for key in {locality_key(unit.name), _number_key(unit), *unit.aliases} - {""}:
            found.setdefault((unit.level, key), []).append(unit)
    return {key: tuple(units) for key, units in found.items()}


def _number_key(unit: Locality) -> str:
    """``3`` for ``Quận 3`` and ``5`` for ``Phường 5``: addresses write the number alone."""
    own, kind = locality_key(unit.name), locality_key(unit.kind)
    rest = own[len(kind):] if kind and own.startswith(kind) else ""
    return rest if rest.isdigit() else ""


def find_localities(name: str, level: Level) -> tuple[Locality, ...]:
    """Every district or commune a name (any spelling, marks or none) may mean, current names
    before the names of units merged into them; empty when unknown."""
    key = locality_key(name)
    if not key:
        return ()
    units = _index().get((level, key), ())
    return tuple(sorted(units, key=lambda unit: locality_key(unit.name) != key))
