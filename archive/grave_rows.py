"""Rows of a cemetery, grave or initial-burial register made records: a file's row
finished (its text repaired), read into CONTRACT's JSON, validated, and given as the
columns it is stored in. Nothing here touches a database, so chunks of rows can be made
records in worker processes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from archive.grave_columns import CellError, Kind, record_from_cells
from archive.grave_schema import BurialRecord, CemeteryRecord, GraveRecord
from archive.grave_stored import stored_columns
from archive.tabular import RawRow, TabularRow, finish_row
from decoder.errors import InvalidInputError, first_problem

#: The record each kind of register holds.
SCHEMAS: dict[Kind, type[BaseModel]] = {"cemetery": CemeteryRecord, "grave": GraveRecord,
                                        "burial": BurialRecord}
#: A row made a record: its number, and the record's stored columns or why it is not one.
ParsedRow = tuple[int, dict[str, Any] | None, str | None]


def parse_rows(kind: Kind, header: list[str] | None, columns: dict[str, str] | None,
               rows: list[RawRow]) -> list[ParsedRow]:
    """Rows as read by :func:`archive.tabular.open_rows` made records of ``kind``, each
    given as its stored columns (:func:`archive.grave_stored.stored_columns`).

    Args:
        header: the file's header (None for JSON Lines).
        columns: which field each header names (:func:`archive.grave_columns.header_map`);
            None for JSON Lines, whose rows name the fields themselves.
    """
    parsed: list[ParsedRow] = []
    for raw in rows:
        try:
            record = validated(finish_row(raw, header), kind, columns)
            parsed.append((raw.number, stored_columns(kind, record), None))
        except (InvalidInputError, CellError) as error:
            parsed.append((raw.number, None, str(error)))
    return parsed


def validated(row: TabularRow, kind: Kind, columns: dict[str, str] | None) -> BaseModel:
    """One row as a record of ``kind``.

    Raises:
        InvalidInputError: the row cannot be read, or is not a valid record.
        CellError: a cell cannot be read as its field's type.
    """
    if row.values is None:
        raise InvalidInputError(row.error or "the row cannot be read")
    data = record_from_cells(kind, row.values, columns) if columns is not None else row.values
    try:
        return SCHEMAS[kind].model_validate(data)
    except ValidationError as error:
        where, message = first_problem(error, "row")
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise InvalidInputError(f"{where}: {message}{more}") from None
