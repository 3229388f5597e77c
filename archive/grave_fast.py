"""The short way through validation for a grave made of the plain values a register holds:
the rules of :class:`archive.grave_schema.GraveRecord` written out for ``str``, ``int``
and ``float`` values without sources, with what registers repeat (cemeteries, positions,
statuses, places, units, dates) worked out once and remembered.

Two doors: :func:`quick_grave_columns` takes a record as CONTRACT's JSON (a JSON Lines
row); :func:`quick_grave_line` takes a CSV file's or spreadsheet's row of text cells as
read, repairs each cell as :mod:`archive.tabular` does and types it as
:func:`archive.grave_columns.typed_cell` does (once for a cell registers repeat), and
gives the grave's ``COPY`` line at once. A row either is not sure of (a value of another
type, a position written in one cell, sources, a rule broken) goes the long way:
:func:`archive.tabular.finish_row`, :func:`archive.grave_columns.record_from_cells` and
the model, which store it or say why not in their own words. So whatever this path takes,
it takes as they would, and every refusal is theirs (``tests/test_grave_import_speed_paths.py``
compares the ways on varied rows, good and bad).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Any, get_args

from archive.grave_columns import CellError, typed_cell
from archive.grave_lines import NULL, copy_field
from archive.grave_schema import GraveRecord, RemainsFrom, StatusName
from archive.grave_stored import placed_point
from archive.person_schema import clean_text
from archive.tabular import decode_cell
from decoder.dates import PartialDate
from decoder.errors import InvalidDateError
from decoder.plots import name_key, parse_status, place_key
from decoder.untrusted import forbidden_character

_FIELDS = frozenset(GraveRecord.model_fields)
_REMAINS_FIELDS = frozenset(RemainsFrom.model_fields)
_STATUSES = frozenset(get_args(StatusName))
_NAMED = frozenset({"named", "named_no_remains"})
#: RecordId's pattern; ``fullmatch``, as the model's anchors mean (no newline at the end).
_RECORD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")
_FIRST_YEAR, _LAST_YEAR = 1850, 2100
#: Values remembered by each function that remembers; and the longest text remembered (a
#: longer one is seldom repeated), so that memory stays bounded whatever the file holds.
_REMEMBERED = 1 << 14
_REMEMBERED_CHARS = 200
_clean_short = lru_cache(maxsize=_REMEMBERED)(clean_text)
_name_key_short = lru_cache(maxsize=_REMEMBERED)(name_key)
_place_key_short = lru_cache(maxsize=_REMEMBERED)(place_key)


def _clean(text: str) -> str:
    return _clean_short(text) if len(text) <= _REMEMBERED_CHARS else clean_text(text)


def _name_key(text: str) -> str:
    return _name_key_short(text) if len(text) <= _REMEMBERED_CHARS else name_key(text)


def _place_key(text: str) -> str:
    return _place_key_short(text) if len(text) <= _REMEMBERED_CHARS else place_key(text)


class _NotSureError(Exception):
    """The row goes the whole way: it may be refused, or holds what this path does not take."""


# --- the model's rules, on the values it is given ------------------------------------------------


def _text(value: Any, most: int, *, blank: bool = True, optional: bool = True) -> str | None:
    """A bounded text field as the model keeps it (NFC, white space made one space);
    ``blank``: it may be empty; ``optional``: it may be None."""
    if value is None and optional:
        return None
    if type(value) is not str or len(value) > most or (not blank and not value):
        raise _NotSureError
    cleaned: str = _clean(value)
    if not blank and not cleaned:
        raise _NotSureError
    return cleaned


def _record_id(value: Any, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if type(value) is not str or not 0 < len(value) <= 64 or _RECORD_ID.fullmatch(value) is None:
        raise _NotSureError
    return value


def _coordinate(value: Any, bound: int) -> float | None:
    if value is None:
        return None
    if type(value) is not float or not -bound <= value <= bound:
        raise _NotSureError
    return value


def _year(value: Any) -> int | None:
    if value is not None and (type(value) is not int or not _FIRST_YEAR <= value <= _LAST_YEAR):
        raise _NotSureError
    return value


def _date(value: Any) -> str | None:
    if value is None:
        return None
    text = _date_text(value) if type(value) is str and len(value) <= _REMEMBERED_CHARS else None
    if text is None:
        raise _NotSureError
    return text


@lru_cache(maxsize=_REMEMBERED)
def _date_text(value: str) -> str | None:
    """A partial date as the model keeps it (``str(PartialDate.parse(value))``), or None."""
    try:
        return str(PartialDate.parse(value))
    except InvalidDateError:
        return None


@lru_cache(maxsize=_REMEMBERED)
def _past(text: str) -> PartialDate | None:
    """A date the model keeps, if it is neither in the future nor before 1850; a date in
    the future is not sure (remembered, it may have come since), so goes the whole way."""
    when = PartialDate.parse(text)
    return when if when.first_day <= date.today() and when.year >= _FIRST_YEAR else None


def _agrees(status: str, named: bool, remains: bool, coordinates: tuple[bool, bool],
            dates: tuple[str | None, ...]) -> None:
    """GraveRecord's own checks: the status and the name, the remains, coordinates in pairs,
    dates (birth year, death, collection of the remains) neither future nor before 1850, in
    order."""
    if (status in _NAMED and not named) or (status == "unidentified" and named):
        raise _NotSureError
    if (status == "named_no_remains" and remains) or coordinates[0] != coordinates[1]:
        raise _NotSureError
    given = [text for text in dates if text]
    known = [when for when in map(_past, given) if when is not None]
    if len(known) != len(given) or any(then.last_day < first.first_day for first, then in pairwise(known)):
        raise _NotSureError


# --- a record as CONTRACT's JSON ---------------------------------------------------------------


def quick_grave_columns(record: dict[str, Any]) -> dict[str, Any] | None:
    """The stored columns of a grave record, what
    ``grave_columns(GraveRecord.model_validate(record))`` gives, or None where the model
    must decide."""
    try:
        return _columns(record)
    except _NotSureError:
        return None


def _columns(record: dict[str, Any]) -> dict[str, Any]:
    if not _FIELDS.issuperset(record):
        raise _NotSureError
    get = record.get
    status = get("status")
    if type(status) is not str or status not in _STATUSES:
        raise _NotSureError
    sources = get("sources", _NO_SOURCES)
    if type(sources) is not list or sources:  # citations are left to the model
        raise _NotSureError
    name, birth_year, death_date = _text(get("name"), 200, blank=False), _year(get("birth_year")), \
        _date(get("death_date"))
    given = get("remains_from")
    remains = _remains(given)
    _agrees(status, name is not None, given is not None, (remains[1] is None, remains[2] is None),
            (str(birth_year) if birth_year else None, death_date, remains[3]))
    hometown = _text(get("hometown"), 500)
    return {"id": _record_id(get("id"), optional=False),
            "cemetery": _text(get("cemetery"), 300, blank=False, optional=False),
            "reason": _text(get("reason"), 2000, blank=False),
            "zone": _text(get("zone"), 32) or "", "lot": _text(get("lot"), 32) or "",
            "row": _text(get("row"), 32) or "",
            "number": _text(get("number"), 32, blank=False, optional=False),
            "status": status, "name": name, "name_key": _name_key(name) if name else None,
            "birth_year": birth_year, "hometown": hometown,
            "hometown_key": _place_key(hometown) if hometown else None,
            "unit_text": _text(get("unit_text"), 500), "death_date": death_date,
            "remains_place": remains[0], "remains_lat": remains[1], "remains_lon": remains[2],
            "remains_date": remains[3], "remains_burial": remains[4],
            **dict(zip(_PLACED, placed_point(status, remains[0], remains[1], remains[2]), strict=True)),
            "person_id": _record_id(get("person_id")), "sources": []}


_NO_SOURCES: list[Any] = []
_PLACED = ("placed_lat", "placed_lon")
_Remains = tuple[str | None, float | None, float | None, str | None, str | None]
_NO_REMAINS: _Remains = (None, None, None, None, None)


def _remains(given: Any) -> _Remains:
    """Where the remains came from: place, lat, lon, date, burial."""
    if given is None:
        return _NO_REMAINS
    if type(given) is not dict or not _REMAINS_FIELDS.issuperset(given):
        raise _NotSureError
    get = given.get
    return (_text(get("place"), 500), _coordinate(get("lat"), 90), _coordinate(get("lon"), 180),
            _date(get("date")), _record_id(get("burial")))


# --- a row of text cells ---------------------------------------------------------------------------

#: A cell worked out: its value as stored and its COPY text (a name's and a hometown's
#: with their folded key after a tab).
_Cell = tuple[Any, str]
#: A cell the row holds nothing in (white space only), and one that is not sure.
_BLANK: _Cell = (None, NULL)
_REFUSED: _Cell = (None, "")


def _kept(rule: Callable[[Any], Any]) -> Callable[[Any], _Cell]:
    def cell(value: Any) -> _Cell:
        kept = rule(value)
        return kept, copy_field(kept)
    return cell


def _with_key(rule: Callable[[Any], str | None], key: Callable[[str], str]) -> Callable[[Any], _Cell]:
    def cell(value: Any) -> _Cell:
        kept = rule(value)
        return kept, f"{copy_field(kept)}\t{copy_field(key(kept) if kept else None)}"
    return cell


def _number(value: Any) -> str | None:
    if not value.replace("-", "").isalnum():  # a position written in one cell: the long way
        raise _NotSureError
    return _text(value, 32, blank=False)


def _status(value: Any) -> str:
    status = parse_status(value) or value
    if status not in _STATUSES:
        raise _NotSureError
    return status


#: What each field's cell becomes, once typed; a field not here (a position in one cell,
#: sources) sends its row the long way.
_RULES: dict[str, Callable[[Any], _Cell]] = {
    "id": _kept(_record_id), "cemetery": _kept(lambda value: _text(value, 300, blank=False)),
    "zone": _kept(lambda value: _text(value, 32)), "lot": _kept(lambda value: _text(value, 32)),
    "row": _kept(lambda value: _text(value, 32)), "number": _kept(_number), "status": _kept(_status),
    "name": _with_key(lambda value: _text(value, 200, blank=False), _name_key),
    "birth_year": _kept(_year), "hometown": _with_key(lambda value: _text(value, 500), _place_key),
    "unit_text": _kept(lambda value: _text(value, 500)), "death_date": _kept(_date),
    "remains_place": _kept(lambda value: _text(value, 500)),
    "remains_lat": _kept(lambda value: _coordinate(value, 90)),
    "remains_lon": _kept(lambda value: _coordinate(value, 180)), "remains_date": _kept(_date),
    "remains_burial": _kept(_record_id), "person_id": _kept(_record_id),
    "reason": _kept(lambda value: _text(value, 2000, blank=False)),
}
_CELLS: dict[str, dict[str, _Cell]] = {field: {} for field in _RULES}
_REMAINS_CELLS = ("remains_place", "remains_lat", "remains_lon", "remains_date", "remains_burial")
_DEFAULT_STATUS = {True: ("named", "named"), False: ("unidentified", "unidentified")}


def _worked_out(field: str, cell: str) -> _Cell:
    """A cell of ``field`` as read from the file, repaired, typed and checked; remembered
    (but the ids, each seen once)."""
    if field == "id" and len(cell) <= 64 and _RECORD_ID.fullmatch(cell):
        return cell, cell  # an id as it should be: nothing to repair, strip, refuse or escape
    text = cell if cell.isascii() else decode_cell(cell)  # as archive.tabular finishes a row
    try:
        if forbidden_character(text):
            raise _NotSureError
        typed = typed_cell(field, text)
        found = _BLANK if typed is None else _RULES[field](typed)
    except (CellError, _NotSureError):
        found = _REFUSED
    if field != "id":
        _remember(_CELLS[field], cell, found)
    return found


def _remember(known: dict[str, _Cell], cell: str, found: _Cell) -> None:
    """Remember a short cell worked out; a field's cells are forgotten all at once when
    they reach :data:`_REMEMBERED`."""
    if len(cell) > _REMEMBERED_CHARS:
        return
    if len(known) >= _REMEMBERED:
        known.clear()
    known[cell] = found


def _plain(cell: str) -> _Cell:
    """A cell of a column no field takes, checked for characters no field may hold."""
    text = cell if cell.isascii() else decode_cell(cell)
    found = _REFUSED if forbidden_character(text) else _BLANK
    _remember(_IGNORED, cell, found)
    return found


_IGNORED: dict[str, _Cell] = {}


@dataclass(frozen=True)
class CellPlan:
    """Where a register's rows hold what: the header's width, and for each header the cell
    its value is read from (the last of a repeated header, as a row's values keep it) with
    the field it gives (None: a column no field takes). None of it is usable when a header
    holds a character no field may hold: every row is then refused the long way."""

    width: int
    #: Each cell read: its place, its field and the cells of that field worked out already
    #: (None: a field this path leaves to the long way).
    cells: tuple[tuple[int, str | None, dict[str, _Cell] | None], ...]
    usable: bool


def cell_plan(header: list[str], columns: dict[str, str]) -> CellPlan:
    """The plan of a register's rows: ``header`` as read, ``columns`` the field each
    header names (:func:`archive.grave_columns.header_map`)."""
    last = {name: place for place, name in enumerate(header) if name}
    cells = tuple((place, field, _CELLS.get(field) if field is not None else _IGNORED)
                  for name, place in last.items() for field in [columns.get(name)])
    return CellPlan(len(header), cells, not any(forbidden_character(name) for name in last))


def quick_grave_line(cells: list[Any], plan: CellPlan) -> tuple[str, dict[str, Any]] | None:
    """A row of a register, its cells as read (:class:`archive.tabular.RawRow`), as a
    grave's COPY line (:func:`archive.grave_lines.grave_line` of the columns
    ``finish_row``, ``record_from_cells`` and the model make of it) and its key values
    (:data:`archive.grave_lines.KEY_COLUMNS`), or None where they must decide."""
    past = cells[plan.width:]
    if not plan.usable or (past and any(cell not in (None, "") for cell in past)):
        return None  # a cell past the header holds something: the long way says so
    got: dict[str, _Cell] = {}
    count = len(cells)
    for place, field, known in plan.cells:
        cell = cells[place] if place < count else None
        if cell is None or cell == "":
            continue
        if type(cell) is not str or known is None:
            return None  # a spreadsheet's number or date, a position in one cell, sources
        found = known.get(cell) or (_worked_out(field, cell) if field is not None else _plain(cell))
        if found is _REFUSED:
            return None
        if found is not _BLANK and field is not None:
            got[field] = found
    try:
        return _line(got)
    except _NotSureError:
        return None


def _line(got: dict[str, _Cell]) -> tuple[str, dict[str, Any]]:
    """The grave's line and key values from its cells worked out, once it agrees with itself."""
    get = got.get
    grave_id, cemetery, number, name = get("id"), get("cemetery"), get("number"), get("name")
    if grave_id is None or cemetery is None or number is None:
        raise _NotSureError
    status = get("status") or _DEFAULT_STATUS[name is not None]
    birth_year, death_date, remains_date = get("birth_year", _BLANK), get("death_date", _BLANK), \
        get("remains_date", _BLANK)
    _agrees(status[0], name is not None, any(field in got for field in _REMAINS_CELLS),
            ("remains_lat" in got, "remains_lon" in got),
            (str(birth_year[0]) if birth_year[0] else None, death_date[0], remains_date[0]))
    zone, lot, row, person, reason = get("zone"), get("lot"), get("row"), get("person_id"), get("reason")
    place, lat, lon = get("remains_place", _BLANK), get("remains_lat", _BLANK), get("remains_lon", _BLANK)
    line = "\t".join([
        grave_id[1], cemetery[1], zone[1] if zone else "", lot[1] if lot else "", row[1] if row else "",
        number[1], status[1], name[1] if name else _NO_KEYED, birth_year[1],
        got["hometown"][1] if "hometown" in got else _NO_KEYED, get("unit_text", _BLANK)[1], death_date[1],
        place[1], lat[1], lon[1], remains_date[1], get("remains_burial", _BLANK)[1],
        _placed_cells(status[0], place[0], lat[0], lon[0]), person[1] if person else NULL, "[]"])
    return line, {"id": grave_id[0], "cemetery": cemetery[0], "zone": zone[0] if zone else "",
                  "lot": lot[0] if lot else "", "row": row[0] if row else "", "number": number[0],
                  "status": status[0], "person_id": person[0] if person else None,
                  "reason": reason[0] if reason else None}


_NO_KEYED = f"{NULL}\t{NULL}"


def _placed_cells(status: str, place: str | None, lat: float | None, lon: float | None) -> str:
    """The two cells of :func:`archive.grave_stored.placed_point`."""
    placed_lat, placed_lon = placed_point(status, place, lat, lon)
    return f"{copy_field(placed_lat)}\t{copy_field(placed_lon)}"
