"""Person (martyr) records: stored from validated JSON, imported from JSON Lines.

An import stores every good line and reports every bad one with its line number and
reason; it never merges two records silently: a record without an ``id`` is always new,
one with an ``id`` replaces the record stored under it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event
from archive.models import Page, Person, PersonSource, Scan, utc_now
from archive.outbox import record_change
from archive.person_schema import PersonRecord
from decoder.errors import InvalidInputError, first_problem
from decoder.plots import name_key, place_key
from decoder.untrusted import is_ascii_digits, parse_json, refuse_forbidden

#: A longer line is refused unread: no martyr record needs a megabyte.
MAX_LINE_BYTES = 1_000_000
_COMMIT_EVERY = 500
_SCALARS = ("full_name", "birth_year", "birth_date", "hometown", "enlisted", "rank", "position",
            "unit_text", "death_date", "death_place", "circumstances", "burial_place", "grave")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass
class PersonsImport:
    """What an import did; ``problems`` are (line number, reason)."""

    created: int = 0
    updated: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)


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
    for name in _SCALARS:
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
    data |= {name: getattr(person, name) for name in _SCALARS}
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


def import_persons(sessions: sessionmaker[Session], source: BinaryIO, *, actor: str,
                   progress: Callable[[int], None] | None = None) -> PersonsImport:
    """Import JSON Lines from ``source``: good lines stored, bad ones reported.

    Args:
        sessions: the database.
        source: the file, opened in binary mode.
        actor: who imports (for the audit log).
        progress: called with the number of bytes read so far.
    """
    report = PersonsImport()
    read = 0
    session = sessions()
    pending = 0
    try:
        for number, line in enumerate(_lines(source), start=1):
            read += line if isinstance(line, int) else len(line)
            outcome = _import_line(session, line)
            if outcome is None:
                continue
            if isinstance(outcome, str):
                report.problems.append((number, outcome))
            else:
                pending += 1
                report.created += outcome
                report.updated += not outcome
            if pending >= _COMMIT_EVERY:
                session.commit()
                pending = 0
                if progress is not None:
                    progress(read)
        record_event(session, actor=actor, action="persons.import", subject="persons",
                     details={"created": report.created, "updated": report.updated,
                              "refused": len(report.problems)})
        session.commit()
        if progress is not None:
            progress(read)
    finally:
        session.close()
    return report


def _lines(source: BinaryIO) -> Iterator[bytes | int]:
    """The lines of ``source``; a line longer than MAX_LINE_BYTES comes back as its length,
    unread."""
    while line := source.readline(MAX_LINE_BYTES + 1):
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        length = len(line)
        while chunk := source.readline(MAX_LINE_BYTES):
            length += len(chunk)
            if chunk.endswith(b"\n"):
                break
        yield length


def _import_line(session: Session, line: bytes | int) -> bool | str | None:
    """True: created; False: updated; None: a blank line; a string: why it was refused."""
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
        record = PersonRecord.model_validate(data)
    except ValidationError as error:
        where, message = first_problem(error, "record")
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        return f"{where}: {message}{more}"
    _, created = store_person(session, record)
    return created
