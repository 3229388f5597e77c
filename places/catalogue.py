"""The bundled data read once into provinces and the index of their names.

``data/provinces_2008.json`` (63 units), ``data/provinces_2025.json`` (34 units),
``data/historical.json`` (units of 1832–2004 that lists name) and ``data/sources.json``;
``README.md`` beside this module says where each fact comes from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from decoder.text import fold_key
from places.keys import compact_key, province_key
from places.model import Kind, Province, Source

#: Which entry a name shared by several maps means first: the 2008 map is the one most
#: records were written in and compared with; the 2025 one is today's.
KIND_ORDER: tuple[Kind, ...] = ("2008", "2025", "historical")


def _read(name: str) -> Any:
    return json.loads(resources.files("places").joinpath("data", name).read_text(encoding="utf-8"))


def sort_names(names: Iterable[str]) -> tuple[str, ...]:
    """Distinct names in the order of their folded spelling (``Hà Tĩnh`` before ``Nghệ An``)."""
    return tuple(sorted(set(names), key=fold_key))


@cache
def _sources() -> dict[str, Source]:
    data = _read("sources.json")
    return {key: Source(url=value["url"], title=value["title"]) for key, value in data.items()}


def source(key: str) -> Source:
    """The source cited under ``key`` in ``data/sources.json`` (``"vau"``: the package).

    Raises:
        KeyError: no source has that key.
    """
    return _sources()[key]


def _cited(keys: Iterable[str]) -> tuple[Source, ...]:
    known = _sources()
    return tuple(known[key] for key in keys)


def _centroid(value: Any) -> tuple[float, float] | None:
    return (float(value[0]), float(value[1])) if value else None


def _from_2008() -> list[Province]:
    data = _read("provinces_2008.json")
    start, end = data["period"]
    origin = "vietnamadminunits: provinceLat/provinceLon (Google geocoding of the province)"
    return [Province(name=item["name"], kind="2008", from_date=start, to_date=end,
                     provinces_2008=(item["name"],), today=(item["became_2025"],),
                     centroid=_centroid(item["centroid"]), centroid_origin=origin,
                     sources=_cited(data["sources"]), aliases=tuple(item["aliases"]), code=item["code"])
            for item in data["provinces"]]


def _from_2025() -> list[Province]:
    data = _read("provinces_2025.json")
    start, end = data["period"]
    origin = "vietnamadminunits: provinceLat/provinceLon of the 34-unit table"
    return [Province(name=item["name"], kind="2025", from_date=start, to_date=end,
                     provinces_2008=sort_names(item["absorbed"]), today=(item["name"],),
                     centroid=_centroid(item["centroid"]), centroid_origin=origin,
                     sources=_cited(data["sources"]), aliases=tuple(item["aliases"]), code=item["code"])
            for item in data["provinces"]]


def _historical(units_2008: dict[str, Province]) -> list[Province]:
    result = []
    for item in _read("historical.json")["provinces"]:
        parts = [units_2008[name] for name in item["provinces_2008"]]
        sources = _cited(item["sources"])
        centroid, origin = _centroid(item["centroid"]), f"coordinates given by {sources[0].title}"
        if centroid is None:
            centroid, origin = _mean_centroid(parts)
        result.append(Province(
            name=item["name"], kind="historical", from_date=item["from"], to_date=item["to"],
            provinces_2008=sort_names(p.name for p in parts),
            today=sort_names(unit for p in parts for unit in p.today),
            centroid=centroid, centroid_origin=origin, sources=sources, aliases=tuple(item["aliases"]),
            became=tuple(item["became"]), note=item["note"]))
    return result


def _mean_centroid(parts: list[Province]) -> tuple[tuple[float, float] | None, str]:
    points = [p.centroid for p in parts if p.centroid]
    if not points:
        return None, "none"
    lat = round(sum(p[0] for p in points) / len(points), 6)
    lon = round(sum(p[1] for p in points) / len(points), 6)
    return (lat, lon), "mean of the centroids of " + ", ".join(p.name for p in parts)


@cache
def provinces() -> tuple[Province, ...]:
    """Every province of the three maps, 2008 units first, then 2025, then historical."""
    units_2008 = _from_2008()
    by_name = {p.name: p for p in units_2008}
    return (*units_2008, *_from_2025(), *_historical(by_name))


@cache
def _index() -> dict[str, tuple[Province, ...]]:
    found: dict[str, list[Province]] = {}
    for province in provinces():
        for spelling in (province.name, *province.aliases):
            key = province_key(spelling)
            for variant in {key, compact_key(key)}:
                entries = found.setdefault(variant, [])
                if province not in entries:
                    entries.append(province)
    return {key: tuple(sorted(entries, key=lambda p: KIND_ORDER.index(p.kind)))
            for key, entries in found.items()}


def lookup(name: str) -> tuple[Province, ...]:
    """The provinces a name (already cleaned) may mean, most likely first; empty if unknown."""
    key = province_key(name)
    if not key:
        return ()
    index = _index()
    return index.get(key) or index.get(compact_key(key), ())
