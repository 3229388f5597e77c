"""Person use cases: store a martyr record, read it back, import many."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from sqlalchemy.orm import Session, sessionmaker

from archive.audit import record_event
from archive.models import Person
from archive.person_schema import PersonRecord
from archive.persons import PersonsImport, import_persons, person_json, store_person


def save_person(record: PersonRecord, *, sessions: sessionmaker[Session], actor: str) -> tuple[str, bool]:
    """Create or replace a person record, audited; returns (id, created)."""
    with sessions.begin() as session:
        person_id, created = store_person(session, record)
        record_event(session, actor=actor, action="person.create" if created else "person.update",
                     subject=f"person:{person_id}")
    return person_id, created


def person_document(person_id: str, *, sessions: sessionmaker[Session]) -> dict[str, object] | None:
    """A person record as CONTRACT's person JSON, or None."""
    with sessions() as session:
        person = session.get(Person, person_id)
        return person_json(person) if person else None


def import_person_lines(source: BinaryIO, *, sessions: sessionmaker[Session], actor: str,
                        progress: Callable[[int], None] | None = None,
                        workers: int | None = None) -> PersonsImport:
    """Import person records from JSON Lines (good lines stored, bad ones reported), a
    transaction per batch of records; a large file is read by ``workers`` processes (by
    default as many as its size is worth)."""
    return import_persons(sessions, source, actor=actor, progress=progress, workers=workers)
