"""Rows from the files offices keep lists in: JSON Lines, CSV and Excel (.xlsx).

Each row comes back with its number (1-based data rows for CSV and XLSX, the header not
counted; 1-based lines for JSON Lines) and either its values or why it cannot be read.
Text is repaired as it is read: bytes that are not UTF-8 are taken as a legacy 8-bit
file, and every text goes through the decoder's repair of TCVN3, VNI, VISCII and
mojibake. A spreadsheet is read for its values only, never its formulas, and is checked
as a zip archive before it is opened, so a zip bomb is refused unread.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import IO, Any

from archive.errors import TooLargeFileError
from decoder.errors import InvalidInputError
from decoder.legacy import cp1252_text
from decoder.normalize import normalize
from decoder.untrusted import forbidden_character, parse_json, refuse_forbidden

#: A longer JSON line or CSV record is refused unread.
MAX_LINE_BYTES = 1_000_000
#: A spreadsheet's own size: its cells unpacked and parsed take many times more memory.
MAX_XLSX_BYTES = 20 * 1024 * 1024
#: What a spreadsheet's parts may unpack to, together.
MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024
#: How much one part may grow when unpacked; real sheets compress 5 to 20 times.
MAX_XLSX_RATIO = 200
MAX_COLUMNS = 256
SUFFIXES = (".jsonl", ".csv", ".xlsx")
_XML_HEAD_BYTES = 4096
#: Cells up to this length are remembered once repaired: registers repeat their places,
#: units and statuses on row after row.
_REMEMBERED_CELL_CHARS = 200
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class TabularRow:
    """One row of a file: its values (by column header or JSON key), or why it could not
    be read."""

    number: int
    values: dict[str, Any] | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row as read, its text not yet repaired: a JSON line's bytes or a sheet's cells
    (CSV cells keep the bytes that were not UTF-8 as surrogate escapes)."""

    number: int
    data: bytes | list[Any] | None = None
    error: str | None = None

    def __reduce__(self) -> tuple[type[RawRow], tuple[int, bytes | list[Any] | None, str | None]]:
        # Rows travel to worker processes by the thousand: as a call with its arguments a
        # row pickles several times faster than a frozen, slotted dataclass's state does.
        return RawRow, (self.number, self.data, self.error)


@dataclass(frozen=True)
class RowSource:
    """A file opened for reading: its header (None for JSON Lines, whose rows name their
    fields) and its rows as read. :func:`finish_row` makes each a :class:`TabularRow`; it
    needs nothing but the row and the header, so rows may be finished in other processes."""

    header: list[str] | None
    rows: Iterator[RawRow]


def read_rows(path: Path, *, max_bytes: int) -> Iterator[TabularRow]:
    """The rows of a ``.jsonl``, ``.csv`` or ``.xlsx`` file, read as they are needed.

    Raises:
        InvalidInputError: the file cannot be read, or is of another kind.
        TooLargeFileError: the file, or a spreadsheet unpacked, is larger than allowed.
    """
    source = open_rows(path, max_bytes=max_bytes)
    return (finish_row(raw, source.header) for raw in source.rows)


