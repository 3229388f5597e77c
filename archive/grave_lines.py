"""Graves read from a chunk of a register, as the process that stores them takes them: each
grave's columns as one line of PostgreSQL's ``COPY`` text, and beside the lines, column by
column, the few values the writer checks (id, cemetery, position, status, person, reason).

A worker process hands the writer one :class:`GraveLines` per chunk: a list of strings
pickles in a fraction of the time a list of dicts takes, and on PostgreSQL the lines go
to ``COPY`` as they are. A line is read back into the columns it was made from
(:func:`columns_from_line`) where the writer needs them: on SQLite, and for the graves
that are stored already, whose columns are compared. Nothing here touches a database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: A grave's columns in the order its line holds them. ``cemetery`` is the reference the
#: record gave (an id or a name); the writer stores the line as it is only where the
#: reference is the id of a stored cemetery.
LINE_COLUMNS = ("id", "cemetery", "zone", "lot", "row", "number", "status", "name", "name_key", "birth_year",
                "hometown", "hometown_key", "unit_text", "death_date", "remains_place", "remains_lat",
                "remains_lon", "remains_date", "remains_burial", "placed_lat", "placed_lon", "person_id",
                "sources")
#: The values kept beside the lines, column by column.
KEY_COLUMNS = ("id", "cemetery", "zone", "lot", "row", "number", "status", "person_id", "reason")
_INTS = frozenset({"birth_year"})
_FLOATS = frozenset({"remains_lat", "remains_lon", "placed_lat", "placed_lon"})
_DOCUMENTS = frozenset({"sources"})
NULL = "\\N"
#: Characters COPY's text format gives a meaning to: in a value they are escaped.
_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def copy_field(value: Any) -> str:
    """One value in COPY's text format: NULL, text escaped, a number as Python writes it
    (which reads back to the same float), a list or dict as JSON, an instant in ISO."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return value.translate(_ESCAPES) if _SPECIAL.search(value) else value
    if isinstance(value, bool):
        raise TypeError("no column of a grave holds a boolean")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | dict):
        return copy_field(json.dumps(value))
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a column value")


def grave_line(columns: dict[str, Any]) -> str:
    """A grave's columns (:func:`archive.grave_stored.grave_columns`) as one COPY line,
    :data:`LINE_COLUMNS` in order, without its end of line."""
    return line_of([columns[name] for name in LINE_COLUMNS])


def line_of(values: Sequence[Any]) -> str:
    """Values as one COPY line (no end of line). Two lines are the same text only where
    their values are the same: each kind of value is written one way, and text escaped."""
    texts = [value for value in values if type(value) is str]
    if _SPECIAL.search("".join(texts)):  # rare: the field by field way
        return "\t".join(copy_field(value) for value in values)
    return "\t".join([value if type(value) is str else NULL if value is None else copy_field(value)
                      for value in values])


def _unescaped(text: str) -> str:
    return _ESCAPED.sub(lambda match: _UNESCAPES.get(match.group(1), match.group(1)), text)


def columns_from_line(line: str) -> dict[str, Any]:
    """The columns a line was made from (:func:`grave_line` read back): the same values,
    of the same types."""
    columns: dict[str, Any] = {}
    for name, text in zip(LINE_COLUMNS, line.split("\t"), strict=True):
        if text == NULL:
            columns[name] = None
            continue
        value = _unescaped(text) if "\\" in text else text
        if name in _INTS:
            columns[name] = int(value)
        elif name in _FLOATS:
            columns[name] = float(value)
        elif name in _DOCUMENTS:
            columns[name] = json.loads(value)
        else:
            columns[name] = value
    return columns


@dataclass
class GraveLines:
    """Graves in file order (each one's row number, its line and its key values, column
    by column in ``keys``) and the rows that were not graves, with why."""

    numbers: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    keys: dict[str, list[Any]] = field(default_factory=lambda: {name: [] for name in KEY_COLUMNS})
    problems: list[tuple[int, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lines)

    def add(self, number: int, columns: dict[str, Any]) -> None:
        """Add a grave's columns, ``reason`` (its own, or None) among them."""
        self.numbers.append(number)
        self.lines.append(grave_line(columns))
        for name, values in self.keys.items():
            values.append(columns[name])

    def add_line(self, number: int, line: str, keys: dict[str, Any]) -> None:
        """Add a grave's line, made already, and its key values."""
        self.numbers.append(number)
        self.lines.append(line)
        for name, values in self.keys.items():
            values.append(keys[name])

    def extend(self, more: GraveLines, start: int = 0, stop: int | None = None) -> None:
        """Add the graves ``more`` holds from ``start`` to ``stop`` (not its problems)."""
        self.numbers += more.numbers[start:stop]
        self.lines += more.lines[start:stop]
        for name, values in self.keys.items():
            values += more.keys[name][start:stop]

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """Each grave's row number and columns, ``reason`` among them."""
        return [(number, columns_from_line(line) | {"reason": reason})
                for number, line, reason in zip(self.numbers, self.lines, self.keys["reason"], strict=True)]
