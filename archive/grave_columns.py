"""The columns of cemetery, grave and burial lists, read into CONTRACT's JSON.

A spreadsheet's header may use the contract's names or the Vietnamese ones registers use
(``Họ và tên``, ``Năm sinh``, ``Quê quán``, ``Lô``, ``Hàng``, ``Số mộ``…), in any case,
with or without marks. Its cells are text; they are typed here (years, coordinates,
dates written ``15/7/1972``, statuses written ``vô danh``) so that the records are then
validated as strictly as JSON. Columns no field takes are left out and named in the report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from decoder.plots import iso_partial_date, parse_level, parse_position, parse_status
from decoder.text import fold_key

#: What a file holds: cemeteries, graves, initial burials, or the entries of a source list.
Kind = Literal["cemetery", "grave", "burial", "entry"]

_SHARED = {
    "name": ("ho va ten", "ho ten", "ten liet si", "ten", "full name"),
    "birth_year": ("nam sinh",),
    "hometown": ("que quan", "nguyen quan", "que"),
    "unit_text": ("don vi", "don vi khi hy sinh", "unit"),
    "death_date": ("ngay hy sinh", "ngay hi sinh", "ngay mat", "hy sinh", "hi sinh"),
    "person_id": ("ma liet si", "ma ho so", "person"),
    "sources": ("nguon",),
}
_ALIASES: dict[Kind, dict[str, tuple[str, ...]]] = {
    "cemetery": {
        "id": ("ma", "ma nghia trang"), "name": ("ten nghia trang", "ten", "nghia trang"),
        "level": ("cap", "cap quan ly"), "commune": ("xa", "xa phuong", "phuong xa"),
        "district": ("huyen", "quan huyen", "huyen thi"),
        "province": ("tinh", "tinh thanh", "tinh thanh pho"),
        "lat": ("vi do", "latitude"), "lon": ("kinh do", "longitude"),
        "contact": ("lien he", "dien thoai", "so dien thoai"),
    },
    "grave": {
        **_SHARED, "id": ("ma mo", "ma"), "cemetery": ("nghia trang", "ma nghia trang", "cemetery id"),
        "zone": ("khu",), "lot": ("lo", "lo mo"), "row": ("hang",), "number": ("so mo", "mo so", "so"),
        "position": ("vi tri", "vi tri mo"), "status": ("tinh trang", "trang thai"),
        "remains_place": ("noi quy tap", "noi tim thay hai cot", "noi cat boc"),
        "remains_lat": ("vi do quy tap",), "remains_lon": ("kinh do quy tap",),
        "remains_date": ("ngay quy tap",), "remains_burial": ("ma an tang", "an tang ban dau"),
        "reason": ("ly do",),
    },
    "burial": {
        **_SHARED, "id": ("ma", "ma an tang"), "burial_date": ("ngay an tang", "ngay chon cat"),
        "place": ("noi an tang", "dia diem an tang", "dia diem"), "lat": ("vi do", "latitude"),
        "lon": ("kinh do", "longitude"), "buried_by": ("nguoi an tang", "don vi an tang"),
        "marker": ("dau hieu", "danh dau", "bia"), "witnesses": ("nhan chung", "nguoi lam chung"),
        "recovered_date": ("ngay quy tap", "ngay cat boc"),
        "recovered_grave": ("mo", "ma mo", "quy tap ve mo"),
    },
    "entry": {
        "name": _SHARED["name"], "birth_year": (*_SHARED["birth_year"], "sinh nam", "sinh"),
        "hometown": (*_SHARED["hometown"], "dia chi", "que quan nguyen quan"),
        "unit_text": _SHARED["unit_text"], "death_date": _SHARED["death_date"],
        "death_place": ("noi hy sinh", "noi hi sinh", "noi mat", "death place"),
    },
}
_INTS = {"birth_year"}
_FLOATS = {"lat", "lon", "remains_lat", "remains_lon"}
_DATES = {"death_date", "burial_date", "remains_date", "recovered_date"}
#: Fields a flat row gives inside an object of the record: (the object, the field in it).
NESTED = {"remains_place": ("remains_from", "place"), "remains_lat": ("remains_from", "lat"),
           "remains_lon": ("remains_from", "lon"), "remains_date": ("remains_from", "date"),
           "remains_burial": ("remains_from", "burial"), "recovered_date": ("recovered", "date"),
           "recovered_grave": ("recovered", "grave")}


class CellError(ValueError):
    """A cell that cannot be typed; its message names the column."""


def header_map(kind: Kind, headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """Which field each header holds, and the headers no field takes.

    A header matches a field's contract name or one of its Vietnamese names, without case
    or marks; the first column wins when two name the same field. Empty headers name no
    column, and a repeated one counts once (a row's values are keyed by header).
    """
    headers = list(dict.fromkeys(filter(None, headers)))
    lookup: dict[str, str] = {}
    for field, aliases in _ALIASES[kind].items():
        for alias in (fold_key(field), *aliases):
            lookup.setdefault(alias, field)
    chosen: dict[str, str] = {}
    ignored: list[str] = []
    for header in headers:
        found = lookup.get(fold_key(header))
        if found is None or found in chosen.values():
            ignored.append(header)
        else:
            chosen[header] = found
    return chosen, ignored


def record_from_cells(kind: Kind, cells: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, Any]:
    """A record as CONTRACT's JSON from a flat row, its nested fields gathered.

    Raises:
        CellError: a cell cannot be read as its field's type.
    """
    record: dict[str, Any] = {}
    for header, field in columns.items():
        cell = cells.get(header)
        if cell == "" or cell is None:
            continue  # the commonest cell of a register, and what typed_cell makes None
        value = typed_cell(field, cell)
        if value is None:
            continue
        if field in NESTED:
            outer, inner = NESTED[field]
            record.setdefault(outer, {})[inner] = value
        else:
            record[field] = value
    if kind == "grave":
        _grave_cells(record)
    elif kind == "cemetery" and isinstance(record.get("level"), str):
        record["level"] = parse_level(record["level"]) or record["level"]
    return record


def _grave_cells(record: dict[str, Any]) -> None:
    """A position written in one cell is read into its parts; a status in words is read;
    with no status column the stone decides: a name, ``named``; none, ``unidentified``."""
    written = record.pop("position", None)
    number = record.get("number")
    if written is None and isinstance(number, str) and not number.replace("-", "").isalnum():
        written = number
        record.pop("number")
    if written is not None:
        position = parse_position(written)
        if position.is_empty():
            raise CellError(f"position: {written[:60]!r} names no lô, hàng or mộ số")
        for part in ("zone", "lot", "row", "number"):
            if getattr(position, part) and part not in record:
                record[part] = getattr(position, part)
    status = record.get("status")
    if isinstance(status, str):
        record["status"] = parse_status(status) or status
    elif status is None:
        record["status"] = "named" if record.get("name") else "unidentified"


def typed_cell(field: str, value: Any) -> Any:
    """A cell as its field's type (a whole number, a number, an ISO date, a list, text
    stripped), or None for an empty one.

    Raises:
        CellError: the cell cannot be read as its field's type.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if field in _INTS:
        return _whole(field, value)
    if field in _FLOATS:
        return _decimal(field, value)
    if field in _DATES:
        return iso_partial_date(str(value))
    if field in ("sources", "witnesses"):
        return _listed(field, value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _whole(field: str, value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isascii() or not text.isdigit() or len(text) > 6:
        raise CellError(f"{field}: {text[:40]!r} is not a whole number")
    return int(text)


def _decimal(field: str, value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(",", ".")
    try:
        if len(text) > 40:
            raise ValueError(text)
        return float(text)
    except ValueError:
        raise CellError(f"{field}: {text[:40]!r} is not a number") from None


def _listed(field: str, value: Any) -> list[Any]:
    text = str(value).strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            raise CellError(f"{field}: the cell starts like a JSON list but is not one") from None
        if isinstance(parsed, list):
            return parsed
    if field == "sources":
        raise CellError("sources: write them as a JSON list, e.g. [{\"scan\": \"12\", \"page\": 1}]")
    return [part.strip() for part in text.split(";") if part.strip()]