def open_rows(path: Path, *, max_bytes: int) -> RowSource:
    """Open a ``.jsonl``, ``.csv`` or ``.xlsx`` file: its header is read, its rows are read
    as they are needed.

    Raises:
        InvalidInputError: the file cannot be read, or is of another kind.
        TooLargeFileError: the file, or a spreadsheet unpacked, is larger than allowed.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInputError(f"{path.name}: import a .jsonl, .csv or .xlsx file.")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InvalidInputError(f"Cannot read {path}: {error.strerror or error}.") from None
    limit = min(max_bytes, MAX_XLSX_BYTES) if suffix == ".xlsx" else max_bytes
    if size > limit:
        raise TooLargeFileError(f"{path.name} is {size:,} bytes; an import takes at most {limit:,}"
                                + (" for a spreadsheet (save it as CSV)." if suffix == ".xlsx" else "."))
    if suffix == ".jsonl":
        return RowSource(None, _json_lines(path))
    if suffix == ".xlsx":
        check_xlsx(path)
    rows = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
    first = next(rows, None)  # row 0 is the header
    return RowSource(first.data if first is not None and isinstance(first.data, list) else [], rows)


def finish_row(raw: RawRow, header: list[str] | None) -> TabularRow:
    """A row read by :func:`open_rows` with its text repaired and its values named."""
    if raw.error is not None or raw.data is None:
        return TabularRow(raw.number, error=raw.error or "the row cannot be read")
    if isinstance(raw.data, bytes):
        return _json_row(raw.number, raw.data)
    cells = [_cell_value(cell) for cell in raw.data]
    return _cells_row(raw.number, header or [], cells)


def repair_text(text: str) -> str:
    """Text from a file as NFC Vietnamese, legacy encodings and mojibake repaired."""
    if text.isascii():
        return text  # what normalize gives ASCII, without the call
    if len(text) <= _REMEMBERED_CELL_CHARS:
        return _repaired(text)
    return normalize(text)


@lru_cache(maxsize=1 << 15)
def _repaired(text: str) -> str:
    return normalize(text)


def _repair_value(value: Any) -> Any:
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, list):
        return [_repair_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _repair_value(item) for key, item in value.items()}
    return value


# --- JSON Lines -----------------------------------------------------------------------------


def _json_lines(path: Path) -> Iterator[RawRow]:
    with path.open("rb") as source:
        number = 0
        while line := source.readline(MAX_LINE_BYTES + 1):
            number += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                _skip_rest_of_line(source)
                yield RawRow(number, error=f"the line is longer than {MAX_LINE_BYTES:,} bytes")
                continue
            if line.strip():
                yield RawRow(number, line)


def _skip_rest_of_line(source: IO[bytes]) -> None:
    while chunk := source.readline(MAX_LINE_BYTES):
        if chunk.endswith(b"\n"):
            return


def _json_row(number: int, line: bytes) -> TabularRow:
    try:
        data = parse_json(line, "row")
        refuse_forbidden(data, "row")
    except InvalidInputError as error:
        return TabularRow(number, error=error.message.rstrip("."))
    if not isinstance(data, dict):
        return TabularRow(number, error="row: each line holds one JSON object")
    return TabularRow(number, values=_repair_value(data))


# --- CSV ----------------------------------------------------------------------------------


def decode_cell(raw: str) -> str:
    """A cell read with ``surrogateescape``: bytes that were not UTF-8 are taken as the
    Windows-1252 reading of a legacy 8-bit file, then repaired."""
    if raw.isascii() or not _ESCAPED_BYTE.search(raw):
        return repair_text(raw)
    return repair_text(cp1252_text(raw.encode("utf-8", "surrogateescape")))


def _open_text(source: IO[bytes]) -> io.TextIOWrapper:
    head = source.peek(4)[:4] if isinstance(source, io.BufferedReader) else b""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return io.TextIOWrapper(source, encoding="utf-16", errors="replace", newline="")
    return io.TextIOWrapper(source, encoding="utf-8-sig", errors="surrogateescape", newline="")


def _csv_rows(path: Path) -> Iterator[RawRow]:
    """Row 0 holds the header, repaired; then the rows as read."""
    with path.open("rb") as binary, _open_text(binary) as text:
        first = text.readline(MAX_LINE_BYTES)
        delimiter = max(",;\t", key=first.count)
        reader = csv.reader(chain([first], text), delimiter=delimiter)
        number = 0
        try:
            yield RawRow(0, [decode_cell(cell).strip() for cell in next(reader, [])][:MAX_COLUMNS])
            for cells in reader:
                number += 1
                if "".join(cells).strip():  # a cell that is not only white space, found at C speed
                    yield RawRow(number, cells)
        except csv.Error as error:
            yield RawRow(number + 1, error=f"the file cannot be read as CSV from here on ({error})")


def _cells_row(number: int, header: list[str], cells: list[Any]) -> TabularRow:
    if len(cells) > len(header) and any(cell not in (None, "") for cell in cells[len(header):]):
        return TabularRow(number, error=f"the row has {len(cells)} cells; the header names {len(header)}")
    values = {name: cell for name, cell in zip(header, cells, strict=False) if name}
    if _clean(values):
        return TabularRow(number, values=values)
    try:
        refuse_forbidden(values, "row")
    except InvalidInputError as error:
        return TabularRow(number, error=error.message.rstrip("."))
    return TabularRow(number, values=values)


def _clean(values: dict[str, Any]) -> bool:
    """Whether no header or text cell holds a character no field may hold: one search over
    them all, the cell-by-cell walk left for the rows that do."""
    texts = [*values, *(value for value in values.values() if isinstance(value, str))]
    return forbidden_character(" ".join(texts)) is None


# --- XLSX ---------------------------------------------------------------------------------


def check_xlsx(path: Path) -> None:
    """Refuse a spreadsheet that is not a zip archive, that unpacks to more than allowed
    (a zip bomb), or whose XML declares entities (the "billion laughs").

    Raises:
        InvalidInputError, TooLargeFileError.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(path, members)
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        head = part.read(_XML_HEAD_BYTES)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise InvalidInputError(f"{path.name}: {member.filename} declares XML entities, "
                                                "which no spreadsheet needs.")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise InvalidInputError(f"{path.name} is not an .xlsx spreadsheet ({error}).") from None


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    unpacked = sum(member.file_size for member in members)
    if len(members) > 10_000 or unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise TooLargeFileError(f"{path.name} unpacks to {unpacked:,} bytes in {len(members):,} parts; "
                                f"a spreadsheet may unpack to at most {MAX_XLSX_UNPACKED_BYTES:,}.")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_XLSX_RATIO:
            raise TooLargeFileError(f"{path.name}: {member.filename} unpacks {member.file_size:,} bytes "
                                    f"from {member.compress_size:,}, more than a spreadsheet does.")


def _xlsx_rows(path: Path) -> Iterator[RawRow]:
    """Row 0 holds the header, repaired; then the rows' cells as the sheet holds them."""
    import openpyxl  # the spreadsheet reader is needed only when a spreadsheet arrives

    try:
        # Values only: a formula cell gives the value Excel last saved, or nothing.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InvalidInputError(f"{path.name} cannot be read as a spreadsheet ({type(error).__name__}).") \
            from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header = [_cell_text(cell).strip() for cell in next(rows, ())]
        while header and not header[-1]:
            header.pop()
        yield RawRow(0, header)
        for number, cells in enumerate(rows, start=1):
            if any(cell not in (None, "") for cell in cells):
                yield RawRow(number, list(cells))
    finally:
        book.close()


def _cell_text(cell: Any) -> str:
    value = _cell_value(cell)
    return "" if value is None else str(value)


def _cell_value(cell: Any) -> Any:
    """A cell as the importers take it: text repaired (a CSV cell's bytes that were not
    UTF-8 read as a legacy file's), dates as ISO text, whole floats as ints."""
    if isinstance(cell, str):
        return cell if cell.isascii() else decode_cell(cell)  # ASCII: nothing to repair
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, time):
        return None
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 10**15:
        return int(cell)
    return cell
