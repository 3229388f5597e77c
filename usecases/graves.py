"""Cemetery, grave and initial-burial use cases: store one, read one with its counts or
history, list, count ("kiểm đếm"), and import lists from JSON Lines, CSV or Excel files.

An import reads its file once, a row at a time, validates each row, and stores the good
ones a batch at a time (one transaction and one ``executemany`` per table per batch);
each bad row is reported with its number and reason and nothing of it is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive.bulk import refresh_statistics
from archive.errors import ArchiveError
from archive.grave_columns import Kind, header_map
from archive.grave_lines import GraveLines
from archive.grave_rows import parse_grave_rows, parse_rows
from archive.grave_schema import BurialRecord, CemeteryRecord, GraveRecord
from archive.grave_stored import stored_columns
from archive.graves import (
    BatchOutcome,
    CemeteryCount,
    burial_json,
    cemetery_json,
    count_graves,
    find_record,
    grave_json,
    list_cemeteries,
    list_graves,
    status_history,
    store_burials,
    store_cemeteries,
    store_grave_lines,
    store_graves,
)
from archive.models import Burial, Cemetery, Grave
from archive.parallel import chunked, ordered_map, workers_for
from archive.tabular import RowSource, open_rows
from decoder.errors import ErrorKind, InvalidInputError
from decoder.plots import GRAVE_STATUSES, place_key

#: Rows stored per transaction.
BATCH_ROWS = 1000
#: Rows made records at once (by one worker process, when there are several).
CHUNK_ROWS = 2000
#: After this many rows created, and each time as many again, PostgreSQL's statistics of
#: the table are refreshed (see :func:`archive.bulk.refresh_statistics`).
REFRESH_AFTER_ROWS = 10_000
_TABLES = {"cemetery": Cemetery, "grave": Grave, "burial": Burial}
Store = Callable[[Session, Sequence[tuple[int, dict[str, Any]]]], BatchOutcome]


class PositionTakenError(ArchiveError):
    """Another grave holds the position in the cemetery (or took it, or the id, meanwhile)."""

    kind = ErrorKind.CONFLICT
    code = "position_taken"


@dataclass
class FileImport:
    """What an import did; ``problems`` are (row number, reason)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


# --- one record -----------------------------------------------------------------------------


def _store_one(store: Store, kind: Kind, record: BaseModel, *, sessions: sessionmaker[Session],
               also: Callable[[Session], None] | None = None) -> tuple[str, bool]:
    """Store one record (and do ``also`` in the same transaction) or raise the reason it
    was refused; nothing is stored then."""
    try:
        with sessions.begin() as session:
            outcome = store(session, [(1, stored_columns(kind, record))])
            if outcome.problems:
                problem = outcome.problems[0]  # raised inside the block: the transaction is undone
                error_class = PositionTakenError if problem.kind == ErrorKind.CONFLICT else InvalidInputError
                raise error_class(problem.reason[:1].upper() + problem.reason[1:] + ".")
            if also is not None:
                also(session)
    except IntegrityError:  # a writer stored the same id or position after the checks
        raise PositionTakenError("Another change to this record or its position was stored at the same "
                                 "moment; send it again.") from None
    record_id: str = record.id  # type: ignore[attr-defined]  # every record here has an id
    return record_id, record_id in outcome.created


def save_cemetery(record: CemeteryRecord, *, sessions: sessionmaker[Session], actor: str) -> tuple[str, bool]:
    """Create or replace a cemetery, audited; returns (id, created)."""
    return _store_one(lambda s, rows: store_cemeteries(s, rows, actor=actor), "cemetery", record,
                      sessions=sessions)


def save_grave(record: GraveRecord, *, sessions: sessionmaker[Session], actor: str,
               also: Callable[[Session], None] | None = None) -> tuple[str, bool]:
    """Create or replace a grave, audited, its status change kept in its history; ``also``
    runs in the same transaction (a correction's own audit entry, say).

    Raises:
        InvalidInputError: an unknown cemetery or person record.
        PositionTakenError: another grave holds the position.
    """
    return _store_one(lambda s, rows: store_graves(s, rows, actor=actor), "grave", record, sessions=sessions,
                      also=also)


def save_burial(record: BurialRecord, *, sessions: sessionmaker[Session], actor: str) -> tuple[str, bool]:
    """Create or replace an initial burial, audited; returns (id, created)."""
    return _store_one(lambda s, rows: store_burials(s, rows, actor=actor), "burial", record,
                      sessions=sessions)


# --- reading --------------------------------------------------------------------------------


def count_json(count: CemeteryCount) -> dict[str, Any]:
    """One cemetery's counts as the API and the command line give them."""
    return {"id": count.id, "name": count.name, "province": count.province, "counts": count.counts,
            "disagreeing": count.disagreeing}


