"""Batch decoding of a CSV file: a column ``text`` (and optionally ``date``) in, the same
rows out with the best candidate and the full result added."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from api.files import write_atomically
from decoder.errors import InvalidInputError, PhienhieuError

if TYPE_CHECKING:
    from api.services import Services

#: Columns added to every row, in this order.
RESULT_COLUMNS = ("best_unit_id", "best_name", "best_score", "result_json", "error")


def _rows(path: Path) -> tuple[list[str], Iterator[dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise InvalidInputError(f"Cannot read {path}: {error.strerror or error}.") from None
    reader = csv.DictReader(handle)
    try:
        fields = list(reader.fieldnames or [])
    except (UnicodeDecodeError, csv.Error) as error:
        handle.close()
        raise InvalidInputError(f"{path} is not a UTF-8 CSV file ({error}).") from None
    if "text" not in fields:
        handle.close()
        raise InvalidInputError(f"{path} has no 'text' column; its header is {fields}.")

    def rows() -> Iterator[dict[str, str]]:
        with handle:
            try:
                yield from reader
            except (UnicodeDecodeError, csv.Error) as error:
                raise InvalidInputError(
                    f"{path} line {reader.line_num}: not readable CSV ({error})."
                ) from None

    return fields, rows()


def decode_csv(path: Path, out: Path | None, services: Services) -> int:
    """Decode every row of ``path`` and write the rows with results to ``out`` (or stdout).

    The output is written to a temporary file and renamed, so a failure never leaves a
    half-written result behind.

    Returns:
        How many rows could not be decoded (their ``error`` column says why).

    Raises:
        InvalidInputError: the file is missing, not CSV, lacks a ``text`` column or has
            more rows than the settings allow.
    """
    fields, rows = _rows(path)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*fields, *RESULT_COLUMNS], extrasaction="ignore")
    writer.writeheader()
    failed = 0
    for count, row in enumerate(rows, start=1):
        if count > services.settings.max_batch_rows:
            raise InvalidInputError(
                f"{path} has more than {services.settings.max_batch_rows:,} rows; split it."
            )
        row.update(_decode_row(row, services))
        failed += bool(row["error"])
        writer.writerow(row)
    _emit(buffer.getvalue(), out)
    return failed


def _decode_row(row: dict[str, str], services: Services) -> dict[str, str]:
    try:
        result = services.decode(row.get("text") or "", (row.get("date") or "").strip() or None)
    except PhienhieuError as error:
        return dict.fromkeys(RESULT_COLUMNS, "") | {"error": error.message}
    best = result.candidates[0] if result.candidates else None
    return {
        "best_unit_id": best.unit_id if best else "",
        "best_name": best.name if best else "",
        "best_score": f"{best.score:.4f}" if best else "",
        "result_json": json.dumps(result.to_json_data(), ensure_ascii=False),
        "error": "",
    }


def _emit(data: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(data)
        return
    write_atomically(out, data, newline="")
