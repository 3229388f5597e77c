"""Person (martyr) records: stored from validated JSON, imported from JSON Lines.

An import stores every good line and reports every bad one with its line number and
reason; it never merges two records silently: a record without an ``id`` is always new,
one with an ``id`` replaces the record stored under it. Lines are made records (in worker
processes when the file is large) and stored a batch at a time: one transaction, one
lookup and one ``COPY`` or ``executemany`` per table for each batch; a record the same as
stored is left alone, so importing the same file again changes nothing.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Integer,
    String,
    any_,
    cast,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event
from archive.bulk import insert_rows, refresh_statistics
from archive.models import Page, Person, PersonSource, Scan, utc_now
from archive.outbox import record_change
from archive.parallel import ordered_map, workers_for
from archive.person_rows import SCALARS, Chunk, parse_chunk, read_lines
from archive.person_schema import PersonRecord
from decoder.plots import name_key, place_key
from decoder.untrusted import is_ascii_digits

#: Records stored per transaction.
BATCH_ROWS = 1000
#: Lines made records at once (by one worker process, when there are several), unless
#: they come to CHUNK_BYTES first.
CHUNK_LINES = 2000
CHUNK_BYTES = 4 * 1024 * 1024
#: After this many records created, and each time as many again, PostgreSQL's statistics
#: of the person tables are refreshed (see :func:`archive.bulk.refresh_statistics`).
REFRESH_AFTER_ROWS = 10_000
#: What is compared with the stored record to tell whether a line changes it.
_COMPARED = (*SCALARS, "relatives", "name_key", "hometown_key", "sources")
_SOURCE_COLUMNS = ("scan", "page", "field", "box", "page_id")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class PersonsImport:
    """What an import did; ``problems`` are (line number, reason). ``updated`` counts the
    lines that named a stored record, ``unchanged`` those of them that were the same as
    stored (left alone)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class PersonsBatch:
    """What storing a batch did: the records created and the stored ones rewritten, how
    many rows named a stored record (or one earlier in the batch), and how many of those
    were the same as it."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    named: int = 0
    unchanged: int = 0


def new_person_id() -> str:
    """An id for a record that came without one."""
    return f"p-{uuid.uuid4().hex[:16]}"


def store_person(session: Session, record: PersonRecord) -> tuple[str, bool]:
    """Create or replace a record in the caller's transaction; returns (id, created)."""
    person = session.get(Person, record.id) if record.id else None
    created = person is None
    if person is None:
        person = Person(id=record.id or new_person_id())
        session.add(person)
    for name in SCALARS:
        setattr(person, name, getattr(record, name))
    person.relatives = [relative.model_dump(exclude_none=True) for relative in record.relatives]
    person.name_key = name_key(record.full_name)
    person.hometown_key = place_key(record.hometown) if record.hometown else None
    person.updated_at = utc_now()
    person.sources = [
        PersonSource(position=position, scan=source.scan, page=source.page, field=source.field,
                     box=source.box, page_id=resolve_page(session, source.scan, source.page))
        for position, source in enumerate(record.sources)]
    session.flush()
    record_change(session, "person", [person.id])
    return person.id, created


def person_json(person: Person) -> dict[str, object]:
    """A stored record as CONTRACT's person JSON (with ``page_id`` on resolved sources)."""
    data: dict[str, object] = {"id": person.id}
    data |= {name: getattr(person, name) for name in SCALARS}
    data["relatives"] = person.relatives
    data["sources"] = [
        {"scan": source.scan, "page": source.page, "field": source.field, "box": source.box,
         "page_id": source.page_id} for source in person.sources]
    return data


def resolve_page(session: Session, scan_ref: str, number: int | None) -> int | None:
    """The archived page a citation names, when its scan is given by id or checksum."""
    if number is None:
        return None
    scan_id = scan_id_of(session, scan_ref)
    if scan_id is None:
        return None
    return session.scalar(select(Page.id).where(Page.scan_id == scan_id, Page.number == number))


def scan_id_of(session: Session, scan_ref: str) -> int | None:
    """The archived scan a reference names by its id or its SHA-256, or None."""
    if is_ascii_digits(scan_ref) and len(scan_ref) < 19:
        return session.scalar(select(Scan.id).where(Scan.id == int(scan_ref)))
    if _SHA256.fullmatch(scan_ref.lower()):
        return session.scalar(select(Scan.id).where(Scan.sha256 == scan_ref.lower()))
    return None


# --- importing many -------------------------------------------------------------------------


