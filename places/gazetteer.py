"""Province names of every era mapped to today's provinces and to a point on the map.

A written province may be a unit of the 2008–2025 map (``Bắc Giang``), of the map since
1 July 2025 (``Bắc Ninh``, which absorbed Bắc Giang) or an older one (``Hà Bắc``); a name can
mean more than one of them (``Đắk Lắk`` before and after 2004), and every meaning counts
when asking what a name corresponds to today.
"""

from __future__ import annotations

from functools import lru_cache

from places.address import split_address
from places.catalogue import lookup, sort_names
from places.keys import clean_text
from places.model import Province


def find_provinces(text: str) -> tuple[Province, ...]:
    """Every province a written name (or a whole address) may mean, most likely first.

    Any spelling: with or without marks, ``Thanh Hoá``/``Thanh Hóa``, ``TP HCM``, ``Sai Gon``,
    legacy-encoded text; an address is reduced to its province first. Empty when unknown.
    """
    cleaned = clean_text(text)
    if not cleaned:
        return ()
    found = lookup(cleaned)
    if not found:
        province = split_address(cleaned).province
        found = lookup(province) if province else ()
    return found


def find_province(text: str) -> Province | None:
    """The province a written name most likely means (the 2008–2025 unit when the name was one,
    else today's, else the historical one), or None when it is unknown."""
    found = find_provinces(text)
    return found[0] if found else None


def provinces_today(name: str) -> list[str]:
    """The provinces of today's map (since 1 July 2025) a written province corresponds to,
    in alphabetical order: ``Hà Bắc`` -> ``["Bắc Ninh"]``, ``Nghệ Tĩnh`` -> ``["Hà Tĩnh",
    "Nghệ An"]``; ``[]`` when the name is unknown."""
    return list(_named_today(name) if isinstance(name, str) else _today(name))


@lru_cache(maxsize=1 << 14)  # a million records name a few hundred provinces
def _named_today(name: str) -> tuple[str, ...]:
    return _today(name)


def _today(name: str) -> tuple[str, ...]:
    return sort_names(unit for province in find_provinces(name) for unit in province.today)


def provinces_2008(name: str) -> list[str]:
    """The units of the 2008–2025 map a written province corresponds to (finer than today's):
    ``Hà Bắc`` -> ``["Bắc Giang", "Bắc Ninh"]``; ``[]`` when the name is unknown."""
    return list(sort_names(unit for province in find_provinces(name) for unit in province.provinces_2008))


def province_centroid(name: str) -> tuple[float, float] | None:
    """Latitude and longitude of a written province (see ``Province.centroid_origin`` for where
    each point comes from), or None when the name is unknown."""
    province = find_province(name)
    return province.centroid if province else None


def same_province(a: str, b: str) -> bool:
    """Whether two written provinces can be the same place today: they share a province of
    today's map (``Hà Bắc`` and ``Bắc Giang`` do). False when either name is unknown."""
    return bool(set(provinces_today(a)) & set(provinces_today(b)))
