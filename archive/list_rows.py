"""Rows of a source list made entries: finished (text repaired), their columns mapped to
fields and read leniently (:func:`linkage.entries.entry_fields`). Nothing here touches a
database, so chunks of rows can be read in worker processes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from archive.grave_lines import line_of
from archive.tabular import RawRow, finish_row
from linkage.entries import FIELDS, EntryError, EntryFields, entry_fields

#: A row read: its number, its values as read, and its entry or why it is not one.
ParsedEntry = tuple[int, dict[str, Any] | None, EntryFields | None, str | None]


def parse_entries(header: list[str] | None, columns: dict[str, str] | None,
                  rows: list[RawRow]) -> list[ParsedEntry]:
    """Rows as read by :func:`archive.tabular.open_rows` made entries.

    Args:
        header: the file's header (None for JSON Lines).
        columns: which field each header names; None for JSON Lines, whose rows use the
            fields' own names.
    """
    parsed: list[ParsedEntry] = []
    for raw in rows:
        row = finish_row(raw, header)
        if row.values is None:
            parsed.append((raw.number, None, None, row.error or "the row cannot be read"))
            continue
        values = ({field: row.values.get(name) for name, field in columns.items()} if columns is not None
                  else {field: row.values.get(field) for field in FIELDS})
        try:  # finish_row has refused control characters already
            parsed.append((raw.number, row.values, entry_fields(values), None))
        except EntryError as error:
            parsed.append((raw.number, row.values, None, str(error)))
    return parsed


#: An entry's columns in the order of its ``COPY`` line (:func:`entry_lines`).
ENTRY_LINE_COLUMNS = ("source", "row", "raw", "name", "name_key", "birth_year", "hometown", "commune",
                      "district", "province", "unit_text", "unit_chain", "death_date", "death_place")


@dataclass
class EntryLines:
    """A chunk's entries as ``COPY`` text lines (:data:`ENTRY_LINE_COLUMNS`), and the rows
    that are not entries, with why."""

    lines: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def entry_lines(source: str, header: list[str] | None, columns: dict[str, str] | None,
                rows: list[RawRow]) -> EntryLines:
    """Rows made entries of the list ``source`` (as :func:`parse_entries` makes them), each
    as the line PostgreSQL's ``COPY`` stores: a worker process hands over a list of
    strings, which pickles and is written several times faster than rows of values."""
    made = EntryLines()
    for number, raw, fields, problem in parse_entries(header, columns, rows):
        if fields is None or raw is None:
            made.problems.append((number, problem or "the row cannot be read"))
            continue
        made.lines.append(line_of([
            source, number, json.dumps(raw, ensure_ascii=False), fields.name, fields.name_key,
            fields.birth_year, fields.hometown, fields.commune, fields.district, fields.province,
            fields.unit_text, fields.unit_chain, fields.death_date, fields.death_place]))
    return made
