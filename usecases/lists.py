"""Source-list use cases: import a list (replacing the one of that name), list them.

A list is read once, in worker processes when it is large (see :mod:`archive.parallel`),
and stored in one transaction a batch at a time: a list is replaced whole or not at all.
Each row that names nobody, or holds more than a martyr record can, is reported with its
number and reason; the others are stored.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from archive.bulk import copies_text
from archive.grave_columns import header_map
from archive.list_rows import entry_lines, parse_entries
from archive.lists import add_entries, add_entry_lines, begin_source, finish_source, list_sources
from archive.parallel import chunked, ordered_map, workers_for
from archive.tabular import RawRow, open_rows
from decoder.errors import InvalidInputError
from linkage.entries import EntryFields

#: Rows a worker reads at once, and rows written per bulk call.
CHUNK_ROWS = 2000
BATCH_ROWS = 5000
#: A list's name: it is part of every entry's key (``entry:NAME:ROW``).
_SOURCE_NAME = re.compile(r"^[\w.\- ]{1,100}$")


@dataclass
class ListImport:
    """What an import did; ``problems`` are (row number, reason)."""

    source: str
    entries: int = 0
    replaced: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def check_source_name(name: str) -> str:
    """A list's name, stripped.

    Raises:
        InvalidInputError: empty, longer than 100 characters, or holding other than
            letters, digits, spaces, dots, dashes and underscores.
    """
    cleaned = " ".join(name.split())
    if not _SOURCE_NAME.match(cleaned):
        raise InvalidInputError("A list's name is 1 to 100 letters, digits, spaces, dots, dashes or "
                                "underscores (it is part of every entry's key).")
    return cleaned


def import_list_file(path: Path, source: str, *, sessions: sessionmaker[Session], actor: str,
                     max_bytes: int, workers: int | None = None) -> ListImport:
    """Import a list from a ``.jsonl``, ``.csv`` or ``.xlsx`` file as the list ``source``,
    replacing the entries it held.

    Raises:
        InvalidInputError, TooLargeFileError: the file cannot be read, or has no column
            of names; nothing is changed.
    """
    report = ListImport(check_source_name(source))
    rows = open_rows(path, max_bytes=max_bytes)
    columns, report.ignored_columns = _entry_columns(path, rows.header)
    count = workers if workers is not None else workers_for(path.stat().st_size)
    with sessions.begin() as session:
        report.replaced = begin_source(session, report.source, file_name=path.name, actor=actor)
        if copies_text(session):
            parse: Callable[[list[RawRow]], Chunk] = partial(_entry_lines_chunk, report.source, rows.header,
                                                              columns)
            write: Callable[[list[Any]], None] = partial(add_entry_lines, session)
        else:
            parse = partial(_entries_chunk, rows.header, columns)
            write = partial(add_entries, session, report.source)
        _store_entries(ordered_map(parse, chunked(rows.rows, CHUNK_ROWS), workers=count), write, report)
        finish_source(session, report.source, entries=report.entries, replaced=report.replaced,
                      problems=len(report.problems), actor=actor)
    return report


#: A chunk of a list as its writer takes it: its entries (``COPY`` lines, or row numbers
#: with values and fields), and the rows that are not entries, with why.
Chunk = tuple[list[Any], list[tuple[int, str]]]


def _entry_lines_chunk(source: str, header: list[str] | None, columns: dict[str, str] | None,
                      rows: list[RawRow]) -> Chunk:
    """A chunk's entries as ``COPY`` lines (:func:`archive.list_rows.entry_lines`)."""
    made = entry_lines(source, header, columns, rows)
    return made.lines, made.problems


def _entries_chunk(header: list[str] | None, columns: dict[str, str] | None, rows: list[RawRow]) -> Chunk:
    """A chunk's entries as rows of values (where ``COPY`` text is not taken)."""
    entries: list[tuple[int, dict[str, Any], EntryFields]] = []
    problems = []
    for number, raw, fields, problem in parse_entries(header, columns, rows):
        if fields is None or raw is None:
            problems.append((number, problem or "the row cannot be read"))
        else:
            entries.append((number, raw, fields))
    return entries, problems


def _store_entries(chunks: Iterable[Chunk], write: Callable[[list[Any]], None], report: ListImport) -> None:
    """Write the chunks' entries a batch of :data:`BATCH_ROWS` or more at a time."""
    batch: list[Any] = []
    for entries, problems in chunks:
        report.problems += problems
        batch += entries
        if len(batch) >= BATCH_ROWS:
            write(batch)
            report.entries += len(batch)
            batch = []
    write(batch)
    report.entries += len(batch)


def _entry_columns(path: Path, header: list[str] | None) -> tuple[dict[str, str] | None, list[str]]:
    """Which field each column of a list holds (None for JSON Lines, whose rows name their
    fields), and the columns left out.

    Raises:
        InvalidInputError: no column holds the names.
    """
    if header is None:
        return None, []
    columns, ignored = header_map("entry", header)
    if "name" not in columns.values():
        raise InvalidInputError(f"{path.name}: no column holds the names (a header such as "
                                "“Họ và tên”, “Họ tên” or “name”).")
    return columns, ignored


def source_lists(*, sessions: sessionmaker[Session]) -> list[dict[str, Any]]:
    """Every list: its name, file, entries, and who imported it when."""
    with sessions() as session:
        return [{"source": source.name, "file": source.file_name, "entries": source.entries,
                 "imported_by": source.imported_by, "imported_at": source.imported_at.isoformat()}
                for source in list_sources(session)]


#: Rows a preview shows.
PREVIEW_ROWS = 10


def preview_list_file(path: Path, *, max_bytes: int) -> dict[str, Any]:
    """What importing a file would take: which field each column goes to (or that it is
    left out) and the first rows as they would be stored.

    Raises:
        InvalidInputError, TooLargeFileError: the file cannot be read, or has no column
            of names.
    """
    rows = open_rows(path, max_bytes=max_bytes)
    columns, _ = _entry_columns(path, rows.header)
    mapping = [] if columns is None else [{"header": header, "field": columns.get(header)}
                                          for header in rows.header or [] if header]
    first = list(itertools.islice(rows.rows, PREVIEW_ROWS))
    shown = []
    for number, _, fields, problem in parse_entries(rows.header, columns, first):
        shown.append({"row": number, "problem": problem,
                      "fields": None if fields is None else {
                          "name": fields.name, "birth_year": fields.birth_year, "hometown": fields.hometown,
                          "province": fields.province, "unit": fields.unit_chain or fields.unit_text,
                          "death_date": fields.death_date, "death_place": fields.death_place}})
    return {"columns": mapping, "rows": shown}