def cemetery_document(cemetery_id: str, *, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """A cemetery as CONTRACT's JSON with its ``counts`` and ``disagreeing``.

    Raises:
        NotFoundError: no such cemetery.
    """
    with sessions() as session:
        cemetery = find_record(session, Cemetery, cemetery_id)
        count = count_graves(session, cemetery=cemetery_id)[0]
        return cemetery_json(cemetery) | {"counts": count.counts, "disagreeing": count.disagreeing}


def cemetery_list(*, sessions: sessionmaker[Session], province: str | None, limit: int,
                  offset: int) -> dict[str, Any]:
    """A page of cemeteries: ``{"total", "cemeteries": [...]}``."""
    with sessions() as session:
        total, cemeteries = list_cemeteries(session, province=province, limit=limit, offset=offset)
        return {"total": total, "cemeteries": [cemetery_json(cemetery) for cemetery in cemeteries]}


def grave_document(grave_id: str, *, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """A grave as CONTRACT's JSON with its status ``history``.

    Raises:
        NotFoundError: no such grave.
    """
    with sessions() as session:
        grave = find_record(session, Grave, grave_id)
        return grave_json(grave) | {"history": status_history(session, grave_id)}


def grave_list(*, sessions: sessionmaker[Session], cemetery: str | None, status: str | None, limit: int,
               offset: int) -> dict[str, Any]:
    """A page of graves: ``{"total", "graves": [...]}``."""
    with sessions() as session:
        total, graves = list_graves(session, cemetery=cemetery, status=status, limit=limit, offset=offset)
        return {"total": total, "graves": [grave_json(grave) for grave in graves]}


def burial_document(burial_id: str, *, sessions: sessionmaker[Session]) -> dict[str, Any]:
    """An initial burial as CONTRACT's JSON.

    Raises:
        NotFoundError: no such burial.
    """
    with sessions() as session:
        return burial_json(find_record(session, Burial, burial_id))


def grave_counts(*, sessions: sessionmaker[Session], province: str | None = None) -> dict[str, Any]:
    """The count ("kiểm đếm"): every cemetery's graves by status and those whose stone
    disagrees with the linked record, the totals of each province, and the whole."""
    with sessions() as session:
        counted = count_graves(session, province=province)
    provinces: dict[str, dict[str, Any]] = {}
    for count in counted:
        key = place_key(count.province) if count.province else ""
        entry = provinces.setdefault(key, {"province": count.province, "cemeteries": 0,
                                           "counts": dict.fromkeys([*GRAVE_STATUSES, "total"], 0),
                                           "disagreeing": 0})
        _add(entry, count)
    total: dict[str, Any] = {"cemeteries": 0, "counts": dict.fromkeys([*GRAVE_STATUSES, "total"], 0),
                             "disagreeing": 0}
    for count in counted:
        _add(total, count)
    return {"cemeteries": [count_json(count) for count in counted], "provinces": list(provinces.values()),
            "total": total}


def _add(entry: dict[str, Any], count: CemeteryCount) -> None:
    entry["cemeteries"] += 1
    entry["disagreeing"] += count.disagreeing
    for name, number in count.counts.items():
        entry["counts"][name] += number


# --- imports --------------------------------------------------------------------------------


def import_cemetery_file(path: Path, *, sessions: sessionmaker[Session], actor: str,
                         max_bytes: int, workers: int | None = None) -> FileImport:
    """Import cemeteries from a ``.jsonl``, ``.csv`` or ``.xlsx`` file (see :func:`import_file`)."""
    return import_file(path, "cemetery", lambda s, rows: store_cemeteries(s, rows, actor=actor),
                       sessions=sessions, max_bytes=max_bytes, workers=workers)


def import_grave_file(path: Path, *, sessions: sessionmaker[Session], actor: str,
                      max_bytes: int, workers: int | None = None) -> FileImport:
    """Import graves (see :func:`import_file`); a status change is kept with the file's name.

    The workers hand over each chunk's graves as lines ready for PostgreSQL's ``COPY``
    (:class:`archive.grave_lines.GraveLines`), stored by :func:`archive.graves.store_grave_lines`.
    """
    reason = f"imported from {path.name}"[:2000]
    report = FileImport()
    source, columns = _opened(path, "grave", report, max_bytes=max_bytes)
    parse = partial(parse_grave_rows, source.header, columns)
    chunks = ordered_map(parse, chunked(source.rows, CHUNK_ROWS), workers=_workers(path, workers))
    _store_all(_grave_batches(chunks, report), "grave", lambda s, batch: store_grave_lines(
        s, batch, actor=actor, reason=reason), report, sessions=sessions)
    return report


def import_burial_file(path: Path, *, sessions: sessionmaker[Session], actor: str,
                       max_bytes: int, workers: int | None = None) -> FileImport:
    """Import initial burials (see :func:`import_file`)."""
    return import_file(path, "burial", lambda s, rows: store_burials(s, rows, actor=actor),
                       sessions=sessions, max_bytes=max_bytes, workers=workers)


def import_file(path: Path, kind: Kind, store: Store, *, sessions: sessionmaker[Session],
                max_bytes: int, workers: int | None = None) -> FileImport:
    """Import records of one kind: good rows stored a batch at a time, bad ones reported.

    Rows are made records in ``workers`` processes (by default as many as the file's size
    is worth, see :func:`archive.parallel.workers_for`) while this one stores them.

    Raises:
        InvalidInputError, TooLargeFileError: the file as a whole cannot be read; nothing
            is stored.
    """
    report = FileImport()
    _store_all(_record_batches(path, kind, report, max_bytes=max_bytes, workers=workers), kind, store, report,
               sessions=sessions)
    return report


#: What one transaction stores: the row numbers, and the rows as its store takes them.
Batch = tuple[list[int], Any]


def _store_all(batches: Iterator[Batch], kind: Kind, store: Callable[[Session, Any], BatchOutcome],
               report: FileImport, *, sessions: sessionmaker[Session]) -> None:
    """Store every batch, PostgreSQL's statistics of the table refreshed as it grows."""
    refresh_at = REFRESH_AFTER_ROWS
    for numbers, batch in batches:
        _store_batch(numbers, batch, store, report, sessions=sessions)
        if report.created >= refresh_at:
            with sessions.begin() as session:
                refresh_statistics(session, _TABLES[kind])
            refresh_at *= 2
    if report.created >= REFRESH_AFTER_ROWS:
        with sessions.begin() as session:
            refresh_statistics(session, _TABLES[kind])
    report.problems.sort()


def _opened(path: Path, kind: Kind, report: FileImport, *,
            max_bytes: int) -> tuple[RowSource, dict[str, str] | None]:
    """The file opened, and which field each header names (None for JSON Lines)."""
    source = open_rows(path, max_bytes=max_bytes)
    columns: dict[str, str] | None = None
    if source.header is not None:  # the same names, once each, as the rows' values have
        columns, report.ignored_columns = header_map(kind, source.header)
    return source, columns


def _workers(path: Path, workers: int | None) -> int:
    return workers_for(path.stat().st_size) if workers is None else workers


def _record_batches(path: Path, kind: Kind, report: FileImport, *, max_bytes: int,
                    workers: int | None) -> Iterator[Batch]:
    """The valid records of a file, BATCH_ROWS at a time; each invalid row goes into the report."""
    source, columns = _opened(path, kind, report, max_bytes=max_bytes)
    parse = partial(parse_rows, kind, source.header, columns)
    batch: list[tuple[int, dict[str, Any]]] = []
    for parsed in ordered_map(parse, chunked(source.rows, CHUNK_ROWS), workers=_workers(path, workers)):
        for number, record, problem in parsed:
            if record is None:
                report.problems.append((number, problem or "the row cannot be read"))
                continue
            batch.append((number, record))
            if len(batch) >= BATCH_ROWS:
                yield [number for number, _ in batch], batch
                batch = []
    if batch:
        yield [number for number, _ in batch], batch


def _grave_batches(chunks: Iterator[GraveLines], report: FileImport) -> Iterator[Batch]:
    """The graves of the chunks, BATCH_ROWS at a time; each bad row goes into the report."""
    batch = GraveLines()
    for chunk in chunks:
        report.problems += chunk.problems
        start = 0
        while start < len(chunk):
            stop = start + BATCH_ROWS - len(batch)
            batch.extend(chunk, start, stop)
            start = stop
            if len(batch) >= BATCH_ROWS:
                yield batch.numbers, batch
                batch = GraveLines()
    if len(batch):
        yield batch.numbers, batch


def _store_batch(numbers: list[int], batch: Any, store: Callable[[Session, Any], BatchOutcome],
                 report: FileImport, *, sessions: sessionmaker[Session]) -> None:
    """One transaction for the batch; a clash with a writer working at the same moment is
    tried again once, when the checks see what that writer stored."""
    for attempt in range(2):
        try:
            with sessions.begin() as session:
                outcome = store(session, batch)
            break
        except IntegrityError:
            if attempt:
                report.problems += [(number, "another change was stored at the same moment; import again")
                                    for number in numbers]
                return
    report.created += len(outcome.created)
    report.updated += len(outcome.updated)
    report.unchanged += outcome.unchanged
    report.problems += [(problem.row, problem.reason) for problem in outcome.problems]
