"""A written place put on the map: the finest unit the text names that the gazetteer knows.

``đồi 105, xã Hải Phú, Hải Lăng`` is the commune Hải Phú of the district Hải Lăng; ``Quảng
Trị`` the province; ``Hai Lang, Binh Tri Thien`` the district, found inside the old
province's land. Points are never made up: a commune's or district's point is the data's,
and when the finer units are not known the province's centroid is given with a wider
radius, and the reason says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from places.address import Address, split_address
from places.catalogue import source
from places.gazetteer import find_provinces
from places.keys import clean_text
from places.localities import Locality, find_localities, locality_key
from places.model import Province

#: How far from its point a place of each level may reach when the data gives no size (km).
DEFAULT_RADIUS_KM = {"commune": 4.0, "district": 15.0, "province": 50.0}
#: Old provinces were larger than today's (Bình Trị Thiên was three of them).
HISTORICAL_PROVINCE_RADIUS_KM = 80.0
#: A written name matching more units than this is listed only this far.
MAX_RESULTS = 12

LocatedLevel = Literal["commune", "district", "province"]


@dataclass(frozen=True)
class Located:
    """One place a written text may mean, with a point and how far around it to look.

    ``ambiguity`` is how many places of that level the text may mean (1: only this one);
    ``province`` is the unit of the map the place belongs to and ``today`` its provinces since
    2025; ``reason`` says how the point was found, ``sources`` where it comes from. The facts
    the reason is made of are kept too, for a reader who says it in another language:
    ``older_name`` (the written name, when it is an older name of the unit), ``extent_known``
    (False: the data gives no extent and the radius is assumed), ``not_found`` (the finer
    units written but unknown, as ``(level, name)``, when a province's centroid stands in),
    ``era`` (an old province's first and last dates) and ``centroid_origin``. ``district``
    is the district a place of the 2008–2025 map lies in (its own name for a district),
    empty for a province and for a commune of today's map, which has no districts.
    """

    name: str
    level: LocatedLevel
    lat: float
    lon: float
    radius_km: float
    province: str
    today: tuple[str, ...]
    ambiguity: int
    reason: str
    sources: tuple[str, ...]
    older_name: str | None = None
    extent_known: bool = True
    not_found: tuple[tuple[str, str], ...] = ()
    era: tuple[str | None, str | None] | None = None
    centroid_origin: str = ""
    district: str = ""


def locate(text: str) -> list[Located]:
    """Every place a written address may mean, at the finest level found, most likely first.

    Reads any spelling the gazetteer reads (marks or none, legacy encodings, old province
    names, ``xã``/``huyện``/``h.`` or no kind words); words it cannot place (``đồi 105``) are
    left out. Empty when nothing in the text is known.
    """
    return list(_locate(text)) if isinstance(text, str) else []


@lru_cache(maxsize=1 << 14)  # the same places come back record after record
def _locate(text: str) -> tuple[Located, ...]:
    address = split_address(clean_text(text))
    provinces = find_provinces(address.province) if address.province else ()
    districts = _districts(address.district, provinces) if address.district else _namesake_district(provinces)
    commune_name = address.commune or (address.district if address.district and not districts else None)
    communes = _communes(commune_name, districts, provinces) if commune_name else ()
    if communes:
        return tuple(_from_locality(unit, len(communes), address) for unit in communes[:MAX_RESULTS])
    if districts:
        return tuple(_from_locality(unit, len(districts), address) for unit in districts[:MAX_RESULTS])
    placed = [p for p in provinces if p.centroid]
    return (_from_province(placed[0], address),) if placed else ()


def _namesake_district(provinces: tuple[Province, ...]) -> tuple[Locality, ...]:
    """An old province named like a district of its land stood for that district's area
    (the special zone Vĩnh Linh and the district Vĩnh Linh): the district is the finer point."""
    if not provinces or provinces[0].kind != "historical":
        return ()
    return _districts(provinces[0].name, provinces[:1])


def _in_scope(unit: Locality, provinces: tuple[Province, ...]) -> bool:
    """Whether a unit lies in the land of one of the written provinces (any era)."""
    if not provinces:
        return True
    names = {name for p in provinces for name in (*p.provinces_2008, *p.today)}
    return unit.province in names


def _districts(name: str, provinces: tuple[Province, ...]) -> tuple[Locality, ...]:
    return tuple(unit for unit in find_localities(name, "district") if _in_scope(unit, provinces))


def _communes(name: str, districts: tuple[Locality, ...], provinces: tuple[Province, ...]
              ) -> tuple[Locality, ...]:
    """Communes of that name inside the written district(s) and province(s); the 2008–2025
    map's units when it has one (finer than 2025's), else today's."""
    found = [unit for unit in find_localities(name, "commune") if _in_scope(unit, provinces)]
    if districts:
        inside = {(d.province, d.name) for d in districts}
        today = {p for d in districts for p in _today_of(d.province)}
        found = [unit for unit in found if (unit.province, unit.district) in inside
                 or (unit.map == "2025" and unit.province in today)]
    older = [unit for unit in found if unit.map == "2008"]
    return tuple(older or found)


def _today_of(province_2008: str) -> tuple[str, ...]:
    found = find_provinces(province_2008)
    return found[0].today if found else ()


def _from_locality(unit: Locality, count: int, address: Address) -> Located:
    radius = unit.radius_km if unit.radius_km else DEFAULT_RADIUS_KM[unit.level]
    size = (f"radius {radius:g} km from the data's extent" if unit.radius_km
            else f"no extent in the data, {radius:g} km assumed")
    written = address.commune if unit.level == "commune" and address.commune else address.district
    older = bool(written) and locality_key(written or "") != locality_key(unit.name)
    how = f" (the written name {written!r} is an older name of this unit)" if older else ""
    many = f"; the name fits {count} {unit.level}s" if count > 1 else ""
    reason = f"point of {unit.label} in the gazetteer{how}, {size}{many}"
    return Located(name=unit.label, level=unit.level, lat=unit.lat, lon=unit.lon, radius_km=radius,
                   province=unit.province, today=_today_of(unit.province) if unit.map == "2008" else
                   (unit.province,), ambiguity=count, reason=reason, sources=(str(source("vau")),),
                   older_name=written if older else None, extent_known=bool(unit.radius_km),
                   district=unit.name if unit.level == "district" else unit.district)


def _from_province(province: Province, address: Address) -> Located:
    lat, lon = province.centroid or (0.0, 0.0)  # only provinces with a centroid come here
    radius = HISTORICAL_PROVINCE_RADIUS_KM if province.kind == "historical" else DEFAULT_RADIUS_KM["province"]
    not_found = tuple((level, name) for level, name in (("commune", address.commune),
                                                        ("district", address.district)) if name)
    missing = [f"{level} {name!r}" for level, name in not_found]
    unknown = f"{' and '.join(missing)} not found in the gazetteer; " if missing else ""
    era = (f" (a province of {province.from_date or '…'}–{province.to_date or '…'}, today "
           f"{', '.join(province.today)})" if province.kind == "historical" else "")
    reason = (f"{unknown}centroid of the province {province.name}{era} ({province.centroid_origin}), "
              f"radius {radius:g} km: the whole province, not a precise place")
    return Located(name=province.name, level="province", lat=lat, lon=lon, radius_km=radius,
                   province=province.name, today=province.today, ambiguity=1, reason=reason,
                   sources=tuple(str(s) for s in province.sources[:1]),  # the first holds the point
                   not_found=not_found, centroid_origin=province.centroid_origin,
                   era=(province.from_date, province.to_date) if province.kind == "historical" else None)
