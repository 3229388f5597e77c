"""Lines of a person-records file made records: each line read as CONTRACT's person JSON,
validated, and given as the columns it is stored in. Nothing here touches a database, so
chunks of lines can be made records in worker processes, which hand the writer plain
columns (a dict pickles in a fraction of the time a validated model takes).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any, BinaryIO

from pydantic import ValidationError

from archive.person_schema import PersonRecord
from decoder.errors import InvalidInputError, first_problem
from decoder.plots import name_key, place_key
from decoder.untrusted import parse_json, refuse_forbidden

#: A longer line is refused unread: no martyr record needs a megabyte.
MAX_LINE_BYTES = 1_000_000
#: The record's own fields, one column each.
SCALARS = ("full_name", "birth_year", "birth_date", "hometown", "enlisted", "rank", "position",
           "unit_text", "death_date", "death_place", "circumstances", "burial_place", "grave")
#: A line of the file: its number, and its bytes (or the length of a line too long to read).
Line = tuple[int, bytes | int]
#: A line made a record: its number, and the record's columns or why it is not one.
ParsedLine = tuple[int, dict[str, Any] | None, str | None]
#: Lines read together, with the bytes read once they are.
Chunk = tuple[int, list[Line]]

#: :func:`place_key`, remembered: a list names the same communes on line after line.
_place_key = lru_cache(maxsize=1 << 15)(place_key)


def read_lines(source: BinaryIO) -> Iterator[Line]:
    """The numbered lines of ``source``; a line longer than MAX_LINE_BYTES comes back as its
    length, unread."""
    number = 0
    while line := source.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield number, line
            continue
        length = len(line)
        while chunk := source.readline(MAX_LINE_BYTES):
            length += len(chunk)
            if chunk.endswith(b"\n"):
                break
        yield number, length


def parse_chunk(chunk: Chunk) -> tuple[int, list[ParsedLine]]:
    """A chunk of lines made records (blank lines left out), with the chunk's bytes read."""
    read, lines = chunk
    parsed: list[ParsedLine] = []
    for number, line in lines:
        outcome = parse_line(line)
        if isinstance(outcome, str):
            parsed.append((number, None, outcome))
        elif outcome is not None:
            parsed.append((number, person_columns(outcome), None))
    return read, parsed


def parse_line(line: bytes | int) -> PersonRecord | str | None:
    """One line as a record; None for a blank line; a string: why it is not a record (too
    long, not JSON, or not a valid record)."""
    if isinstance(line, int):
        return f"the line is {line:,} bytes; a record may have at most {MAX_LINE_BYTES:,}"
    if not line.strip():
        return None
    try:
        data = parse_json(line, "record")
        refuse_forbidden(data, "record")
    except InvalidInputError as error:
        return error.message.rstrip(".")
    try:
        return PersonRecord.model_validate(data)
    except ValidationError as error:
        where, message = first_problem(error, "record")
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        return f"{where}: {message}{more}"


def person_columns(record: PersonRecord) -> dict[str, Any]:
    """The stored columns of a validated record (``id`` None when it came without one),
    with its ``sources`` beside them, each as the columns of its own row but the person's
    id, its position and its resolved page."""
    columns: dict[str, Any] = {"id": record.id}
    columns |= {name: getattr(record, name) for name in SCALARS}
    columns["relatives"] = [relative.model_dump(exclude_none=True) for relative in record.relatives]
    columns["name_key"] = name_key(record.full_name)
    columns["hometown_key"] = _place_key(record.hometown) if record.hometown else None
    columns["sources"] = [{"scan": source.scan, "page": source.page, "field": source.field, "box": source.box}
                          for source in record.sources]
    return columns
