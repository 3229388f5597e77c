"""Rows of a source list made entries: finished (text repaired), their columns mapped to
fields and read leniently (:func:`linkage.entries.entry_fields`). Nothing here touches a
database, so chunks of rows can be read in worker processes."""

from __future__ import annotations

from typing import Any

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
