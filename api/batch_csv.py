"""Batch decoding of a CSV file: a column ``text`` (and optionally ``date``) in, the same
rows out with the best candidate and the full result added."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from api.files import write_atomically
from api.web.reasons import with_sentences
from decoder.errors import InvalidInputError, PhienhieuError
from decoder.untrusted import spreadsheet_cell
from usecases.registry import Decoder

#: Columns added to every row, in this order.
RESULT_COLUMNS = ("best_unit_id", "best_name", "best_score", "result_json", "error")


def _rows(handle: TextIO, label: str) -> tuple[list[str], Iterator[dict[str, str]]]:
    reader = csv.DictReader(handle)
    try:
        fields = list(reader.fieldnames or [])
    except (UnicodeDecodeError, csv.Error) as error:
        raise InvalidInputError(f"{label} is not a UTF-8 CSV file ({error}).") from None
    if "text" not in fields:
        raise InvalidInputError(f"{label} has no 'text' column; its header is {fields}.")

    def rows() -> Iterator[dict[str, str]]:
        try:
            yield from reader
        except (UnicodeDecodeError, csv.Error) as error:
            raise InvalidInputError(f"{label} line {reader.line_num}: not readable CSV ({error}).") from None

    return fields, rows()


def decode_rows(handle: TextIO, label: str, decode: Decoder, *, max_rows: int) -> tuple[str, int]:
    """Decode every row of the CSV text in ``handle``.

    Returns:
        The rows with their results as CSV text, and how many rows could not be decoded
        (their ``error`` column says why).

    Raises:
        InvalidInputError: not CSV, no ``text`` column, or more rows than the settings
            allow; ``label`` names the file in the message.
    """
    fields, rows = _rows(handle, label)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = [*fields, *RESULT_COLUMNS]
    writer.writerow([spreadsheet_cell(column) for column in columns])
    failed = 0
    for count, row in enumerate(rows, start=1):
        if count > max_rows:
            limit = max_rows
            raise InvalidInputError(f"{label} has more than {limit:,} rows; split it.")
        row.update(_decode_row(row, decode))
        failed += bool(row["error"])
        writer.writerow([spreadsheet_cell(str(row.get(column) or "")) for column in columns])
    return buffer.getvalue(), failed


def decode_csv(path: Path, out: Path | None, decode: Decoder, *, max_rows: int) -> int:
    """Decode every row of ``path`` and write the rows with results to ``out`` (or stdout).

    The output is written to a temporary file and renamed, so a failure never leaves a
    half-written result behind.

    Returns:
        How many rows could not be decoded.

    Raises:
        InvalidInputError: as ``decode_rows``, or the file cannot be read.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InvalidInputError(f"Cannot read {path}: {error.strerror or error}.") from None
    with handle:
        data, failed = decode_rows(handle, str(path), decode, max_rows=max_rows)
    _emit(data, out)
    return failed


def _decode_row(row: dict[str, str], decode: Decoder) -> dict[str, str]:
    try:
        result = decode(row.get("text") or "", (row.get("date") or "").strip() or None)
    except PhienhieuError as error:
        return dict.fromkeys(RESULT_COLUMNS, "") | {"error": error.message}
    best = result.candidates[0] if result.candidates else None
    return {
        "best_unit_id": best.unit_id if best else "",
        "best_name": best.name if best else "",
        "best_score": f"{best.score:.4f}" if best else "",
        "result_json": json.dumps(with_sentences(result, "en").to_json_data(), ensure_ascii=False),
        "error": "",
    }


def _emit(data: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(data)
        return
    write_atomically(out, data, newline="")