def import_persons(sessions: sessionmaker[Session], source: BinaryIO, *, actor: str,
                   progress: Callable[[int], None] | None = None,
                   workers: int | None = None) -> PersonsImport:
    """Import JSON Lines from ``source``: good lines stored a batch at a time (one
    transaction each), bad ones reported.

    Lines are made records in ``workers`` processes (by default as many as the file's
    size is worth, see :func:`archive.parallel.workers_for`) while this one stores them.

    Args:
        sessions: the database.
        source: the file, opened in binary mode.
        actor: who imports (for the audit log).
        progress: called with the number of bytes read so far.
        workers: processes that read the lines (1: none, this one reads them).
    """
    report = PersonsImport()
    if workers is None:
        workers = workers_for(_remaining_bytes(source))
    batch: list[tuple[int, dict[str, Any]]] = []
    read, refresh_at = 0, REFRESH_AFTER_ROWS
    for read, parsed in ordered_map(parse_chunk, _chunks(source), workers=workers):
        for number, columns, problem in parsed:
            if columns is None:
                report.problems.append((number, problem or "the line cannot be read"))
                continue
            batch.append((number, columns))
            if len(batch) >= BATCH_ROWS:
                _store_batch(sessions, batch, report, actor=actor)
                batch = []
                refresh_at = _refresh_when_grown(sessions, report.created, refresh_at)
                if progress is not None:
                    progress(read)
    _store_batch(sessions, batch, report, actor=actor, last=True)
    _refresh_when_grown(sessions, report.created, REFRESH_AFTER_ROWS)
    report.problems.sort()
    if progress is not None:
        progress(read)
    return report


def _remaining_bytes(source: BinaryIO) -> int:
    """How much of ``source`` is left to read, or 0 when it cannot tell (a pipe)."""
    try:
        if source.seekable():
            here = source.tell()
            end = source.seek(0, os.SEEK_END)
            source.seek(here)
            return end - here
    except (OSError, ValueError):
        pass
    return 0


def _chunks(source: BinaryIO) -> Iterator[Chunk]:
    """The lines of ``source`` in chunks of CHUNK_LINES lines or CHUNK_BYTES bytes, whichever
    comes first (so a file of long lines cannot fill the memory), each with the bytes read
    once it is."""
    read, size, lines = 0, 0, []
    for number, line in read_lines(source):
        length = line if isinstance(line, int) else len(line)
        read += length
        size += 0 if isinstance(line, int) else length  # a line too long is not held
        lines.append((number, line))
        if len(lines) >= CHUNK_LINES or size >= CHUNK_BYTES:
            yield read, lines
            size, lines = 0, []
    if lines:
        yield read, lines


def _refresh_when_grown(sessions: sessionmaker[Session], created: int, refresh_at: int) -> int:
    """Refresh PostgreSQL's statistics of the person tables once ``created`` reaches
    ``refresh_at`` (see :func:`archive.bulk.refresh_statistics`); the next threshold."""
    if created < refresh_at:
        return refresh_at
    with sessions.begin() as session:
        refresh_statistics(session, Person)
        refresh_statistics(session, PersonSource)
    return refresh_at * 2


def _store_batch(sessions: sessionmaker[Session], batch: list[tuple[int, dict[str, Any]]],
                 report: PersonsImport, *, actor: str, last: bool = False) -> None:
    """One transaction for the batch and its audit entry (the import's own when ``last``); a
    clash with a writer storing the same id at the same moment is tried again once, when
    the lookup sees what that writer stored."""
    for attempt in range(2):
        try:
            with sessions.begin() as session:
                outcome = store_persons(session, [columns for _, columns in batch])
                _audit(session, actor, outcome, report if last else None)
            break
        except IntegrityError:
            if attempt:
                report.problems += [(number, "another change was stored at the same moment; import again")
                                    for number, _ in batch]
                if last:
                    with sessions.begin() as session:
                        _audit(session, actor, PersonsBatch(), report)
                return
    report.created += len(outcome.created)
    report.updated += outcome.named
    report.unchanged += outcome.unchanged


def _audit(session: Session, actor: str, outcome: PersonsBatch, report: PersonsImport | None) -> None:
    """A batch that changed records is one audit entry naming them, as graves are; the last
    batch's entry is always written and also sums up the whole import."""
    ids = {"created": outcome.created, "updated": outcome.updated}
    if report is not None:
        totals = {"created": report.created + len(outcome.created), "updated": report.updated + outcome.named,
                  "unchanged": report.unchanged + outcome.unchanged, "refused": len(report.problems)}
        record_event(session, actor=actor, action="persons.import", subject="persons",
                     details=totals | {"stored": ids})
    elif len(outcome.created) + len(outcome.updated) == 1:
        action = "person.create" if outcome.created else "person.update"
        record_event(session, actor=actor, action=action,
                     subject=f"person:{(outcome.created or outcome.updated)[0]}")
    elif outcome.created or outcome.updated:
        record_event(session, actor=actor, action="persons.store", subject="persons", details=ids)


# --- storing many ---------------------------------------------------------------------------


