"""Rows of a cemetery, grave or initial-burial register made records: a file's row
finished (its text repaired), read into CONTRACT's JSON, validated, and given as the
columns it is stored in. Nothing here touches a database, so chunks of rows can be made
records in worker processes.

A grave register, the longest by far, is read into :class:`archive.grave_lines.GraveLines`
(lines ready for ``COPY``), each row checked the short way (:mod:`archive.grave_fast`)
when it can be, by the model otherwise.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from archive.grave_columns import CellError, Kind, record_from_cells
from archive.grave_fast import cell_plan, quick_grave_columns, quick_grave_line
from archive.grave_lines import GraveLines
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


def parse_grave_rows(header: list[str] | None, columns: dict[str, str] | None,
                     rows: list[RawRow]) -> GraveLines:
    """Rows of a grave register (as :func:`parse_rows` takes them) made graves: the good
    ones as lines, each bad one with its number and reason."""
    graves = GraveLines()
    plan = cell_plan(header, columns) if header is not None and columns is not None else None
    for raw in rows:
        try:
            cells = raw.data if isinstance(raw.data, list) and raw.error is None else None
            quick = quick_grave_line(cells, plan) if plan and cells is not None else None
            if quick is not None:
                graves.add_line(raw.number, *quick)
                continue
            data = record_data(finish_row(raw, header), "grave", columns)
            found = quick_grave_columns(data)
            if found is None:  # the model decides, and says why it refuses
                found = stored_columns("grave", validated_data("grave", data))
            graves.add(raw.number, found)
        except (InvalidInputError, CellError) as error:
            graves.problems.append((raw.number, str(error)))
    return graves


def validated(row: TabularRow, kind: Kind, columns: dict[str, str] | None) -> BaseModel:
    """One row as a record of ``kind``.

    Raises:
        InvalidInputError: the row cannot be read, or is not a valid record.
        CellError: a cell cannot be read as its field's type.
    """
    return validated_data(kind, record_data(row, kind, columns))


def record_data(row: TabularRow, kind: Kind, columns: dict[str, str] | None) -> dict[str, Any]:
    """One row as CONTRACT's JSON of a record of ``kind``, not validated yet.

    Raises:
        InvalidInputError: the row cannot be read.
        CellError: a cell cannot be read as its field's type.
    """
    if row.values is None:
        raise InvalidInputError(row.error or "the row cannot be read")
    return record_from_cells(kind, row.values, columns) if columns is not None else row.values


def validated_data(kind: Kind, data: Any) -> BaseModel:
    """CONTRACT's JSON validated as a record of ``kind``.

    Raises:
        InvalidInputError: it is not a valid record.
    """
    try:
        return SCHEMAS[kind].model_validate(data)
    except ValidationError as error:
        where, message = first_problem(error, "row")
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise InvalidInputError(f"{where}: {message}{more}") from None
