"""Extract districts and communes with their coordinates from the vietnamadminunits package.

Writes ``places/data/districts.json``, ``places/data/communes.json`` (the units of the
2008–2025 map, as the package's ``admin_units_legacy`` table holds them) and
``places/data/communes_2025.json`` (the communes and wards from 1 July 2025, table
``admin_units``). The package is MIT-licensed (© 2025 Tran Ngoc Minh Hieu); see
``places/README.md``. Fetch it without installing it and run::

    pip download --no-deps -d /tmp/vau vietnamadminunits==1.0.4
    unzip -q -o /tmp/vau/vietnamadminunits-1.0.4-py3-none-any.whl -d /tmp/vau
    python scripts/extract_places.py /tmp/vau/vietnamadminunits/data

Every coordinate is the package's own (its README: geocoded with the Google Geocoding API
for the 2008–2025 units); radii are derived from the package's bounding boxes (half the
diagonal) or areas (the radius of a disc of that area). Nothing is added by hand.
"""

from __future__ import annotations

import json
import math
import sqlite3
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "places" / "data"
#: Kind words the package puts in front of its folded keys ("huyenhailang", "xahaique").
_PREFIXES = ("thanhpho", "thitran", "thixa", "phuong", "huyen", "quan", "tinh", "xa", "tx", "tp", "tt")


def _province_names(kind: str) -> dict[str, str]:
    """GSO code -> the name this project's province data uses (``Thừa Thiên Huế`` for ``Huế``)."""
    data = json.loads((DATA / f"provinces_{kind}.json").read_text(encoding="utf-8"))
    return {item["code"]: item["name"] for item in data["provinces"]}


def _radius_from_bounds(bounds: str | None) -> float | None:
    """Half the diagonal of the package's bounding box ``lat,lon – lat,lon``, in km."""
    if not bounds:
        return None
    try:
        (lat1, lon1), (lat2, lon2) = ([float(x) for x in part.split(",")] for part in bounds.split("–"))
    except ValueError:
        return None
    height = abs(lat2 - lat1) * 111.2
    width = abs(lon2 - lon1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return round(math.hypot(height, width) / 2, 1)


def _aliases(raw: str | None, own: str) -> list[str]:
    """The package's alias keys without their kind word, the unit's own key left out."""
    if not raw:
        return []
    keys = json.loads(raw)
    found: list[str] = []
    for key in keys:
        short = next((key[len(p):] for p in _PREFIXES if key.startswith(p) and len(key) > len(p) + 1), key)
        if short != own and short not in found:
            found.append(short)
    return found


def _new_wards(data: Path, connection: sqlite3.Connection) -> dict[str, str]:
    """Legacy ward key (``province_district_ward``) -> the name of the 2025 commune it went into
    (for a divided commune, the one the package marks as default)."""
    names = {(p, w): short for p, w, short in connection.execute(
        "select provinceKey, wardKey, wardShort from admin_units")}
    converter = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))
    result: dict[str, str] = {}
    for province, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            for old in olds:
                result[old] = names.get((province, new_ward), "")
    for province, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, targets in divided.items():
            default = next((t for t in targets if t["isDefaultNewWard"]), targets[0])
            result[old] = names.get((province, default["newWardKey"]), "")
    return result


def _legacy(connection: sqlite3.Connection, data: Path) -> tuple[list[list[Any]], list[list[Any]]]:
    names = _province_names("2008")
    today = _new_wards(data, connection)
    districts: dict[str, list[Any]] = {}
    communes: list[list[Any]] = []
    rows = connection.execute(
        "select provinceCode, provinceKey, districtShort, districtType, districtCode, districtLat,"
        " districtLon, districtBounds, districtAlias, districtShortKey, districtKey, wardShort, wardType,"
        " wardCode, wardLat, wardLon, wardBounds, wardAlias, wardShortKey, wardKey"
        " from admin_units_legacy order by wardCode")
    for (pcode, pkey, dname, dkind, dcode, dlat, dlon, dbounds, dalias, dshort, dkey,
         wname, wkind, wcode, wlat, wlon, wbounds, walias, wshort, wkey) in rows:
        province = names[pcode]
        if dcode not in districts:
            districts[dcode] = [province, dname, dkind, dcode, round(dlat, 5), round(dlon, 5),
                                _radius_from_bounds(dbounds), _aliases(dalias, dshort)]
        if wcode and wlat is not None and wname:
            communes.append([province, dname, wname, wkind, wcode, round(wlat, 5), round(wlon, 5),
                             _radius_from_bounds(wbounds), _aliases(walias, wshort),
                             today.get(f"{pkey}_{dkey}_{wkey}") or None])
    return sorted(districts.values(), key=lambda row: row[3]), communes


def _today(connection: sqlite3.Connection) -> list[list[Any]]:
    names = _province_names("2025")
    rows = connection.execute(
        "select provinceCode, wardShort, wardType, wardCode, wardLat, wardLon, wardAreaKm2 from admin_units"
        " order by wardCode")
    return [[names[pcode], name, kind, code, round(lat, 5), round(lon, 5),
             round(math.sqrt(area / math.pi), 1) if area else None]
            for pcode, name, kind, code, lat, lon, area in rows if lat is not None]


def _write(name: str, note: str, columns: list[str], rows: list[list[Any]]) -> None:
    document = {"source": "vau", "note": note, "columns": columns, "rows": rows}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    (DATA / name).write_text(text.replace("],[", "],\n[") + "\n", encoding="utf-8")
    print(f"{name}: {len(rows)} rows")


def main(folder: str) -> None:
    """Read the package's data folder and write the three files."""
    data = Path(folder)
    connection = sqlite3.connect(data / "dataset.db")
    districts, communes = _legacy(connection, data)
    radius = "radius_km: half the diagonal of the package's bounding box (None when it has none)"
    _write("districts.json", "Districts of the 2008–2025 map (vietnamadminunits, admin_units_legacy). "
           "aliases: folded keys of units merged into or renamed as this one. " + radius,
           ["province", "name", "kind", "code", "lat", "lon", "radius_km", "aliases"], districts)
    _write("communes.json", "Communes and wards of the 2008–2025 map "
           "(vietnamadminunits, admin_units_legacy). "
           "aliases: folded keys of communes merged into it; today: the 2025 commune it went into "
           "(converter_2025.json; the default one when it was divided). " + radius,
           ["province", "district", "name", "kind", "code", "lat", "lon", "radius_km", "aliases", "today"],
           communes)
    _write("communes_2025.json", "Communes and wards from 2025-07-01 (vietnamadminunits, admin_units). "
           "radius_km: radius of a disc of the package's wardAreaKm2.",
           ["province", "name", "kind", "code", "lat", "lon", "radius_km"], _today(connection))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/vau/vietnamadminunits/data")