def store_persons(session: Session, rows: Sequence[dict[str, Any]]) -> PersonsBatch:
    """Create or replace person records, in the caller's transaction; each row's columns are
    :func:`archive.person_rows.person_columns`.

    A row without an ``id`` is always a new record; one with an ``id`` replaces the record
    stored under it (its sources too), or an earlier row of the batch. The batch is looked
    up in one query for the records, one for their sources and one for the pages its
    sources cite; a row the same as what is stored is left alone; the rest are written
    with one ``COPY`` or ``executemany`` per table, and noted in the search outbox.
    """
    outcome = PersonsBatch()
    stored = _stored_persons(session, [columns["id"] for columns in rows if columns["id"]])
    pages = _page_ids(session, [source for columns in rows for source in columns["sources"]])
    latest: dict[str, dict[str, Any]] = {}
    created: set[str] = set()
    for row in rows:
        columns = row | {"id": row["id"] or new_person_id(), "sources": [
            source | {"page_id": pages.get((source["scan"], source["page"]))} for source in row["sources"]]}
        person_id = columns["id"]
        before = latest.get(person_id) or stored.get(person_id)
        if before is None:
            outcome.created.append(person_id)
            created.add(person_id)
        else:
            outcome.named += 1
            if all(before[name] == columns[name] for name in _COMPARED):
                outcome.unchanged += 1
                continue
            if person_id not in created and person_id not in latest:
                outcome.updated.append(person_id)
        latest[person_id] = columns
    _write_persons(session, latest, created)
    record_change(session, "person", list(latest))
    return outcome


def _write_persons(session: Session, latest: dict[str, dict[str, Any]], created: set[str]) -> None:
    """Insert the new records, update the changed ones and replace their sources."""
    now = utc_now()
    new = [_person_row(columns) | {"created_at": now, "updated_at": now}
           for person_id, columns in latest.items() if person_id in created]
    changed = [_person_row(columns) | {"updated_at": now}
               for person_id, columns in latest.items() if person_id not in created]
    insert_rows(session, Person, new)
    if changed:
        session.execute(update(Person), changed)
        session.execute(delete(PersonSource).where(
            _id_in(session, PersonSource.person_id, [columns["id"] for columns in changed])))
    insert_rows(session, PersonSource, [
        {"person_id": person_id, "position": position} | source
        for person_id, columns in latest.items() for position, source in enumerate(columns["sources"])])


def _person_row(columns: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in columns.items() if name != "sources"}


def _id_in(session: Session, column: Any, values: Sequence[Any],
           array_type: Any = String) -> ColumnElement[bool]:
    """``column IN values``: on PostgreSQL one array parameter, not a thousand, which also
    spares the planner a thousand-item list on every batch."""
    condition: ColumnElement[bool]
    if session.get_bind().dialect.name == "postgresql":
        condition = column == any_(cast(list(values), ARRAY(array_type)))
    else:
        condition = column.in_(values)
    return condition


def _stored_persons(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    """What the records of these ids hold (the compared columns, sources included)."""
    if not ids:
        return {}
    columns = [Person.id, *(getattr(Person, name) for name in _COMPARED if name != "sources")]
    stored = {row.id: dict(row._mapping) | {"sources": []}
              for row in session.execute(select(*columns).where(_id_in(session, Person.id, ids)))}
    sources = session.execute(
        select(PersonSource.person_id, PersonSource.scan, PersonSource.page, PersonSource.field,
               PersonSource.box, PersonSource.page_id)
        .where(_id_in(session, PersonSource.person_id, ids))
        .order_by(PersonSource.person_id, PersonSource.position))
    for person_id, *values in sources:
        stored[person_id]["sources"].append(dict(zip(_SOURCE_COLUMNS, values, strict=True)))
    return stored


def _page_ids(session: Session, sources: list[dict[str, Any]]) -> dict[tuple[str, int], int]:
    """The archived page each (scan, page) citation names, found in one query (see
    :func:`resolve_page`): the pages of the scans cited that bear a number cited, the
    right pairs picked from them here."""
    keys = {(source["scan"], source["page"]): _scan_key(source["scan"])
            for source in sources if source["page"] is not None}
    by_id = {key for key in keys.values() if isinstance(key, int)}
    by_sha = {key for key in keys.values() if isinstance(key, str)}
    if not by_id and not by_sha:
        return {}
    # BIGINT: an id cited may be beyond what the column holds, and then names no scan.
    scans = or_(_id_in(session, Scan.id, sorted(by_id), BigInteger),
                _id_in(session, Scan.sha256, sorted(by_sha)))
    numbers = _id_in(session, Page.number, sorted({page for _, page in keys}), Integer)
    found: dict[tuple[int | str, int], int] = {}
    for scan_id, sha256, number, page_id in session.execute(
            select(Scan.id, Scan.sha256, Page.number, Page.id).join(Page, Page.scan_id == Scan.id)
            .where(scans, numbers)):
        found[(scan_id, number)] = found[(sha256, number)] = page_id
    return {(ref, page): found[(key, page)] for (ref, page), key in keys.items()
            if key is not None and (key, page) in found}


def _scan_key(scan_ref: str) -> int | str | None:
    """What a citation names its scan by: an id, a SHA-256 (lower case), or nothing archived
    (as :func:`scan_id_of` reads it)."""
    if is_ascii_digits(scan_ref) and len(scan_ref) < 19:
        return int(scan_ref)
    if _SHA256.fullmatch(scan_ref.lower()):
        return scan_ref.lower()
    return None
