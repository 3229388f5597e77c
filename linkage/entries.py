"""A list's row made an entry: its fields cleaned and read for comparison.

Lists are read leniently: a year or a date that cannot be read is left unknown (the row's
raw text keeps it) rather than refusing the row. A row is refused only when it names
nobody, or holds more than any field of a martyr record can.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from decoder.dates import PartialDate
from decoder.errors import PhienhieuError
from decoder.text import fold_key, to_nfc
from linkage.written import unit_chain, written_date
from places import split_address

#: The fields a list's columns may hold (CONTRACT's Person JSON names).
FIELDS = ("name", "birth_year", "hometown", "unit_text", "death_date", "death_place")
_LIMITS = {"name": 200, "hometown": 500, "unit_text": 500, "death_place": 500, "death_date": 100}
_FIRST_YEAR = 1850


#: A list names the same units row after row: each is read once.
_chain: Callable[[str | None], str | None] = lru_cache(maxsize=1 << 16)(unit_chain)


class EntryError(ValueError):
    """Why a row cannot be an entry; the message names the field."""


class EntryFields(NamedTuple):
    """An entry's fields as stored: as written (NFC, one space between words) and read.
    A named tuple: a list makes one per row, and a tuple is made several times faster
    than a frozen dataclass."""

    name: str
    name_key: str
    birth_year: int | None
    hometown: str | None
    commune: str | None
    district: str | None
    province: str | None
    unit_text: str | None
    unit_chain: str | None
    death_date: str | None
    death_place: str | None


def entry_fields(values: Mapping[str, Any]) -> EntryFields:
    """An entry from a row's values by field name (see :data:`FIELDS`; others are ignored).

    Raises:
        EntryError: no name, or a field longer than a martyr record holds.
    """
    text = {field: _text(field, values.get(field)) for field in _LIMITS}
    name = text["name"]
    if not name or not any(char.isalpha() for char in name):
        raise EntryError("name: the row names nobody")
    address = split_address(text["hometown"]) if text["hometown"] else None
    return EntryFields(
        name=name, name_key=fold_key(name), birth_year=_year(values.get("birth_year")),
        hometown=text["hometown"], commune=address.commune if address else None,
        district=address.district if address else None, province=address.province if address else None,
        unit_text=text["unit_text"], unit_chain=_chain(text["unit_text"]),
        death_date=_date(text["death_date"]), death_place=text["death_place"])


def _text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(to_nfc(str(value)).split())
    if len(cleaned) > _LIMITS[field]:
        raise EntryError(f"{field}: {len(cleaned):,} characters, more than the {_LIMITS[field]} it may hold")
    return cleaned or None


def _year(value: Any) -> int | None:
    text = str(value).strip() if value is not None else ""
    if isinstance(value, bool) or not text.isdigit() or len(text) != 4:
        return None
    year = int(text)
    return year if _FIRST_YEAR <= year <= date.today().year else None


def _date(text: str | None) -> str | None:
    return None if text is None else _date_text(text)


@lru_cache(maxsize=1 << 14)  # a list writes the same dates row after row
def _date_text(text: str) -> str | None:
    try:  # already a partial ISO date (JSON, or a spreadsheet's date cell)
        parsed = PartialDate.parse(text)
    except PhienhieuError:
        return written_date(text)
    return str(parsed) if parsed.year >= _FIRST_YEAR and parsed.first_day <= date.today() else None
